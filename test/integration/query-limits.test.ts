/**
 * Limits that protect the data from bulk extraction: a query too deep or with too many aliases is
 * refused before any resolver runs (nothing read, nothing audited), and a page larger than the
 * cap is refused with BAD_USER_INPUT naming `first`.
 */
import { MAX_PAGE } from '../../src/access/pagination';
import { QUERY_LIMITS } from '../../src/server/app';
import { createChild, createCounty, createRecord } from '../factories';
import { errorCode, startHub, type GraphQLResponse, type Hub } from '../support/harness';

const PURPOSE = '{ reason: "Checking query limits for the front door" }';

describe('query limits', () => {
  let hub: Hub;
  let token: string;
  let childId: string;

  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    const child = await createChild(hub, { familyName: 'Limitson' });
    childId = child.id;
    await createRecord(hub, { agencyId: county.police.id, childId });
    token = hub.token('NPOL', ['PRACTITIONER'], 'officer-limits');
  });
  afterAll(() => hub.stop());

  const auditCount = async (): Promise<number> =>
    (await hub.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event'))[0].n;

  /** Sends a query and asserts it was rejected without touching data or the audit trail. */
  async function rejectedBeforeExecution(query: string): Promise<GraphQLResponse> {
    const before = await auditCount();
    const res = await hub.gql(query, {}, token);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(await auditCount()).toBe(before);
    return res;
  }

  it('answers a query within the limits (the control)', async () => {
    const res = await hub.gql(`{ child(id: "${childId}") { id records(purpose: ${PURPOSE}) { totalCount } } }`, {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ child: { id: childId, records: { totalCount: 1 } } });
  });

  it('refuses a query deeper than the limit, naming the limit', async () => {
    const levels = QUERY_LIMITS.maxDepth + 1;
    const nested = `${'... on Child { '.repeat(levels)}id${' }'.repeat(levels)}`;
    const res = await rejectedBeforeExecution(`{ child(id: "${childId}") { ${nested} } }`);
    expect(res.errors?.[0].message).toMatch(new RegExp(`depth limit of ${QUERY_LIMITS.maxDepth} exceeded`));
  });

  it('refuses deep introspection nesting too', async () => {
    const levels = QUERY_LIMITS.maxDepth + 1;
    const res = await rejectedBeforeExecution(`{ __type(name: "Child") { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } }`);
    expect(res.errors?.[0].message).toMatch(/depth limit/);
  });

  it('refuses more aliases than the limit, naming the limit', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `c${i}: child(id: "${childId}") { id }`).join(' ');
    const res = await rejectedBeforeExecution(`{ ${aliases} }`);
    expect(res.errors?.[0].message).toMatch(new RegExp(`Aliases limit of ${QUERY_LIMITS.maxAliases} exceeded`));
  });

  it('allows exactly the alias limit', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases }, (_, i) => `c${i}: child(id: "${childId}") { id }`).join(' ');
    const res = await hub.gql(`{ ${aliases} }`, {}, token);
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data ?? {})).toHaveLength(QUERY_LIMITS.maxAliases);
  });

  const RECORDS_PAGE = `query Page($id: ID!, $first: Int) {
    child(id: $id) { records(purpose: ${PURPOSE}, first: $first) { totalCount edges { node { summary } } } }
  }`;

  it.each([1000, MAX_PAGE + 1, 0, -5])('refuses child.records(first: %i) with BAD_USER_INPUT naming first', async (first) => {
    const listReads = async (): Promise<number> =>
      (await hub.sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE action = 'RECORD_LIST'"))[0].n;
    const before = await listReads();
    const res = await hub.gql<{ child: unknown }>(RECORDS_PAGE, { id: childId, first }, token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('first');
    expect(res.errors?.[0].message).toMatch(new RegExp(`${MAX_PAGE}`));
    expect(JSON.stringify(res.data)).not.toMatch(/Summary of record/);
    // No record was released, so no record read was audited.
    expect(await listReads()).toBe(before);
  });

  it('refuses first: 1000 written into a rich query before execution (cost limit)', async () => {
    const res = await rejectedBeforeExecution(
      `{ child(id: "${childId}") { records(purpose: ${PURPOSE}, first: 1000) { totalCount edges { cursor node { id summary detail sourceRef agency { code name } } } } } }`,
    );
    expect(res.errors?.[0].message).toMatch(new RegExp(`Cost limit of ${QUERY_LIMITS.maxCost} exceeded`));
  });

  it('refuses searchChildren(first: 1000) with BAD_USER_INPUT naming first', async () => {
    const res = await hub.gql(`{ searchChildren(input: { familyName: "Limitson" }, first: 1000) { edges { node { id } } } }`, {}, token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('first');
    expect(res.data ?? null).toBeNull();
  });

  it(`allows first: ${MAX_PAGE}`, async () => {
    const res = await hub.gql(`{ child(id: "${childId}") { records(purpose: ${PURPOSE}, first: ${MAX_PAGE}) { totalCount } } }`, {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ child: { records: { totalCount: 1 } } });
  });
});
