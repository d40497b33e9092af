/**
 * Bounded database work: the statements a request issues grow with the depth of the query,
 * never with the number of rows it touches (DataLoaders per request, `= ANY($1)` batches).
 */
import { randomUUID } from 'node:crypto';
import type { RecordCategory, Sensitivity } from '../../src/domain/vocabulary';
import { createChild, createConsent, createCounty, createRecords, type AgencyRow, type RecordFactory, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';

const PURPOSE = '{ reason: "Section 47 strategy discussion preparation" }';
const RECORD_FIELDS = 'id visibility grounds summary detail sourceRef category sensitivity occurredAt agency { code name }';

/** A mix of owners and sensitivities, so FULL and FLAG both occur and content is fetched. */
function recordsFor(childId: string, count: number, agencies: readonly AgencyRow[], tag: string): RecordFactory[] {
  const sensitivities: Sensitivity[] = ['STANDARD', 'SENSITIVE', 'RESTRICTED'];
  const categories: RecordCategory[] = ['POLICE_INCIDENT', 'ATTENDANCE', 'MENTAL_HEALTH', 'HEALTH_CONTACT'];
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    agencyId: agencies[i % agencies.length].id,
    childId,
    sourceRef: `${tag}-${i}`,
    category: categories[i % categories.length],
    sensitivity: sensitivities[i % sensitivities.length],
    occurredAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    summary: `${tag} summary ${i}`,
    detail: `${tag} detail ${i}`,
    authorSub: 'author',
  }));
}

describe('bounded SQL: statements per request do not grow with rows', () => {
  let hub: Hub;
  let token: string;
  let county: County;

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    token = hub.token('NPOL', ['PRACTITIONER'], 'officer-bounded');
  });
  afterAll(() => hub.stop());

  /** A child with records from every agency and a consent naming the police, so content is released. */
  async function childWith(records: number, tag: string, familyName = `Family${tag}`): Promise<string> {
    const child = await createChild(hub, { familyName, givenName: 'Sam' });
    await createRecords(hub, recordsFor(child.id, records, Object.values(county), tag));
    await createConsent(hub, { childId: child.id, recordedByAgencyId: county.social.id, recipientAgencyCodes: ['NPOL'] });
    return child.id;
  }

  /** Runs one request and returns how many SQL statements the server issued for it. */
  async function statementsFor<T>(query: string, check: (data: T) => void): Promise<number> {
    // Measured in steady state: a first run fills what the server keeps between requests (the
    // agency directory, the audit chain's tail after other writers moved it).
    await hub.gql(query, {}, token);
    hub.queries.reset();
    const res = await hub.gql<T>(query, {}, token);
    expect(res.errors).toBeUndefined();
    check(res.data as T);
    return hub.queries.count;
  }

  interface RecordsAnswer {
    child: { records: { totalCount: number; edges: Array<{ node: { visibility: string; summary: string | null } }> } };
  }
  const recordsQuery = (childId: string) =>
    `{ child(id: "${childId}") { id dateOfBirth records(purpose: ${PURPOSE}, first: 200) { totalCount edges { cursor node { ${RECORD_FIELDS} } } } } }`;

  it('child.records: the same number of statements for 10 and for 1,000 records', async () => {
    const small = await childWith(10, 'small');
    const large = await childWith(1000, 'large');
    const visibleOf = (data: RecordsAnswer) => data.child.records;

    const forSmall = await statementsFor<RecordsAnswer>(recordsQuery(small), (data) => {
      expect(visibleOf(data).edges.length).toBeGreaterThan(0);
      expect(visibleOf(data).edges.some((e) => e.node.visibility === 'FULL' && e.node.summary !== null)).toBe(true);
    });
    const forLarge = await statementsFor<RecordsAnswer>(recordsQuery(large), (data) => {
      // RESTRICTED records of other agencies stay FLAG; everything else is held and counted.
      expect(visibleOf(data).totalCount).toBeGreaterThan(200);
      expect(visibleOf(data).edges).toHaveLength(200);
      expect(visibleOf(data).edges.some((e) => e.node.visibility === 'FLAG')).toBe(true);
    });
    expect(forLarge).toBe(forSmall);
    expect(forSmall).toBeLessThan(20);
  });

  it('searchChildren with nested records: the same for 1 child and for 20', async () => {
    await childWith(30, 'solo', 'Quenneville');
    for (let i = 0; i < 20; i += 1) await childWith(5 + i, `many${i}`, 'Abernathy');
    // Page sizes go in variables, as partner portals send them; written inline, the cost limit
    // would (rightly) refuse a 50 x 200 nesting before execution.
    const searchQuery = (familyName: string) =>
      `query Search($children: Int = 50, $records: Int = 200) {
        searchChildren(input: { familyName: "${familyName}" }, first: $children) { edges { node { id familyName
          records(purpose: ${PURPOSE}, first: $records) { totalCount edges { node { ${RECORD_FIELDS} } } } } } } }`;
    interface SearchAnswer {
      searchChildren: { edges: Array<{ node: { familyName: string; records: { totalCount: number } } }> };
    }

    const forOne = await statementsFor<SearchAnswer>(searchQuery('Quenneville'), (data) => {
      expect(data.searchChildren.edges).toHaveLength(1);
      expect(data.searchChildren.edges[0].node.records.totalCount).toBeGreaterThan(0);
    });
    const forTwenty = await statementsFor<SearchAnswer>(searchQuery('Abernathy'), (data) => {
      expect(data.searchChildren.edges).toHaveLength(20);
      expect(data.searchChildren.edges.every((e) => e.node.familyName === 'Abernathy' && e.node.records.totalCount > 0)).toBe(true);
    });
    expect(forTwenty).toBe(forOne);
  });

  it('a single record by id costs a small fixed number of statements', async () => {
    const childId = await childWith(3, 'single');
    const [{ id }] = await hub.sql<{ id: string }>("SELECT id FROM shared_record WHERE child_id = $1 AND source_ref = 'single-0'", [childId]);
    const count = await statementsFor<{ record: { summary: string } }>(
      `{ record(id: "${id}", purpose: ${PURPOSE}) { ${RECORD_FIELDS} } }`,
      (data) => expect(data.record.summary).toBe('single summary 0'),
    );
    expect(count).toBeLessThan(15);
  });
});
