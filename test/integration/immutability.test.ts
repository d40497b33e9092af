/**
 * History is append-only below every code path: record versions and the audit trail refuse
 * UPDATE, DELETE and TRUNCATE issued straight at the database, a logical record cannot be
 * deleted, and its head version only moves forward.
 */
import { createChild, createCounty, createRecord } from '../factories';
import { startHub, type Hub } from '../support/harness';

describe('immutability: the database refuses to rewrite history', () => {
  let hub: Hub;
  let recordId: string;
  let auditRows: number;

  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    const child = await createChild(hub);
    recordId = (await createRecord(hub, { agencyId: county.police.id, childId: child.id })).id;
    // A real read, so the audit trail holds at least one row written by the server itself.
    const res = await hub.gql(`{ child(id: "${child.id}") { id } }`, {}, hub.token('NPOL', ['PRACTITIONER']));
    expect(res.errors).toBeUndefined();
    const [{ n }] = await hub.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    expect(n).toBeGreaterThan(0);
    auditRows = n;
  });
  afterAll(() => hub.stop());

  const appendOnly = /is not allowed: history is append-only/;

  const attacks: Array<[string, () => string]> = [
    ['UPDATE record_version', () => `UPDATE record_version SET summary = 'rewritten' WHERE record_id = '${recordId}'`],
    ['DELETE record_version', () => `DELETE FROM record_version WHERE record_id = '${recordId}'`],
    ['TRUNCATE record_version', () => 'TRUNCATE record_version CASCADE'],
    ['UPDATE audit_event', () => "UPDATE audit_event SET outcome = 'DENIED'"],
    ['DELETE audit_event', () => 'DELETE FROM audit_event'],
    ['TRUNCATE audit_event', () => 'TRUNCATE audit_event'],
  ];

  it.each(attacks)('%s fails', async (_name, statement) => {
    await expect(hub.sql(statement())).rejects.toThrow(appendOnly);
  });

  it('leaves the content and the audit trail as they were', async () => {
    const [version] = await hub.sql<{ summary: string; n: number }>(
      'SELECT summary, (SELECT count(*)::int FROM record_version WHERE record_id = $1) AS n FROM record_version WHERE record_id = $1',
      [recordId],
    );
    expect(version.summary).not.toBe('rewritten');
    expect(version.n).toBe(1);
    const [audit] = await hub.sql<{ n: number; denied: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'DENIED')::int AS denied FROM audit_event",
    );
    expect(audit).toEqual({ n: auditRows, denied: 0 });
  });

  it('refuses to delete a shared record', async () => {
    await expect(hub.sql('DELETE FROM shared_record WHERE id = $1', [recordId])).rejects.toThrow(/DELETE on shared_record is not allowed/);
    await expect(hub.sql('TRUNCATE shared_record CASCADE')).rejects.toThrow(appendOnly);
    const rows = await hub.sql('SELECT id FROM shared_record WHERE id = $1', [recordId]);
    expect(rows).toHaveLength(1);
  });

  it('lets the head version move forward but never back', async () => {
    await hub.sql(
      `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, detail, content_hash, author_sub)
       SELECT record_id, 2, category, sensitivity, occurred_at, 'Second version', detail, repeat('b', 64), author_sub
       FROM record_version WHERE record_id = $1 AND version = 1`,
      [recordId],
    );
    await hub.sql('UPDATE shared_record SET current_version = 2 WHERE id = $1', [recordId]);
    await expect(hub.sql('UPDATE shared_record SET current_version = 1 WHERE id = $1', [recordId])).rejects.toThrow(
      /versions only move forward/,
    );
    const [row] = await hub.sql<{ current_version: number }>('SELECT current_version FROM shared_record WHERE id = $1', [recordId]);
    expect(row.current_version).toBe(2);
  });
});
