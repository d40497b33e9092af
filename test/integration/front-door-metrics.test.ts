import { createChild, createCounty } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

describe('front-door metrics', () => {
  let hub: Hub;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-m');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-m');
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const open = async (childId: string, receivedAt: Date, rating: string): Promise<string> => {
    const res = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ id: childId }], referralSource: '2A', rating, concern: 'School reports the child is often hungry and unkempt',
      referrer: { professional: true, name: 'Head teacher' }, receivedAt: receivedAt.toISOString() } }, researcher());
    expect(res.errors).toBeUndefined();
    return res.data?.openEnquiry.id as string;
  };
  const decide = async (enquiryId: string) => {
    const res = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId, outcome: 'EARLY_HELP', reliedOnRecordIds: [], rationale: 'Needs met by early help with the family agreeing to a family support worker.',
      sharing: [{ recipient: 'Parents', shared: true, what: 'The school concern', reason: 'Early help works with the family consent' }] } }, manager());
    expect(res.errors).toBeUndefined();
  };

  it('counts by rating and outcome, timeliness within one working day, research per agency and re-referrals, in SQL', async () => {
    const child = await createChild(hub);
    const now = Date.now();
    // The older contact first: the later one is then a re-referral within 12 months.
    const old = await open(child.id, new Date(now - 10 * 86400_000), 'GREEN');
    const recent = await open(child.id, new Date(now - 3600_000), 'RED');
    await open((await createChild(hub)).id, new Date(now - 2 * 3600_000), 'GREEN');
    await decide(recent);
    await decide(old);
    const asked = await hub.gql<{ requestResearch: Array<{ id: string }> }>(`mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id } }`,
      { input: { enquiryId: (await hub.sql<{ id: string }>(`SELECT e.id FROM enquiry e WHERE e.status = 'OPEN'`))[0].id,
        childId: (await hub.sql<{ child_id: string }>(`SELECT ec.child_id FROM enquiry_child ec JOIN enquiry e ON e.id = ec.enquiry_id WHERE e.status = 'OPEN'`))[0].child_id,
        agencyCodes: ['NHEALTH', 'NPOL'] } }, researcher());
    expect(asked.errors).toBeUndefined();
    const healthRequest = (await hub.sql<{ id: string }>(`SELECT rr.id FROM research_request rr JOIN agency a ON a.id = rr.agency_id WHERE a.code = 'NHEALTH'`))[0].id;
    await hub.gql(`mutation($id: ID!) { respondToResearch(id: $id, input: { nothingHeld: true }) { id } }`, { id: healthRequest }, hub.token('NHEALTH', ['PRACTITIONER']));

    const query = `query($from: DateTime!, $to: DateTime!) { frontDoorMetrics(from: $from, to: $to) { enquiries decided decidedWithinOneWorkingDayShare
      byRating { key count } byOutcome { key count } researchByAgency { agencyCode requested answeredOnTime unansweredOverdue } overdueActions reReferralRate } }`;
    const vars = { from: new Date(now - 30 * 86400_000).toISOString(), to: new Date(now + 60_000).toISOString() };
    const res = await hub.gql<{ frontDoorMetrics: Record<string, unknown> }>(query, vars, manager());
    expect(res.errors).toBeUndefined();
    expect(res.data?.frontDoorMetrics).toEqual({
      enquiries: 3, decided: 2, decidedWithinOneWorkingDayShare: 0.5,
      byRating: [{ key: 'GREEN', count: 2 }, { key: 'RED', count: 1 }], byOutcome: [{ key: 'EARLY_HELP', count: 2 }],
      researchByAgency: [{ agencyCode: 'NHEALTH', requested: 1, answeredOnTime: 1, unansweredOverdue: 0 }, { agencyCode: 'NPOL', requested: 1, answeredOnTime: 0, unansweredOverdue: 0 }],
      overdueActions: 0, reReferralRate: 1 / 3,
    });
    expect(errorCode(await hub.gql(query, vars, researcher()))).toBe('FORBIDDEN');
  });
});
