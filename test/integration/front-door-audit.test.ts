import { createChild, createCounty, createOpenEnquiry, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

interface AuditRow { outcome: string; child_id: string | null; result_ids: string[] | null }

/** Every front-door read is audited with what it showed; every refusal as DENIED. */
describe('front door: reads are audited', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  let childId: string;
  let enquiryId: string;
  let actionId: string;
  let requestId: string;
  const researcher = (sub: string) => hub.token('NCSC', ['MASH_RESEARCHER'], sub);
  const audits = (action: string, sub: string) => hub.sql<AuditRow>(
    `SELECT outcome, child_id, result_ids::text[] AS result_ids FROM audit_event WHERE action = $1 AND actor_sub = $2 ORDER BY seq`, [action, sub]);

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    childId = (await createChild(hub)).id;
    enquiryId = (await createOpenEnquiry(hub, { childIds: [childId], openedByAgencyId: county.social.id })).id;
    const [discussion] = await hub.sql<{ id: string }>(
      `INSERT INTO strategy_discussion (enquiry_id, held_at, rationale, decision, status, created_by_sub, finalised_by_sub, finalised_at)
       VALUES ($1, now() - interval '3 days', 'Bruising unexplained', 'Section 47 enquiries', 'FINAL', 'manager', 'manager', now() - interval '3 days') RETURNING id`, [enquiryId]);
    [{ id: actionId }] = await hub.sql<{ id: string }>(
      `INSERT INTO strategy_action (discussion_id, description, owner_agency_id, owner_name, due_at)
       VALUES ($1, 'Police to check the household for recent call-outs', $2, 'DS Lee', now() - interval '1 day') RETURNING id`, [discussion.id, county.police.id]);
    [{ id: requestId }] = await hub.sql<{ id: string }>(
      `INSERT INTO research_request (enquiry_id, child_id, agency_id, requested_by_sub, requested_by_name, requested_at, due_at)
       VALUES ($1, $2, $3, 'researcher', 'A Researcher', now(), now() + interval '1 day') RETURNING id`, [enquiryId, childId, county.health.id]);
  });
  afterAll(() => hub.stop());

  it('referralHistory: the enquiries shown to MASH staff, a refusal for anyone else', async () => {
    const query = `query($id: ID!) { child(id: $id) { referralHistory { enquiryIds } } }`;
    const mash = await hub.gql<{ child: { referralHistory: { enquiryIds: string[] } | null } }>(query, { id: childId }, researcher('history-mash'));
    expect(mash.data?.child.referralHistory?.enquiryIds).toEqual([enquiryId]);
    expect(await audits('REFERRAL_HISTORY_VIEW', 'history-mash')).toEqual([{ outcome: 'OK', child_id: childId, result_ids: [enquiryId] }]);

    const police = await hub.gql<{ child: { referralHistory: unknown } | null }>(query, { id: childId }, hub.token('NPOL', ['PRACTITIONER'], 'history-police'));
    expect(police.data?.child?.referralHistory ?? null).toBeNull();
    expect(await audits('REFERRAL_HISTORY_VIEW', 'history-police')).toEqual([{ outcome: 'DENIED', child_id: childId, result_ids: null }]);
  });

  it('overdueActions: the actions shown; a DPO, an administrator and an integration account are refused', async () => {
    const query = `{ overdueActions { id description } }`;
    const owner = await hub.gql<{ overdueActions: Array<{ id: string }> }>(query, {}, hub.token('NPOL', ['PRACTITIONER'], 'actions-police'));
    expect(owner.data?.overdueActions.map((a) => a.id)).toEqual([actionId]);
    expect(await audits('OVERDUE_ACTIONS_VIEW', 'actions-police')).toEqual([{ outcome: 'OK', child_id: null, result_ids: [actionId] }]);

    for (const [code, role, sub] of [['NPOL', 'INTEGRATION', 'actions-feed'], ['NCSC', 'ADMIN', 'actions-admin'], ['NCSC', 'DPO', 'actions-dpo']] as const) {
      const res = await hub.gql<{ overdueActions: unknown }>(query, {}, hub.token(code, [role], sub));
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(JSON.stringify(res)).not.toContain('call-outs');
      expect(await audits('OVERDUE_ACTIONS_VIEW', sub)).toEqual([{ outcome: 'DENIED', child_id: null, result_ids: null }]);
    }
  });

  it("an enquiry's research requests, read through the enquiry, are audited with the requests shown", async () => {
    const res = await hub.gql<{ enquiry: { researchRequests: Array<{ id: string }> } }>(
      `query($id: ID!) { enquiry(id: $id) { researchRequests { id note } } }`, { id: enquiryId }, researcher('research-mash'));
    expect(res.data?.enquiry.researchRequests.map((r) => r.id)).toEqual([requestId]);
    expect(await audits('RESEARCH_REQUESTS_VIEW', 'research-mash')).toEqual([{ outcome: 'OK', child_id: null, result_ids: [requestId] }]);
    expect(await audits('ENQUIRY_VIEW', 'research-mash')).toEqual([{ outcome: 'OK', child_id: null, result_ids: [enquiryId] }]);
  });

  it('a research queue refused is audited as DENIED', async () => {
    const list = `query($filter: ResearchRequestFilter) { researchRequests(filter: $filter) { totalCount } }`;
    expect(errorCode(await hub.gql(list, {}, hub.token('NCSC', ['DPO'], 'queue-dpo')))).toBe('FORBIDDEN');
    expect(errorCode(await hub.gql(list, { filter: { agencyCode: 'NHEALTH' } }, hub.token('NSCHOOL', ['PRACTITIONER'], 'queue-school')))).toBe('FORBIDDEN');
    expect(await audits('RESEARCH_REQUEST_LIST', 'queue-dpo')).toEqual([{ outcome: 'DENIED', child_id: null, result_ids: null }]);
    expect(await audits('RESEARCH_REQUEST_LIST', 'queue-school')).toEqual([{ outcome: 'DENIED', child_id: null, result_ids: null }]);
  });

  it('enquiry and enquiries: a partner asking is refused, and the refusal recorded', async () => {
    const police = () => hub.token('NPOL', ['MANAGER'], 'enquiry-police');
    const one = await hub.gql<{ enquiry: unknown }>(`query($id: ID!) { enquiry(id: $id) { id concern } }`, { id: enquiryId }, police());
    expect(one.data?.enquiry).toBeNull();
    expect(await audits('ENQUIRY_VIEW', 'enquiry-police')).toEqual([{ outcome: 'DENIED', child_id: null, result_ids: null }]);
    expect(errorCode(await hub.gql(`{ enquiries { edges { node { id } } } }`, {}, police()))).toBe('FORBIDDEN');
    expect(await audits('ENQUIRY_LIST', 'enquiry-police')).toEqual([{ outcome: 'DENIED', child_id: null, result_ids: null }]);

    const listed = await hub.gql<{ enquiries: { edges: Array<{ node: { id: string } }> } }>(`{ enquiries { edges { node { id } } } }`, {}, researcher('enquiry-mash'));
    expect(listed.data?.enquiries.edges.map((e) => e.node.id)).toEqual([enquiryId]);
    expect(await audits('ENQUIRY_LIST', 'enquiry-mash')).toEqual([{ outcome: 'OK', child_id: null, result_ids: [enquiryId] }]);
  });
});
