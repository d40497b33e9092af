import { createChild, createCounty, createRecord, type AgencyRow, type RecordFactory } from '../factories';
import { startHub, type Hub } from '../support/harness';

interface Entry { kind: string; summary: string; visibility: string | null; agency: { code: string }; provenance: { kind: string; id: string }; record: { summary: string | null; detail: string | null } | null }
const CHRONOLOGY = `query($id: ID!, $purpose: PurposeInput!) { child(id: $id) { chronology(purpose: $purpose, first: 100) {
  totalCount edges { node { kind summary visibility agency { code } provenance { kind id } record { summary detail } } } } } }`;

describe('front door: a domestic abuse contact walked from receipt to strategy discussion', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  let childId: string;
  let records: Record<'police' | 'restricted' | 'health' | 'school', RecordFactory>;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-1');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-1');
  const healthWorker = () => hub.token('NHEALTH', ['PRACTITIONER'], 'health-1');
  const schoolWorker = () => hub.token('NSCHOOL', ['PRACTITIONER'], 'school-1');

  const chronologyFor = async (token: string, purpose: Record<string, string>): Promise<Entry[]> => {
    const res = await hub.gql<{ child: { chronology: { edges: Array<{ node: Entry }> } } }>(CHRONOLOGY, { id: childId, purpose }, token);
    expect(res.errors).toBeUndefined();
    return res.data?.child.chronology.edges.map((e) => e.node) ?? [];
  };
  const recordEntry = (entries: Entry[], id: string) => entries.find((e) => e.provenance.id === id);

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    childId = (await createChild(hub)).id;
    records = {
      police: await createRecord(hub, { agencyId: county.police.id, childId }, { category: 'DOMESTIC_ABUSE', summary: 'Police called to domestic abuse at home', occurredAt: new Date('2025-03-01T22:00:00Z') }),
      restricted: await createRecord(hub, { agencyId: county.police.id, childId }, { category: 'POLICE_INCIDENT', sensitivity: 'RESTRICTED', summary: 'Live investigation', occurredAt: new Date('2025-03-02T09:00:00Z') }),
      health: await createRecord(hub, { agencyId: county.health.id, childId }, { category: 'INJURY', summary: 'Bruising seen by health visitor', occurredAt: new Date('2025-02-20T10:00:00Z') }),
      school: await createRecord(hub, { agencyId: county.school.id, childId }, { category: 'ATTENDANCE', summary: 'Attendance fell to 80%', occurredAt: new Date('2025-02-10T10:00:00Z') }),
    };
  });
  afterAll(() => hub.stop());

  it('walks the case with the right visibility at every step', async () => {
    // 1. Police contact about domestic abuse, rated AMBER.
    const opened = await hub.gql<{ openEnquiry: { id: string; rating: string; decisionDueAt: string } }>(
      `mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id rating decisionDueAt } }`,
      { input: { children: [{ id: childId }], referralSource: '6', rating: 'AMBER', concern: 'Domestic abuse incident; child present in the home',
        referrer: { professional: true, name: 'PC Smith', role: 'Response officer' } } }, researcher());
    expect(opened.errors).toBeUndefined();
    const enquiryId = opened.data?.openEnquiry.id as string;

    // 2. The open enquiry gives the researcher flags: who holds what, nothing of content.
    const flags = await chronologyFor(researcher(), { enquiryId });
    for (const r of [records.health, records.school, records.police, records.restricted]) {
      expect(recordEntry(flags, r.id)).toMatchObject({ visibility: 'FLAG', record: { summary: null, detail: null } });
    }
    expect(recordEntry(flags, records.health.id)?.summary).toBe('Information held by Northshire Health Trust');
    expect(flags.some((e) => e.kind === 'ENQUIRY')).toBe(true);

    // 3. Research asked of health and school; each sees only its own request.
    const asked = await hub.gql<{ requestResearch: Array<{ id: string; agency: { code: string }; dueAt: string }> }>(
      `mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id agency { code } dueAt } }`,
      { input: { enquiryId, childId, agencyCodes: ['NHEALTH', 'NSCHOOL'] } }, researcher());
    expect(asked.errors).toBeUndefined();
    expect(asked.data?.requestResearch.map((r) => r.agency.code)).toEqual(['NHEALTH', 'NSCHOOL']);
    const healthView = await hub.gql<{ researchRequests: { totalCount: number; edges: Array<{ node: { id: string; agency: { code: string }; overdue: boolean } }> } }>(
      `{ researchRequests(filter: { status: OPEN }) { totalCount edges { node { id agency { code } overdue } } } }`, {}, healthWorker());
    const healthRequests = healthView.data?.researchRequests.edges.map((e) => e.node) ?? [];
    expect(healthRequests.map((r) => r.agency.code)).toEqual(['NHEALTH']);
    expect(healthView.data?.researchRequests.totalCount).toBe(1);
    expect(healthRequests[0].overdue).toBe(false);

    // 4. Health answers with its record; school may not answer health's request; school holds nothing new.
    const healthRequest = healthRequests[0].id;
    const wrongAgency = await hub.gql(`mutation($id: ID!) { respondToResearch(id: $id, input: { nothingHeld: true }) { id } }`, { id: healthRequest }, schoolWorker());
    expect(wrongAgency.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const answered = await hub.gql<{ respondToResearch: { answeredAt: string; answerRecordIds: string[] } }>(
      `mutation($id: ID!, $ids: [ID!]) { respondToResearch(id: $id, input: { recordIds: $ids, note: "Seen at clinic" }) { answeredAt answerRecordIds } }`,
      { id: healthRequest, ids: [records.health.id] }, healthWorker());
    expect(answered.errors).toBeUndefined();
    expect(answered.data?.respondToResearch.answerRecordIds).toEqual([records.health.id]);

    // A basis naming no agency, or a misspelt one, would open nothing to anyone: refused, nothing saved.
    const DECIDE = `mutation($input: DecisionInput!) { recordDecision(input: $input) { status } }`;
    const decision = (recipientAgencyCodes: string[]) => ({ input: { enquiryId, outcome: 'STRATEGY_DISCUSSION_S47', reliedOnRecordIds: [],
      rationale: 'Bruising seen by the health visitor after a domestic abuse call-out gives reasonable cause to suspect significant harm.',
      sharing: [{ recipient: 'NHEALTH', shared: false, reason: 'Nothing shared before the strategy discussion' }],
      section47Basis: { rationale: 'Section 47 enquiry agreed at the front door', recipientAgencyCodes } } });
    for (const codes of [[], ['NPLO']]) {
      const refused = await hub.gql(DECIDE, decision(codes), manager());
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.section47Basis.recipientAgencyCodes' });
    }
    expect(await hub.sql(`SELECT status FROM enquiry WHERE id = $1`, [enquiryId])).toEqual([{ status: 'OPEN' }]);

    // 5. The manager decides: s47 strategy discussion, basis recorded in the same step.
    const decided = await hub.gql<{ recordDecision: { status: string; decision: { outcome: string; lawfulBasisIds: string[]; sharing: Array<{ recipient: string }> } } }>(
      `mutation($input: DecisionInput!) { recordDecision(input: $input) { status decision { outcome lawfulBasisIds sharing { recipient } } } }`,
      { input: { enquiryId, outcome: 'STRATEGY_DISCUSSION_S47', reliedOnRecordIds: [records.health.id, records.police.id],
        rationale: 'Bruising seen by the health visitor after a domestic abuse call-out gives reasonable cause to suspect significant harm.',
        sharing: [{ recipient: 'NHEALTH', shared: true, what: 'Police call-out summary', reason: 'Health visitor to attend the strategy discussion' },
          { recipient: 'Mother', shared: false, reason: 'Telling her now could put the child at greater risk' }],
        section47Basis: { rationale: 'Section 47 enquiry agreed at the front door', recipientAgencyCodes: ['NCSC', 'NHEALTH'] } } }, manager());
    expect(decided.errors).toBeUndefined();
    expect(decided.data?.recordDecision).toMatchObject({ status: 'DECIDED', decision: { outcome: 'STRATEGY_DISCUSSION_S47' } });
    expect(decided.data?.recordDecision.decision.lawfulBasisIds).toHaveLength(1);
    // An id in capitals names the same enquiry.
    const shouted = await hub.gql<{ enquiry: { id: string } | null }>(`query($id: ID!) { enquiry(id: $id) { id } }`, { id: enquiryId.toUpperCase() }, researcher());
    expect(shouted.data?.enquiry?.id).toBe(enquiryId);

    // 6. A strategy discussion is held and finalised.
    const discussion = await hub.gql<{ openStrategyDiscussion: { id: string } }>(
      `mutation($e: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $e, input: $input) { id } }`,
      { e: enquiryId, input: {
        attendees: [{ agencyCode: 'NCSC', role: 'Chair' }, { agencyCode: 'NPOL', role: 'Detective sergeant' }, { agencyCode: 'NHEALTH', role: 'Health visitor' }],
        recordsShared: [records.police.id, records.health.id], risks: ['Ongoing domestic abuse in the home'],
        rationale: 'Injury and domestic abuse together meet the threshold', decision: 'Single-agency s47 enquiry by social care with police',
        actions: [{ description: 'Joint visit', ownerAgencyCode: 'NCSC', ownerName: 'Social worker A', dueAt: new Date(Date.now() + 86400_000).toISOString() }] } }, researcher());
    expect(discussion.errors).toBeUndefined();
    const finalised = await hub.gql<{ finaliseStrategyDiscussion: { status: string } }>(
      `mutation($id: ID!) { finaliseStrategyDiscussion(id: $id) { status } }`, { id: discussion.data?.openStrategyDiscussion.id }, researcher());
    expect(finalised.data?.finaliseStrategyDiscussion.status).toBe('FINAL');

    // 7. The researcher's chronology shows every step, newest first, and content the basis now covers.
    const mash = await chronologyFor(researcher(), { reason: 'Strategy discussion follow-up' });
    const position = (kind: string) => mash.findIndex((e) => e.kind === kind);
    expect(position('STRATEGY_DISCUSSION')).toBeLessThan(position('DECISION'));
    expect(position('DECISION')).toBeLessThan(position('RESEARCH_ANSWERED'));
    expect(position('LAWFUL_BASIS')).toBeLessThan(position('RESEARCH_ANSWERED'));
    expect(position('RESEARCH_ANSWERED')).toBeLessThan(position('RESEARCH_REQUESTED'));
    expect(position('RESEARCH_REQUESTED')).toBeLessThan(position('ENQUIRY'));
    expect(position('ENQUIRY')).toBeLessThan(position('RECORD'));
    expect(mash.filter((e) => e.kind === 'RECORD').map((e) => e.provenance.id)).toEqual([records.restricted.id, records.police.id, records.health.id, records.school.id]);
    expect(recordEntry(mash, records.health.id)).toMatchObject({ visibility: 'FULL', summary: 'Bruising seen by health visitor' });
    expect(recordEntry(mash, records.restricted.id)).toMatchObject({ visibility: 'FLAG', record: { summary: null } });

    // The health practitioner: a basis recipient, so police content too, but never the restricted record.
    const health = await chronologyFor(healthWorker(), { reason: 'Preparing for the strategy discussion' });
    expect(recordEntry(health, records.police.id)).toMatchObject({ visibility: 'FULL', summary: 'Police called to domestic abuse at home' });
    expect(recordEntry(health, records.restricted.id)).toMatchObject({ visibility: 'FLAG', summary: 'Information held by Northshire Police' });
    expect(health.some((e) => e.kind === 'DECISION')).toBe(true);

    // The school practitioner: not named on the basis, so its own record only; others are flags.
    const school = await chronologyFor(schoolWorker(), { reason: 'Attendance review meeting' });
    expect(recordEntry(school, records.school.id)).toMatchObject({ visibility: 'FULL', summary: 'Attendance fell to 80%' });
    for (const r of [records.police, records.health, records.restricted]) {
      expect(recordEntry(school, r.id)).toMatchObject({ visibility: 'FLAG', record: { summary: null, detail: null } });
    }
    expect(school.map((e) => e.summary).join('|')).not.toContain('Bruising');

    // Every record the school's chronology read showed was audited with its purpose.
    const audited = await hub.sql<{ n: number; purposes: number }>(
      `SELECT coalesce(sum(cardinality(result_ids)), 0)::int AS n, count(*) FILTER (WHERE purpose IS NULL OR purpose = 'null'::jsonb)::int AS purposes
       FROM audit_event WHERE action = 'CHRONOLOGY' AND actor_sub = 'school-1'`);
    expect(audited[0]).toEqual({ n: 4, purposes: 0 });
  });
});
