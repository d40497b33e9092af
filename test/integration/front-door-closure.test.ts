import { Client } from 'pg';
import { createChild, createCounty, createLawfulBasis, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { untilSomethingWaits } from '../support/lock-wait';

const CLOSE = `mutation($id: ID!, $reason: String!) { closeEnquiry(id: $id, reason: $reason) {
  id status closure { closedAt closedByName reason } researchRequests { agency { code } status overdue withdrawnAt } } }`;
const REASON = 'No further action agreed; family signposted to universal services';

interface Closed { closeEnquiry: { id: string; status: string; closure: { closedAt: string; closedByName: string; reason: string } | null;
  researchRequests: Array<{ agency: { code: string }; status: string; overdue: boolean; withdrawnAt: string | null }> } }

describe('front door: closing an enquiry', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-c');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-c');
  const school = () => hub.token('NSCHOOL', ['PRACTITIONER'], 'school-c');

  const open = async (childIds: string[]): Promise<string> => {
    const res = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: childIds.map((id) => ({ id })), referralSource: '3A', rating: 'AMBER', concern: 'GP concerned about repeated missed appointments',
      referrer: { professional: true, name: 'Dr Patel', role: 'GP' } } }, researcher());
    expect(res.errors).toBeUndefined();
    return res.data?.openEnquiry.id as string;
  };
  const decide = async (enquiryId: string, outcome: string) => {
    const res = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId, outcome, reliedOnRecordIds: [], rationale: 'What the partners hold, weighed together, sets the response the family needs now.',
      sharing: [{ recipient: 'NHEALTH', shared: false, reason: 'Nothing new to share with the GP at this stage' }] } }, manager());
    expect(res.errors).toBeUndefined();
  };
  const statusOf = async (id: string) => (await hub.sql<{ status: string }>(`SELECT status FROM enquiry WHERE id = $1`, [id]))[0].status;
  const closeAudits = async (id: string) =>
    (await hub.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'ENQUIRY_CLOSE' AND purpose->>'enquiryId' = $1`, [id]))[0].n;

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('only a social care manager closes an enquiry', async () => {
    const id = await open([(await createChild(hub)).id]);
    await decide(id, 'NO_FURTHER_ACTION');
    for (const token of [researcher(), hub.token('NPOL', ['MANAGER']), school(), hub.token('NCSC', ['DPO'])]) {
      const res = await hub.gql(CLOSE, { id, reason: REASON }, token);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    expect(await statusOf(id)).toBe('DECIDED');
    expect(await closeAudits(id)).toBe(0);
  });

  it('refuses, naming the field, a short reason, an unknown id, an undecided enquiry and an s47 decision without a strategy discussion', async () => {
    const undecided = await open([(await createChild(hub)).id]);
    const s47 = await open([(await createChild(hub)).id]);
    await decide(s47, 'STRATEGY_DISCUSSION_S47');
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ id: undecided, reason: 'done' }, 'reason', /reason/],
      [{ id: 'not-an-id', reason: REASON }, 'id', /no such enquiry/],
      [{ id: '00000000-0000-4000-8000-000000000000', reason: REASON }, 'id', /no such enquiry/],
      [{ id: undecided, reason: REASON }, 'id', /record the decision first/],
      [{ id: s47, reason: REASON }, 'id', /strategy discussion is finalised/],
    ];
    for (const [vars, field, message] of cases) {
      const res = await hub.gql(CLOSE, vars, manager());
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe(field);
      expect(res.errors?.[0].message).toMatch(message);
    }
    expect(await statusOf(undecided)).toBe('OPEN');
    expect(await statusOf(s47)).toBe('DECIDED');
    expect((await closeAudits(undecided)) + (await closeAudits(s47))).toBe(0);
  });

  it('closes a decided enquiry: closure recorded, unanswered research withdrawn, audited per child, shown in the chronology', async () => {
    const [first, second] = [await createChild(hub), await createChild(hub)];
    const id = await open([first.id, second.id]);
    const asked = await hub.gql<{ requestResearch: Array<{ id: string; agency: { code: string } }> }>(
      `mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id agency { code } } }`,
      { input: { enquiryId: id, childId: first.id, agencyCodes: ['NHEALTH', 'NSCHOOL'] } }, researcher());
    const requestOf = (code: string) => asked.data?.requestResearch.find((r) => r.agency.code === code)?.id;
    const healthAnswer = await hub.gql(`mutation($id: ID!) { respondToResearch(id: $id, input: { nothingHeld: true }) { id } }`,
      { id: requestOf('NHEALTH') }, hub.token('NHEALTH', ['PRACTITIONER']));
    expect(healthAnswer.errors).toBeUndefined();
    await decide(id, 'NO_FURTHER_ACTION');

    const closed = await hub.gql<Closed>(CLOSE, { id, reason: `  ${REASON}  ` }, manager());
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.closeEnquiry).toMatchObject({ status: 'CLOSED', closure: { closedByName: 'Test manager-c', reason: REASON } });
    const requests = closed.data?.closeEnquiry.researchRequests ?? [];
    expect(requests.map((r) => [r.agency.code, r.status, r.overdue])).toEqual([['NHEALTH', 'ANSWERED', false], ['NSCHOOL', 'WITHDRAWN', false]]);
    expect(requests[1].withdrawnAt).toBe(closed.data?.closeEnquiry.closure?.closedAt);

    // The school is no longer chased: its open queue is empty, and a late answer is refused.
    const schoolQueue = await hub.gql<{ researchRequests: { totalCount: number } }>(`{ researchRequests(filter: { status: OPEN }) { totalCount } }`, {}, school());
    expect(schoolQueue.data?.researchRequests.totalCount).toBe(0);
    const late = await hub.gql(`mutation($id: ID!) { respondToResearch(id: $id, input: { nothingHeld: true }) { id } }`, { id: requestOf('NSCHOOL') }, school());
    expect(errorCode(late)).toBe('BAD_USER_INPUT');
    expect(late.errors?.[0].extensions?.field).toBe('id');

    const audits = await hub.sql<{ child_id: string; actor_sub: string; query: { reason: string; withdrawnResearchRequestIds: string[] } }>(
      `SELECT child_id, actor_sub, query FROM audit_event WHERE action = 'ENQUIRY_CLOSE' AND purpose->>'enquiryId' = $1 ORDER BY child_id`, [id]);
    expect(audits.map((a) => a.child_id)).toEqual([first.id, second.id].sort());
    expect(audits.every((a) => a.actor_sub === 'manager-c' && a.query.reason === REASON)).toBe(true);
    expect(audits[0].query.withdrawnResearchRequestIds).toEqual([requestOf('NSCHOOL')]);

    // With no enquiry open, front-door steps are shown only to someone with a ground for the child.
    const noGround = await hub.gql<{ child: { chronology: { edges: Array<{ node: { kind: string } }> } } }>(
      `query($id: ID!) { child(id: $id) { chronology(purpose: { reason: "Reviewing the closed contact" }, first: 50) { edges { node { kind } } } } }`, { id: second.id }, manager());
    expect(noGround.data?.child.chronology.edges.filter((e) => e.node.kind !== 'RECORD')).toEqual([]);
    await createLawfulBasis(hub, { childId: second.id, recordedByAgencyId: county.social.id }, { kind: 'CHILD_PROTECTION_PLAN' });
    const chronology = await hub.gql<{ child: { chronology: { edges: Array<{ node: { kind: string; summary: string; agency: { code: string }; provenance: { id: string } } }> } } }>(
      `query($id: ID!) { child(id: $id) { chronology(purpose: { reason: "Reviewing the closed contact" }, first: 50) { edges { node { kind summary agency { code } provenance { id } } } } } }`,
      { id: second.id }, manager());
    const entries = chronology.data?.child.chronology.edges.map((e) => e.node) ?? [];
    expect(entries[0]).toEqual({ kind: 'ENQUIRY_CLOSED', summary: 'Enquiry closed', agency: { code: 'NCSC' }, provenance: { id } });
    expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['DECISION', 'ENQUIRY']));
    expect(JSON.stringify(entries)).not.toContain(REASON);

    const again = await hub.gql(CLOSE, { id, reason: REASON }, manager());
    expect(again.errors?.[0].extensions?.field).toBe('id');
    expect(again.errors?.[0].message).toMatch(/already closed/);
    expect(await closeAudits(id)).toBe(2);
    const listed = await hub.gql<{ enquiries: { edges: Array<{ node: { id: string } }> } }>(`{ enquiries(filter: { status: CLOSED }) { edges { node { id } } } }`, {}, researcher());
    expect(listed.data?.enquiries.edges.map((e) => e.node.id)).toContain(id);
  });

  it('a decided or closed enquiry is neither decided again nor re-rated', async () => {
    const id = await open([(await createChild(hub)).id]);
    await decide(id, 'EARLY_HELP');
    const redecide = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId: id, outcome: 'NO_FURTHER_ACTION', reliedOnRecordIds: [], rationale: 'A second decision must not replace the first one on record here.',
      sharing: [{ recipient: 'Family', shared: false, reason: 'Nothing to share at this stage' }] } }, manager());
    expect(errorCode(redecide)).toBe('BAD_USER_INPUT');
    expect(redecide.errors?.[0].extensions?.field).toBe('input.enquiryId');
    const rerate = async () => hub.gql(`mutation($id: ID!) { rerateEnquiry(id: $id, rating: RED, reason: "New information from the school") { id } }`, { id }, researcher());
    expect((await rerate()).errors?.[0].extensions?.field).toBe('id');
    expect((await hub.gql(CLOSE, { id, reason: REASON }, manager())).errors).toBeUndefined();
    expect((await rerate()).errors?.[0].extensions?.field).toBe('id');
    // Nor is a strategy discussion opened on it: a closed enquiry has no draft.
    const late = await hub.gql(`mutation($e: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $e, input: $input) { id } }`,
      { e: id, input: { attendees: [{ agencyCode: 'NCSC', role: 'Chair' }] } }, manager());
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'enquiryId' });
    expect(await hub.sql(`SELECT 1 FROM strategy_discussion WHERE enquiry_id = $1`, [id])).toEqual([]);
    const [counts] = await hub.sql<{ decisions: number; ratings: number }>(
      `SELECT (SELECT count(*)::int FROM enquiry_decision WHERE enquiry_id = $1) AS decisions, (SELECT count(*)::int FROM enquiry_rating WHERE enquiry_id = $1) AS ratings`, [id]);
    expect(counts).toEqual({ decisions: 1, ratings: 1 });
  });

  it('research withdrawn at closure is not counted as overdue in the timeliness figures', async () => {
    const child = await createChild(hub);
    const opened = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ id: child.id }], referralSource: '3A', rating: 'GREEN', concern: 'GP concerned about repeated missed appointments',
      referrer: { professional: true, name: 'Dr Patel' }, receivedAt: '2024-03-05T10:00:00.000Z' } }, researcher());
    const id = opened.data?.openEnquiry.id as string;
    const asked = await hub.gql(`mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id } }`,
      { input: { enquiryId: id, childId: child.id, agencyCodes: ['NSCHOOL'], dueAt: new Date(Date.now() + 3600_000).toISOString() } }, researcher());
    expect(asked.errors).toBeUndefined();
    await hub.sql(`UPDATE research_request SET requested_at = '2024-03-05T11:00:00Z', due_at = '2024-03-06T11:00:00Z' WHERE enquiry_id = $1`, [id]);
    const schoolFigures = async () => {
      const res = await hub.gql<{ frontDoorMetrics: { researchByAgency: Array<{ agencyCode: string; requested: number; unansweredOverdue: number }> } }>(
        `{ frontDoorMetrics(from: "2024-03-01T00:00:00Z", to: "2024-03-10T00:00:00Z") { researchByAgency { agencyCode requested unansweredOverdue } } }`, {}, manager());
      expect(res.errors).toBeUndefined();
      return res.data?.frontDoorMetrics.researchByAgency.find((r) => r.agencyCode === 'NSCHOOL');
    };
    expect(await schoolFigures()).toEqual({ agencyCode: 'NSCHOOL', requested: 1, unansweredOverdue: 1 });
    await decide(id, 'NO_FURTHER_ACTION');
    expect((await hub.gql(CLOSE, { id, reason: REASON }, manager())).errors).toBeUndefined();
    expect(await schoolFigures()).toEqual({ agencyCode: 'NSCHOOL', requested: 1, unansweredOverdue: 0 });
  });

  it('an s47 decision closes once its strategy discussion is finalised, and not while a draft is open', async () => {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.police.id, childId: child.id });
    const id = await open([child.id]);
    // Opened while the enquiry is open, when the front door may cite the records it knows are held.
    const discussion = await hub.gql<{ openStrategyDiscussion: { id: string } }>(
      `mutation($e: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $e, input: $input) { id } }`,
      { e: id, input: { attendees: [{ agencyCode: 'NPOL', role: 'Detective sergeant' }], recordsShared: [record.id], risks: ['Missed medical care'],
        rationale: 'Repeated missed appointments with a police concern', decision: 'Section 47 enquiry',
        actions: [{ description: 'Home visit', ownerAgencyCode: 'NCSC', ownerName: 'Social worker B', dueAt: new Date(Date.now() + 86400_000).toISOString() }] } }, researcher());
    expect(discussion.errors).toBeUndefined();
    await decide(id, 'STRATEGY_DISCUSSION_S47');
    const whileDraft = await hub.gql(CLOSE, { id, reason: REASON }, manager());
    expect(whileDraft.errors?.[0].message).toMatch(/finalise the draft strategy discussion/);
    const finalised = await hub.gql(`mutation($id: ID!) { finaliseStrategyDiscussion(id: $id) { status } }`, { id: discussion.data?.openStrategyDiscussion.id }, researcher());
    expect(finalised.errors).toBeUndefined();
    const closed = await hub.gql<Closed>(CLOSE, { id, reason: 'Section 47 continues with the locality team' }, manager());
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.closeEnquiry.status).toBe('CLOSED');
  });

  it('a shielded child on a closed enquiry shows MASH staff only name, age and gender once no ground remains', async () => {
    const child = await createChild(hub, { shielded: true, givenName: 'Kit', dateOfBirth: '2015-07-01' });
    const id = await open([child.id]);
    const childrenOf = async () => {
      const res = await hub.gql<{ enquiry: { children: Array<{ givenName: string; detailsWithheld: boolean; dateOfBirth: string | null; nhsNumber: string | null }> } }>(
        `query($id: ID!) { enquiry(id: $id) { children { givenName detailsWithheld dateOfBirth nhsNumber } } }`, { id }, researcher());
      expect(res.errors).toBeUndefined();
      return res.data?.enquiry.children ?? [];
    };
    // While the enquiry is open it is the front door's reason to know who the child is.
    expect(await childrenOf()).toEqual([{ givenName: 'Kit', detailsWithheld: false, dateOfBirth: '2015-07-01', nhsNumber: child.nhsNumber }]);
    await decide(id, 'NO_FURTHER_ACTION');
    const closed = await hub.gql(CLOSE, { id, reason: REASON }, manager());
    expect(closed.errors).toBeUndefined();
    expect(await childrenOf()).toEqual([{ givenName: 'Kit', detailsWithheld: true, dateOfBirth: null, nhsNumber: null }]);
    // Nor does its referral history say who contacted the front door about it, and when.
    const history = await hub.gql<{ child: { referralHistory: unknown } }>(`query($id: ID!) { child(id: $id) { referralHistory { enquiryIds } } }`, { id: child.id }, researcher());
    expect(history.data?.child.referralHistory).toBeNull();
    // Nor do its enquiries, asked for by the child: none, as for a child never referred.
    const ENQUIRIES_OF = `query($childId: ID!) { enquiries(filter: { childId: $childId }) { edges { node { id } } } }`;
    const listed = await hub.gql<{ enquiries: { edges: Array<{ node: { id: string } }> } }>(ENQUIRIES_OF, { childId: child.id }, researcher());
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.enquiries.edges).toEqual([]);
    // A child seen in full keeps its history for MASH staff, with or without a ground.
    const plain = await createChild(hub);
    const other = await open([plain.id]);
    await decide(other, 'NO_FURTHER_ACTION');
    expect((await hub.gql(CLOSE, { id: other, reason: REASON }, manager())).errors).toBeUndefined();
    const kept = await hub.gql<{ child: { referralHistory: { enquiryIds: string[] } } }>(`query($id: ID!) { child(id: $id) { referralHistory { enquiryIds } } }`, { id: plain.id }, researcher());
    expect(kept.data?.child.referralHistory.enquiryIds).toEqual([other]);
    const keptList = await hub.gql<{ enquiries: { edges: Array<{ node: { id: string } }> } }>(ENQUIRIES_OF, { childId: plain.id }, researcher());
    expect(keptList.data?.enquiries.edges).toEqual([{ node: { id: other } }]);
  });

  it('counts a strategy discussion opened while the close waits for it, and refuses the close', async () => {
    const id = await open([(await createChild(hub)).id]);
    await decide(id, 'NO_FURTHER_ACTION');
    const opener = new Client({ connectionString: hub.databaseUrl });
    await opener.connect();
    try {
      // A discussion being opened: the enquiry locked as openStrategyDiscussion locks it, the draft not yet committed.
      await opener.query('BEGIN');
      await opener.query('SELECT status FROM enquiry WHERE id = $1 FOR SHARE', [id]);
      await opener.query(`INSERT INTO strategy_discussion (enquiry_id, held_at, created_by_sub) VALUES ($1, now(), 'chair-c')`, [id]);
      const closing = hub.gql(CLOSE, { id, reason: REASON }, manager());
      await untilSomethingWaits(opener, 'the close');
      await opener.query('COMMIT');
      const closed = await closing;
      expect(closed.errors?.[0].extensions?.field).toBe('id');
      expect(await statusOf(id)).toBe('DECIDED');
    } finally {
      await opener.end();
    }
  });
});
