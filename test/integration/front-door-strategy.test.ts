import { createChild, createCounty, createOpenEnquiry, createRecord } from '../factories';
import { startHub, type Hub } from '../support/harness';

const OPEN = `mutation($e: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $e, input: $input) { id status } }`;
const FINALISE = `mutation($id: ID!) { finaliseStrategyDiscussion(id: $id) { status actions { id } } }`;

describe('strategy discussions cannot be finalised incomplete', () => {
  let hub: Hub;
  let enquiryId: string;
  let recordId: string;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-s');
  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    const child = await createChild(hub);
    recordId = (await createRecord(hub, { agencyId: county.police.id, childId: child.id })).id;
    enquiryId = (await createOpenEnquiry(hub, { childIds: [child.id], openedByAgencyId: county.social.id })).id;
  });
  afterAll(() => hub.stop());

  it('names every missing part: risks, rationale, shared information, decision, attendees, an action owner and due date', async () => {
    const opened = await hub.gql<{ openStrategyDiscussion: { id: string } }>(OPEN, { e: enquiryId, input: { actions: [{ description: 'Visit the family' }] } }, researcher());
    expect(opened.errors).toBeUndefined();
    const id = opened.data?.openStrategyDiscussion.id;
    const refused = await hub.gql(FINALISE, { id }, researcher());
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = refused.errors?.[0].extensions?.problems?.map((p) => p.field);
    expect(fields).toEqual(['attendees', 'recordsShared', 'risks', 'rationale', 'decision', 'actions[0].owner', 'actions[0].dueAt']);
    const [row] = await hub.sql<{ status: string }>(`SELECT status FROM strategy_discussion WHERE id = $1`, [id]);
    expect(row.status).toBe('DRAFT');
    // Text too long to store is named by its field, before anything is written.
    const tooLong = await hub.gql(OPEN, { e: enquiryId, input: { risks: ['r'.repeat(2001)], rationale: 'x'.repeat(8001) } }, researcher());
    expect(tooLong.errors?.[0].extensions?.problems?.map((p) => p.field)).toEqual(['input.risks[0]', 'input.rationale']);
    expect(await hub.sql(`SELECT 1 FROM strategy_discussion WHERE enquiry_id = $1`, [enquiryId])).toHaveLength(1);
  });

  it('refuses only the action due date when that is all that is missing, then finalises, lists and completes an overdue action', async () => {
    const complete = { attendees: [{ agencyCode: 'NPOL', role: 'Detective constable' }], recordsShared: [recordId], risks: ['Child left alone overnight'],
      rationale: 'Neglect indicators from two agencies', decision: 'Section 47 enquiry to continue' };
    const opened = await hub.gql<{ openStrategyDiscussion: { id: string } }>(OPEN, { e: enquiryId, input: { ...complete,
      actions: [{ description: 'Police check', ownerAgencyCode: 'NPOL', ownerName: 'DC Brown' }] } }, researcher());
    const id = opened.data?.openStrategyDiscussion.id;
    const refused = await hub.gql(FINALISE, { id }, researcher());
    expect(refused.errors?.[0].extensions?.problems?.map((p) => p.field)).toEqual(['actions[0].dueAt']);
    const past = new Date(Date.now() - 3600_000).toISOString();
    const updated = await hub.gql(`mutation($id: ID!, $input: StrategyDiscussionInput!) { updateStrategyDiscussion(id: $id, input: $input) { id } }`,
      { id, input: { actions: [{ description: 'Police check', ownerAgencyCode: 'NPOL', ownerName: 'DC Brown', dueAt: past }] } }, researcher());
    expect(updated.errors).toBeUndefined();
    const done = await hub.gql<{ finaliseStrategyDiscussion: { status: string; actions: Array<{ id: string }> } }>(FINALISE, { id }, researcher());
    expect(done.data?.finaliseStrategyDiscussion.status).toBe('FINAL');
    const again = await hub.gql(`mutation($id: ID!) { updateStrategyDiscussion(id: $id, input: { risks: ["changed"] }) { id } }`, { id }, researcher());
    expect(again.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const police = hub.token('NPOL', ['PRACTITIONER'], 'dc-brown');
    const overdue = await hub.gql<{ overdueActions: Array<{ id: string; overdue: boolean }> }>(`{ overdueActions { id overdue } }`, {}, police);
    expect(overdue.data?.overdueActions).toEqual([{ id: done.data?.finaliseStrategyDiscussion.actions[0].id, overdue: true }]);
    const school = await hub.gql<{ overdueActions: unknown[] }>(`{ overdueActions { id } }`, {}, hub.token('NSCHOOL', ['PRACTITIONER']));
    expect(school.data?.overdueActions).toEqual([]);
    const completed = await hub.gql<{ completeAction: { overdue: boolean; completedAt: string } }>(
      `mutation($id: ID!) { completeAction(id: $id, note: "Checks done") { overdue completedAt } }`, { id: overdue.data?.overdueActions[0].id }, police);
    expect(completed.data?.completeAction.overdue).toBe(false);
    const after = await hub.gql<{ overdueActions: unknown[] }>(`{ overdueActions { id } }`, {}, police);
    expect(after.data?.overdueActions).toEqual([]);
  });
});
