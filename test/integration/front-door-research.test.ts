import { createChild, createCounty, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type GraphQLResponse, type Hub } from '../support/harness';

interface Node { id: string; enquiryId: string; agency: { code: string }; status: string; dueAt: string; overdue: boolean }
type Listed = { researchRequests: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: Node }> } };
const LIST = `query($filter: ResearchRequestFilter, $first: Int, $after: String) { researchRequests(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id enquiryId agency { code } status dueAt overdue } } } }`;

describe('front door: partner research queues', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  const enquiryIds: string[] = [];
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-r');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-r');
  const health = () => hub.token('NHEALTH', ['PRACTITIONER'], 'health-r');
  const school = () => hub.token('NSCHOOL', ['PRACTITIONER'], 'school-r');
  const list = (token: string, vars: Record<string, unknown> = {}) => hub.gql<Listed>(LIST, vars, token);
  const nodes = (res: GraphQLResponse<Listed>) => res.data?.researchRequests.edges.map((e) => e.node) ?? [];

  const openFor = async (childId: string): Promise<string> => {
    const res = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ id: childId }], referralSource: '2A', rating: 'GREEN', concern: 'Child often arrives at school hungry and tired',
      referrer: { professional: true, name: 'Head teacher' } } }, researcher());
    expect(res.errors).toBeUndefined();
    return res.data?.openEnquiry.id as string;
  };
  const ask = async (enquiryId: string, childId: string, agencyCodes: string[]): Promise<Array<{ id: string; agency: { code: string } }>> => {
    const res = await hub.gql<{ requestResearch: Array<{ id: string; agency: { code: string } }> }>(
      `mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id agency { code } } }`, { input: { enquiryId, childId, agencyCodes } }, researcher());
    expect(res.errors).toBeUndefined();
    return res.data?.requestResearch ?? [];
  };

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    const healthIds: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const child = await createChild(hub);
      const enquiryId = await openFor(child.id);
      enquiryIds.push(enquiryId);
      healthIds.push(...(await ask(enquiryId, child.id, ['NHEALTH', 'NSCHOOL'])).filter((r) => r.agency.code === 'NHEALTH').map((r) => r.id));
    }
    // Two of health's requests fell due an hour ago; one more is answered "nothing held".
    await hub.sql(`UPDATE research_request SET requested_at = now() - interval '3 days', due_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [healthIds.slice(0, 2)]);
    const answered = await hub.gql(`mutation($id: ID!) { respondToResearch(id: $id, input: { nothingHeld: true }) { id } }`, { id: healthIds[4] }, health());
    expect(answered.errors).toBeUndefined();
  });
  afterAll(() => hub.stop());

  it("pages an agency's own queue soonest due first, with totalCount, without duplicates or gaps", async () => {
    const seen: Node[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const res = await list(health(), { first: 2, after });
      expect(res.errors).toBeUndefined();
      expect(res.data?.researchRequests.totalCount).toBe(5);
      seen.push(...nodes(res));
      after = res.data?.researchRequests.pageInfo.endCursor ?? null;
      if (!res.data?.researchRequests.pageInfo.hasNextPage) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((n) => n.id)).size).toBe(5);
    expect(seen.every((n) => n.agency.code === 'NHEALTH')).toBe(true);
    const dues = seen.map((n) => n.dueAt);
    expect(dues).toEqual([...dues].sort());
    expect(seen.slice(0, 2).every((n) => n.overdue)).toBe(true);

    const all = await list(researcher(), { first: 50 });
    expect(all.data?.researchRequests.totalCount).toBe(10);
    const schoolOnly = await list(researcher(), { filter: { agencyCode: 'nschool' } });
    expect(nodes(schoolOnly).map((n) => n.agency.code)).toEqual(Array(5).fill('NSCHOOL'));
  });

  it('filters by status and overdue: an agency sees its open requests and which are overdue', async () => {
    const count = async (filter: Record<string, unknown>) => (await list(health(), { filter })).data?.researchRequests.totalCount;
    expect(await count({ status: 'OPEN' })).toBe(4);
    expect(await count({ status: 'ANSWERED' })).toBe(1);
    expect(await count({ status: 'WITHDRAWN' })).toBe(0);
    expect(await count({ overdue: false })).toBe(3);
    expect(await count({ status: 'OPEN', overdue: false })).toBe(2);
    const overdue = nodes(await list(health(), { filter: { overdue: true } }));
    expect(overdue).toHaveLength(2);
    expect(overdue.every((n) => n.overdue && n.status === 'OPEN' && new Date(n.dueAt) < new Date())).toBe(true);
    const byEnquiry = nodes(await list(researcher(), { filter: { enquiryId: enquiryIds[0] } }));
    expect(byEnquiry.map((n) => n.agency.code).sort()).toEqual(['NHEALTH', 'NSCHOOL']);
  });

  it("a partner never sees another agency's requests; DPOs see none", async () => {
    const schoolView = nodes(await list(school(), { first: 50 }));
    expect(schoolView).toHaveLength(5);
    expect(schoolView.every((n) => n.agency.code === 'NSCHOOL')).toBe(true);
    const asksForHealth = await list(school(), { filter: { agencyCode: 'NHEALTH' } });
    expect(errorCode(asksForHealth)).toBe('FORBIDDEN');
    expect(asksForHealth.data?.researchRequests ?? null).toBeNull();
    const ownCode = await list(school(), { filter: { agencyCode: 'NSCHOOL' } });
    expect(ownCode.data?.researchRequests.totalCount).toBe(5);
    expect(errorCode(await list(hub.token('NCSC', ['DPO'])))).toBe('FORBIDDEN');
    expect(errorCode(await list(hub.token('NCSC', ['ADMIN'])))).toBe('FORBIDDEN');
  });

  it.each([
    ['first below 1', { first: 0 }, 'first'],
    ['first above the page limit', { first: 500 }, 'first'],
    ['a cursor not issued by the API', { after: 'not-a-cursor' }, 'after'],
    ['a cursor of the wrong shape', { after: Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url') }, 'after'],
    ['an enquiry id that is not one', { filter: { enquiryId: 'nope' } }, 'filter.enquiryId'],
    ['an unknown agency', { filter: { agencyCode: 'NOPE' } }, 'filter.agencyCode'],
  ])('refuses %s naming the field', async (_name, vars, field) => {
    const res = await list(researcher(), vars);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
  });

  it("an enquiry shows its research, decision and strategy discussions in statements that do not grow with enquiries", async () => {
    const decided = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId: enquiryIds[1], outcome: 'EARLY_HELP', reliedOnRecordIds: [], rationale: 'School and health concerns are met by early help with the family agreeing.',
      sharing: [{ recipient: 'Parents', shared: true, what: 'The school concern', reason: 'Early help works with the family' }] } }, manager());
    expect(decided.errors).toBeUndefined();
    // Every enquiry's school request answered with a record, each cited id then decided by the
    // record policy for the reader.
    const schoolAsked = await hub.sql<{ id: string; child_id: string; enquiry_id: string }>(
      `SELECT rr.id, rr.child_id, rr.enquiry_id FROM research_request rr JOIN agency a ON a.id = rr.agency_id WHERE a.code = 'NSCHOOL' AND rr.enquiry_id = ANY($1::uuid[])`, [enquiryIds]);
    const cited = new Map<string, string>();
    for (const request of schoolAsked) {
      const record = await createRecord(hub, { agencyId: county.school.id, childId: request.child_id }, { category: 'ATTENDANCE' });
      const answered = await hub.gql(`mutation($id: ID!, $input: ResearchResponseInput!) { respondToResearch(id: $id, input: $input) { id } }`,
        { id: request.id, input: { nothingHeld: false, recordIds: [record.id] } }, school());
      expect(answered.errors).toBeUndefined();
      cited.set(request.enquiry_id, record.id);
    }
    const discussion = await hub.gql(`mutation($e: ID!, $r: [ID!]) { openStrategyDiscussion(enquiryId: $e, input: { risks: ["Neglect"], recordsShared: $r }) { id } }`,
      { e: enquiryIds[2], r: [cited.get(enquiryIds[2])] }, researcher());
    expect(discussion.errors).toBeUndefined();

    interface Answer { enquiries: { edges: Array<{ node: { id: string; decision: { outcome: string; reliedOnRecordIds: string[] } | null;
      researchRequests: Array<{ agency: { code: string }; child: { id: string } | null; answerRecordIds: string[] }>;
      strategyDiscussions: Array<{ status: string; risks: string[]; recordsShared: Array<{ recordId: string }> }> } }> } }
    const query = `query($first: Int) { enquiries(first: $first) { edges { node { id decision { outcome reliedOnRecordIds }
      researchRequests { agency { code } status child { id } answerRecordIds } strategyDiscussions { status risks recordsShared { recordId } } } } } }`;
    const statements = async (first: number) => {
      hub.queries.reset();
      const res = await hub.gql<Answer>(query, { first }, researcher());
      expect(res.errors).toBeUndefined();
      return { count: hub.queries.count, edges: res.data?.enquiries.edges.map((e) => e.node) ?? [] };
    };
    // The first read after the writes above finds the audit chain moved on and reads its tail
    // again (a few statements more); measured once that has happened, as in steady service.
    await statements(1);
    const one = await statements(1);
    const five = await statements(5);
    expect(five.edges).toHaveLength(5);
    expect(five.count).toBe(one.count);
    const byId = new Map(five.edges.map((n) => [n.id, n]));
    expect(byId.get(enquiryIds[1])?.decision).toEqual({ outcome: 'EARLY_HELP', reliedOnRecordIds: [] });
    expect(byId.get(enquiryIds[2])?.strategyDiscussions).toEqual([{ status: 'DRAFT', risks: ['Neglect'], recordsShared: [{ recordId: cited.get(enquiryIds[2]) }] }]);
    // Open enquiries: MASH staff know of the records their answers cite.
    expect(byId.get(enquiryIds[0])?.researchRequests.find((r) => r.agency.code === 'NSCHOOL')?.answerRecordIds).toEqual([cited.get(enquiryIds[0])]);
    expect(byId.get(enquiryIds[0])?.strategyDiscussions).toEqual([]);
    expect(byId.get(enquiryIds[0])?.researchRequests.map((r) => r.agency.code)).toEqual(['NHEALTH', 'NSCHOOL']);
    expect(five.edges.every((n) => n.researchRequests.every((r) => r.child !== null))).toBe(true);
  });

  it('a partner asked about a shielded child sees only what the policy allows: name, age and gender without a ground', async () => {
    const child = await createChild(hub, { shielded: true, givenName: 'Robin', familyName: 'Hidden', dateOfBirth: '2016-02-29', upn: null });
    await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const enquiryId = await openFor(child.id);
    await ask(enquiryId, child.id, ['NHEALTH', 'NSCHOOL']);
    const query = `query($e: ID!) { researchRequests(filter: { enquiryId: $e }) { edges { node { agency { code } childId
      child { id givenName familyName ageYears gender detailsWithheld dateOfBirth nhsNumber upn address postcode } } } } }`;
    type ChildShape = { givenName: string; detailsWithheld: boolean; dateOfBirth: string | null; nhsNumber: string | null; address: string | null; postcode: string | null };
    const seenBy = async (token: string) => {
      const res = await hub.gql<{ researchRequests: { edges: Array<{ node: { agency: { code: string }; child: ChildShape | null } }> } }>(query, { e: enquiryId }, token);
      expect(res.errors).toBeUndefined();
      return { body: JSON.stringify(res.data), nodes: res.data?.researchRequests.edges.map((e) => e.node) ?? [] };
    };

    // Health holds nothing about the child: being asked to research is not a ground.
    const asHealth = await seenBy(health());
    expect(asHealth.nodes).toHaveLength(1);
    expect(asHealth.nodes[0].child).toMatchObject({ givenName: 'Robin', detailsWithheld: true, dateOfBirth: null, nhsNumber: null, address: null, postcode: null });
    for (const secret of [child.dateOfBirth, child.nhsNumber, child.address, child.postcode]) expect(asHealth.body).not.toContain(secret);
    const [audited] = await hub.sql<{ outcome: string }>(`SELECT outcome FROM audit_event WHERE action = 'CHILD_VIEW' AND actor_sub = 'health-r' AND child_id = $1`, [child.id]);
    expect(audited.outcome).toBe('FLAG');
    // Nor does health see the enquiry, so the concern stays at the front door.
    const enquiry = await hub.gql<{ enquiry: unknown }>(`query($id: ID!) { enquiry(id: $id) { concern } }`, { id: enquiryId }, health());
    expect(enquiry.data?.enquiry).toBeNull();

    // School holds a record about the child, so it has its own ground (OWNER) and sees the details.
    const asSchool = await seenBy(school());
    expect(asSchool.nodes[0].child).toMatchObject({ detailsWithheld: false, dateOfBirth: '2016-02-29', nhsNumber: child.nhsNumber });

    // Health's integration account holds nothing about the child: the child does not exist for it.
    const asIntegration = await seenBy(hub.token('NHEALTH', ['INTEGRATION'], 'health-feed'));
    expect(asIntegration.nodes).toHaveLength(1);
    expect(asIntegration.nodes[0].child).toBeNull();
    expect(asIntegration.body).not.toContain('Robin');
  });
});
