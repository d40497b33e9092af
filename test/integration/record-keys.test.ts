/**
 * A record's head must name an existing child and agency, and a version an existing head. The
 * database checks this once per statement (migration RecordKeysPerStatement) rather than with a
 * locking lookup per row, and keeps what the rows point at from going away.
 */
import { randomUUID } from 'node:crypto';
import { createChild, createCounty, createRecord, type AgencyRow, type ChildRowFactory } from '../factories';
import { startHub, type Hub } from '../support/harness';

function violation(constraint: string) {
  return {
    message: expect.stringContaining(`violates foreign key constraint "${constraint}"`),
    driverError: expect.objectContaining({ code: '23503', constraint, detail: expect.stringMatching(/^Key \(\w+\)=\([0-9a-f-]{36}\) is not present in table "\w+"\.$/) }),
  };
}

describe('record keys are checked per statement', () => {
  let hub: Hub;
  let police: AgencyRow;
  let child: ChildRowFactory;
  let recordId: string;

  beforeAll(async () => {
    hub = await startHub();
    police = (await createCounty(hub)).police;
    child = await createChild(hub);
    recordId = (await createRecord(hub, { agencyId: police.id, childId: child.id })).id;
  });
  afterAll(() => hub.stop());

  const countHeads = async (sourceRefPrefix: string) =>
    (await hub.sql<{ n: number }>('SELECT count(*)::int AS n FROM shared_record WHERE source_ref LIKE $1', [`${sourceRefPrefix}%`]))[0].n;

  it('refuses a head whose child does not exist, and writes none of the statement', async () => {
    const insert = hub.sql(
      `INSERT INTO shared_record (id, agency_id, source_ref, child_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[])`,
      [[randomUUID(), randomUUID()], [police.id, police.id], ['KEYS-CHILD-1', 'KEYS-CHILD-2'], [child.id, randomUUID()]],
    );
    await expect(insert).rejects.toMatchObject(violation('shared_record_child_id_fkey'));
    expect(await countHeads('KEYS-CHILD-')).toBe(0);
  });

  it('refuses a head whose agency does not exist', async () => {
    const insert = hub.sql(`INSERT INTO shared_record (id, agency_id, source_ref, child_id) VALUES ($1, $2, 'KEYS-AGENCY-1', $3)`, [
      randomUUID(), randomUUID(), child.id,
    ]);
    await expect(insert).rejects.toMatchObject(violation('shared_record_agency_id_fkey'));
    expect(await countHeads('KEYS-AGENCY-')).toBe(0);
  });

  it('refuses to move a head to a child that does not exist, and lets it move to one that does', async () => {
    await expect(hub.sql('UPDATE shared_record SET child_id = $1 WHERE id = $2', [randomUUID(), recordId])).rejects.toMatchObject(
      violation('shared_record_child_id_fkey'),
    );
    const other = await createChild(hub);
    await hub.sql('UPDATE shared_record SET child_id = $1 WHERE id = $2', [other.id, recordId]);
    const [row] = await hub.sql<{ child_id: string }>('SELECT child_id FROM shared_record WHERE id = $1', [recordId]);
    expect(row.child_id).toBe(other.id);
    await hub.sql('UPDATE shared_record SET child_id = $1 WHERE id = $2', [child.id, recordId]);
  });

  it('refuses a version whose record does not exist', async () => {
    const orphan = randomUUID();
    const insert = hub.sql(
      `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, content_hash, author_sub)
       VALUES ($1, 1, 'POLICE_INCIDENT', 'STANDARD', now(), 'No such record', repeat('c', 64), 'test')`,
      [orphan],
    );
    await expect(insert).rejects.toMatchObject(violation('record_version_record_id_fkey'));
    expect(await hub.sql('SELECT 1 FROM record_version WHERE record_id = $1', [orphan])).toHaveLength(0);
  });

  it('accepts a head and its version for a child created in the same transaction', async () => {
    const childId = randomUUID();
    const headId = randomUUID();
    await hub.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO child (id, given_name, family_name, date_of_birth, gender) VALUES ($1, 'Same', 'Transaction', '2015-01-01', 'MALE')`, [childId]);
      await manager.query(`INSERT INTO shared_record (id, agency_id, source_ref, child_id) VALUES ($1, $2, 'KEYS-NEW-CHILD', $3)`, [headId, police.id, childId]);
      await manager.query(
        `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, content_hash, author_sub)
         VALUES ($1, 1, 'POLICE_INCIDENT', 'STANDARD', now(), 'Filed', repeat('d', 64), 'test')`,
        [headId],
      );
    });
    const [row] = await hub.sql<{ child_id: string; version: number }>('SELECT child_id, current_version AS version FROM shared_record WHERE id = $1', [headId]);
    expect(row).toEqual({ child_id: childId, version: 1 });
  });

  const refused = /is not allowed: (records and the audit trail name it|history is append-only)/;

  it.each([
    ['DELETE a child', () => `DELETE FROM child WHERE id = '${child.id}'`],
    ['re-key a child', () => `UPDATE child SET id = '${randomUUID()}' WHERE id = '${child.id}'`],
    ['TRUNCATE children', () => 'TRUNCATE child CASCADE'],
    ['DELETE an agency', () => `DELETE FROM agency WHERE id = '${police.id}'`],
    ['re-key an agency', () => `UPDATE agency SET id = '${randomUUID()}' WHERE id = '${police.id}'`],
    ['TRUNCATE agencies', () => 'TRUNCATE agency CASCADE'],
  ])('refuses to %s that records may name', async (_name, statement) => {
    await expect(hub.sql(statement())).rejects.toThrow(refused);
    expect(await hub.sql('SELECT 1 FROM child WHERE id = $1', [child.id])).toHaveLength(1);
    expect(await hub.sql('SELECT 1 FROM agency WHERE id = $1', [police.id])).toHaveLength(1);
  });

  it('still lets a child and an agency be updated in other ways', async () => {
    await hub.sql(`UPDATE child SET given_name = 'Renamed' WHERE id = $1`, [child.id]);
    await hub.sql(`UPDATE agency SET name = 'Northshire Constabulary' WHERE id = $1`, [police.id]);
    const [row] = await hub.sql<{ given_name: string }>('SELECT given_name FROM child WHERE id = $1', [child.id]);
    expect(row.given_name).toBe('Renamed');
  });
});
