import { createChild, createCounty, createRecord, type AgencyRow } from '../factories';
import { startHub, type Hub } from '../support/harness';

const STEPS = `query($id: ID!) { enquiry(id: $id) {
  decision { reliedOnRecordIds } researchRequests { agency { code } answerRecordIds } strategyDiscussions { recordsShared { recordId version } } } }`;

interface Steps { enquiry: {
  decision: { reliedOnRecordIds: string[] } | null;
  researchRequests: Array<{ agency: { code: string }; answerRecordIds: string[] }>;
  strategyDiscussions: Array<{ recordsShared: Array<{ recordId: string; version: number }> }>;
} | null }

/**
 * A research answer, a decision and a strategy discussion keep the ids of the records they cite.
 * Each id is shown only to someone the record's own decision would show it to: MASH staff while
 * the enquiry is open, and once it is decided only someone with a ground for the child.
 */
describe('front door: record ids kept by its steps follow the record policy', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-ids');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-ids');
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('shows MASH staff the ids while the enquiry is open, and after its decision only those with a ground', async () => {
    const child = await createChild(hub);
    const health = await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'INJURY' });
    const police = await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { category: 'POLICE_INCIDENT' });
    const opened = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ id: child.id }], referralSource: '3A', rating: 'AMBER', concern: 'GP concerned about an unexplained injury',
      referrer: { professional: true, name: 'Dr Patel', role: 'GP' } } }, researcher());
    const enquiryId = opened.data!.openEnquiry.id;
    const asked = await hub.gql<{ requestResearch: Array<{ id: string }> }>(
      `mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id } }`, { input: { enquiryId, childId: child.id, agencyCodes: ['NHEALTH'] } }, researcher());
    const answered = await hub.gql(`mutation($id: ID!, $input: ResearchResponseInput!) { respondToResearch(id: $id, input: $input) { id } }`,
      { id: asked.data!.requestResearch[0].id, input: { nothingHeld: false, recordIds: [health.id], note: 'Seen in A&E in March' } }, hub.token('NHEALTH', ['PRACTITIONER'], 'nurse-ids'));
    expect(answered.errors).toBeUndefined();
    const strategy = await hub.gql(`mutation($enquiryId: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $enquiryId, input: $input) { id } }`,
      { enquiryId, input: { recordsShared: [police.id] } }, manager());
    expect(strategy.errors).toBeUndefined();
    const whileOpen = await hub.gql<Steps>(STEPS, { id: enquiryId }, researcher());
    expect(whileOpen.errors).toBeUndefined();
    expect(whileOpen.data?.enquiry).toEqual({
      decision: null,
      researchRequests: [{ agency: { code: 'NHEALTH' }, answerRecordIds: [health.id] }],
      strategyDiscussions: [{ recordsShared: [{ recordId: police.id, version: null }] }],
    });

    const decided = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId, outcome: 'NO_FURTHER_ACTION', reliedOnRecordIds: [health.id, police.id],
      rationale: 'The injury has an explanation the GP accepts and the police incident was unrelated to the child.',
      sharing: [{ recipient: 'NHEALTH', shared: false, reason: 'Nothing new to share with the GP at this stage' }] } }, manager());
    expect(decided.errors).toBeUndefined();
    // Decided, the enquiry no longer lets MASH staff know of the child's records (docs/policy.md), and
    // social care holds nothing about the child and no ground names it: the steps do not say so either.
    const decidedSteps = await hub.gql<Steps>(STEPS, { id: enquiryId }, researcher());
    expect(decidedSteps.errors).toBeUndefined();
    expect(decidedSteps.data?.enquiry).toEqual({
      decision: { reliedOnRecordIds: [] },
      researchRequests: [{ agency: { code: 'NHEALTH' }, answerRecordIds: [] }],
      strategyDiscussions: [{ recordsShared: [] }],
    });

    // Editing the discussion's list replaces only what the editor may know of: a citation they are
    // not shown stays.
    const strategyId = (strategy.data as { openStrategyDiscussion: { id: string } }).openStrategyDiscussion.id;
    const edited = await hub.gql<{ updateStrategyDiscussion: { recordsShared: unknown[] } }>(
      `mutation($id: ID!, $input: StrategyDiscussionInput!) { updateStrategyDiscussion(id: $id, input: $input) { recordsShared { recordId } } }`,
      { id: strategyId, input: { recordsShared: [] } }, researcher());
    expect(edited.errors).toBeUndefined();
    expect(edited.data?.updateStrategyDiscussion.recordsShared).toEqual([]);
    expect(await hub.sql(`SELECT record_id, version FROM strategy_record_shared WHERE discussion_id = $1`, [strategyId])).toEqual([{ record_id: police.id, version: 1 }]);

    // Once social care holds a record about the child, its staff know of the others again.
    await createRecord(hub, { agencyId: county.social.id, childId: child.id }, { category: 'SOCIAL_CARE_INVOLVEMENT' });
    const withGround = await hub.gql<Steps>(STEPS, { id: enquiryId }, researcher());
    expect(withGround.data?.enquiry).toEqual({
      decision: { reliedOnRecordIds: [health.id, police.id] },
      researchRequests: [{ agency: { code: 'NHEALTH' }, answerRecordIds: [health.id] }],
      strategyDiscussions: [{ recordsShared: [{ recordId: police.id, version: null }] }],
    });
    // A flag shows no version; the police's own researcher, who reads the record in full, sees it.
    const byOwner = await hub.gql<Steps>(STEPS, { id: enquiryId }, hub.token('NPOL', ['MASH_RESEARCHER'], 'police-researcher-ids'));
    expect(byOwner.data?.enquiry?.strategyDiscussions).toEqual([{ recordsShared: [{ recordId: police.id, version: 1 }] }]);
    // The health practitioner still sees their own agency's answer in their queue.
    const own = await hub.gql<{ researchRequests: { edges: Array<{ node: { answerRecordIds: string[] } }> } }>(
      `query($filter: ResearchRequestFilter) { researchRequests(filter: $filter) { edges { node { answerRecordIds } } } }`,
      { filter: { enquiryId } }, hub.token('NHEALTH', ['PRACTITIONER'], 'nurse-ids'));
    expect(own.errors).toBeUndefined();
    expect(own.data?.researchRequests.edges.map((e) => e.node.answerRecordIds)).toEqual([[health.id]]);
  });
});
