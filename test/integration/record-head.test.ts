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
});
