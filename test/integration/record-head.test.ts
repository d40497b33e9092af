import { randomUUID } from 'node:crypto';
import { createChild, createCounty, createRecord } from '../factories';
import { startHub, type Hub } from '../support/harness';

const SUBMIT = `mutation($records: [RecordInput!]!) { submitRecords(records: $records) { results { status version errors { field message } } } }`;

/** Heads whose metadata differs from their current version: there must never be any. */
const DISAGREEING = `
  SELECT r.id FROM shared_record r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
  WHERE r.category IS DISTINCT FROM v.category OR r.sensitivity IS DISTINCT FROM v.sensitivity
     OR r.occurred_at IS DISTINCT FROM v.occurred_at OR r.author_sub IS DISTINCT FROM v.author_sub`;

describe('record heads carry their current version', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    await createRecord(hub, { agencyId: county.police.id, childId: (await createChild(hub)).id });
  });
  afterAll(() => hub.stop());

  it('after creation, a new version, and direct inserts', async () => {
    const child = await createChild(hub, { nhsNumber: null });
    const token = hub.token('NPOL', ['INTEGRATION'], 'police-rms');
    const item = (summary: string, category: string) => ({
      sourceRef: 'HEAD-1', child: { childId: child.id }, category, occurredAt: '2025-06-01T10:00:00Z', summary,
    });
    const first = await hub.gql<{ submitRecords: { results: Array<{ status: string; version: number }> } }>(SUBMIT, { records: [item('Officers attended', 'POLICE_INCIDENT')] }, token);
    expect(first.data?.submitRecords.results[0]).toMatchObject({ status: 'CREATED', version: 1 });
    const second = await hub.gql<{ submitRecords: { results: Array<{ status: string; version: number }> } }>(SUBMIT, { records: [item('Officers attended; arrest made', 'ARREST_OR_CHARGE')] }, token);
    expect(second.data?.submitRecords.results[0]).toMatchObject({ status: 'UPDATED', version: 2 });
    const [head] = await hub.sql<{ category: string; current_version: number }>(`SELECT category, current_version FROM shared_record WHERE source_ref = 'HEAD-1'`);
    expect(head).toEqual({ category: 'ARREST_OR_CHARGE', current_version: 2 });
    expect(await hub.sql(DISAGREEING)).toEqual([]);
  });

  it('moves a head to the newest of several versions written at once, whether it was written bare or with its metadata', async () => {
    const county = await hub.sql<{ id: string }>(`SELECT id FROM agency WHERE code = 'NPOL'`);
    const child = await createChild(hub);
    const [bare, dressed] = [randomUUID(), randomUUID()];
    await hub.sql(`INSERT INTO shared_record (id, agency_id, source_ref, child_id) VALUES ($1, $2, 'BARE-1', $3)`, [bare, county[0].id, child.id]);
    await hub.sql(
      `INSERT INTO shared_record (id, agency_id, source_ref, child_id, current_version, category, sensitivity, occurred_at, author_sub)
       VALUES ($1, $2, 'DRESSED-1', $3, 1, 'POLICE_INCIDENT', 'STANDARD', '2025-01-01T00:00:00Z', 'author')`,
      [dressed, county[0].id, child.id],
    );
    const version = (id: string, n: number, category: string) =>
      hub.sql(
        `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, content_hash, author_sub)
         VALUES ($1, $2, $3, 'STANDARD', '2025-01-0${n}T00:00:00Z', 'version ${n}', repeat('${n}', 64), 'author')`,
        [id, n, category],
      );
    // Version 1 of a head written with its metadata leaves the head as it is.
    const updatedAt = async () => (await hub.sql<{ updated_at: Date }>(`SELECT updated_at FROM shared_record WHERE id = $1`, [dressed]))[0].updated_at;
    const before = await updatedAt();
    await version(dressed, 1, 'POLICE_INCIDENT');
    expect(await updatedAt()).toEqual(before);
    await hub.sql(
      `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, content_hash, author_sub)
       SELECT id, v, category, 'STANDARD', '2025-02-01T00:00:00Z'::timestamptz + v * interval '1 day', 'batch ' || v, repeat(v::text, 64), 'batch-author'
       FROM (VALUES ($1::uuid, 1, 'MISSING_EPISODE'), ($1::uuid, 2, 'EXPLOITATION'), ($2::uuid, 2, 'ARREST_OR_CHARGE'), ($2::uuid, 3, 'DOMESTIC_ABUSE')) AS t(id, v, category)`,
      [bare, dressed],
    );
    const heads = await hub.sql<{ id: string; current_version: number; category: string; author_sub: string }>(
      `SELECT id, current_version, category, author_sub FROM shared_record WHERE id = ANY($1::uuid[]) ORDER BY source_ref`, [[bare, dressed]]);
    expect(heads).toEqual([
      { id: bare, current_version: 2, category: 'EXPLOITATION', author_sub: 'batch-author' },
      { id: dressed, current_version: 3, category: 'DOMESTIC_ABUSE', author_sub: 'batch-author' },
    ]);
    expect(await hub.sql(DISAGREEING)).toEqual([]);
  });
});
