import { randomUUID } from 'node:crypto';
import { createChild, createCounty, createLawfulBasis, createRecord, createRecords, type RecordFactory } from '../factories';
import { startHub, type Hub } from '../support/harness';

const PAGE = `query($id: ID!, $after: String) { child(id: $id) { chronology(purpose: { reason: "Chronology for the case review" }, first: 50, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { kind visibility provenance { id } } } } } }`;
interface PageData { child: { chronology: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { kind: string; visibility: string | null; provenance: { id: string } } }> } } }

describe('chronology of a child with 1,000 entries', () => {
  let hub: Hub;
  let childId: string;
  let expectedIds: string[];
  const reader = () => hub.token('NHEALTH', ['PRACTITIONER'], 'health-reader');

  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    childId = (await createChild(hub)).id;
    const basis = await createLawfulBasis(hub, { childId, recordedByAgencyId: county.social.id }, { recipientAgencyCodes: ['NHEALTH'] });
    const agencies = [county.police.id, county.school.id, county.health.id];
    // Timestamps collide in pairs, so the id tie-break is exercised too.
    const records: RecordFactory[] = Array.from({ length: 999 }, (_, i) => ({
      id: randomUUID(), agencyId: agencies[i % 3], childId, sourceRef: `BULK-${i}`, category: 'OTHER', sensitivity: i % 10 === 0 ? 'RESTRICTED' : 'STANDARD',
      occurredAt: new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 2) * 3600_000), summary: `Entry ${i}`, detail: null, authorSub: 'bulk',
    }));
    await createRecords(hub, records);
    // Restricted records of other agencies are flags for this reader: all 999 show, plus the basis.
    expectedIds = [...records.map((r) => r.id), basis.id];
  });
  afterAll(() => hub.stop());

  it('pages with no duplicates and no gaps, in the same number of statements for page 1 and page 10, and stays stable as entries arrive', async () => {
    const seen: string[] = [];
    const statements: number[] = [];
    let after: string | null = null;
    // Measured in steady state: a first read of page 1 fills what the server keeps between
    // requests (the agency directory, the audit chain's tail after the setup's writes).
    await hub.gql(PAGE, { id: childId, after: null }, reader());
    for (let page = 0; page < 25; page += 1) {
      hub.queries.reset();
      const res: { data?: PageData | null; errors?: unknown[] } = await hub.gql<PageData>(PAGE, { id: childId, after }, reader());
      statements.push(hub.queries.count);
      expect(res.errors).toBeUndefined();
      const connection: PageData['child']['chronology'] = (res.data as PageData).child.chronology;
      expect(connection.totalCount).toBe(expectedIds.length + (page >= 2 ? 1 : 0));
      seen.push(...connection.edges.map((e) => e.node.provenance.id));
      if (page === 1) {
        // A new record arrives, newer than everything already paged: it must not shift later pages.
        const other = await hub.sql<{ id: string }>(`SELECT id FROM agency WHERE code = 'NPOL'`);
        await createRecord(hub, { agencyId: other[0].id, childId }, { occurredAt: new Date(), summary: 'Arrived while paging' });
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(expectedIds));
    expect(statements.length).toBe(20);
    // Authentication, facts, record metadata, events, content, audit: the same for every page.
    expect(statements[9]).toBe(statements[0]);
    expect(new Set(statements.slice(1)).size).toBe(1);
  });

  it('hides records the reader may not know of from entries, totals and cursors', async () => {
    const stranger = await createChild(hub);
    const county = await hub.sql<{ id: string }>(`SELECT id FROM agency WHERE code = 'NPOL'`);
    await createRecord(hub, { agencyId: county[0].id, childId: stranger.id });
    const res = await hub.gql<PageData>(PAGE, { id: stranger.id, after: null }, reader());
    expect(res.data?.child.chronology).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
