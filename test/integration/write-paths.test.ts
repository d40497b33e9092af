/**
 * Front-door and sharing writes: input the database could not store is refused by field before
 * anything is written, and two people doing the same thing at once leave one result.
 */
import { createChild, createCounty, createOpenEnquiry, createRecord, type County } from '../factories';
import { Client } from 'pg';
import { errorCode, startHub, type GraphQLResponse as Answer, type Hub } from '../support/harness';


/** The fields a refusal names: one (`field`) or several (`problems`). */
function fieldsOf(res: Answer): unknown[] {
  const extensions = res.errors?.[0]?.extensions as { field?: string; problems?: Array<{ field: string }> } | undefined;
  return extensions?.problems?.map((p) => p.field) ?? [extensions?.field];
}

/** Resolves once `count` statements wait for locks; fails after 10 s. */
async function untilWaiting(client: Client, count: number): Promise<void> {
  for (let waited = 0; waited <= 10_000; waited += 50) {
    const [{ n }] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_locks WHERE NOT granted')).rows;
    if (Number(n) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${count} statements never waited`);
}

describe('write paths', () => {
  let hub: Hub;
  let county: County;
  let childId: string;
  let enquiryId: string;
  let recordId: string;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-w');
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    childId = (await createChild(hub)).id;
    recordId = (await createRecord(hub, { agencyId: county.police.id, childId })).id;
    enquiryId = (await createOpenEnquiry(hub, { childIds: [childId], openedByAgencyId: county.social.id })).id;
  });
  afterAll(() => hub.stop());

  it('refuses a NUL in an agency name, agency codes and a research note by field, writing nothing', async () => {
    const agency = await hub.gql(`mutation($input: AgencyInput!) { upsertAgency(input: $input) { id } }`,
      { input: { code: 'NBAD', name: 'Bad\u0000Name', kind: 'POLICE' } }, hub.token('NCSC', ['ADMIN']));
    expect([errorCode(agency), fieldsOf(agency)]).toEqual(['BAD_USER_INPUT', ['input.name']]);
    expect(await hub.sql(`SELECT 1 FROM agency WHERE code = 'NBAD'`)).toEqual([]);

    const research = await hub.gql(`mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id } }`,
      { input: { enquiryId, childId, agencyCodes: ['NH\u0000X'] } }, researcher());
    expect([errorCode(research), fieldsOf(research)]).toEqual(['BAD_USER_INPUT', ['input.agencyCodes']]);

    const strategy = await hub.gql(`mutation($e: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $e, input: $input) { id } }`, {
      e: enquiryId,
      input: { attendees: [{ agencyCode: 'NP\u0000OL', role: 'Detective constable' }], actions: [{ description: 'Visit', ownerAgencyCode: 'NC\u0000SC' }] },
    }, researcher());
    expect([errorCode(strategy), fieldsOf(strategy)]).toEqual(['BAD_USER_INPUT', ['input.attendees[0].agencyCode', 'input.actions[0].ownerAgencyCode']]);
    expect(await hub.sql(`SELECT 1 FROM strategy_discussion WHERE enquiry_id = $1`, [enquiryId])).toEqual([]);

    const asked = await hub.gql<{ requestResearch: Array<{ id: string }> }>(`mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id } }`,
      { input: { enquiryId, childId, agencyCodes: ['NHEALTH'], dueAt: new Date(Date.now() + 86_400_000).toISOString() } }, researcher());
    expect(asked.errors).toBeUndefined();
    const requestId = asked.data!.requestResearch[0].id;
    const answer = await hub.gql(`mutation($id: ID!, $note: String) { respondToResearch(id: $id, input: { nothingHeld: true, note: $note }) { id } }`,
      { id: requestId, note: 'Nothing held\u0000' }, hub.token('NHEALTH', ['PRACTITIONER']));
    expect([errorCode(answer), fieldsOf(answer)]).toEqual(['BAD_USER_INPUT', ['input.note']]);
    expect(await hub.sql(`SELECT answered_at FROM research_request WHERE id = $1`, [requestId])).toEqual([{ answered_at: null }]);
  });

  it.each([
    ['in the future', '2999-01-01'],
    ['before 1900', '0000-01-01'],
  ])('refuses a new child born %s on an enquiry, by field', async (_when, dateOfBirth) => {
    const res = await hub.gql(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ givenName: 'Orla', familyName: 'Timewise', dateOfBirth, gender: 'FEMALE' }], referralSource: '2A', rating: 'GREEN',
      concern: 'Concern raised by school', referrer: { professional: true, name: 'Head teacher' } } }, researcher());
    expect([errorCode(res), fieldsOf(res)]).toEqual(['BAD_USER_INPUT', ['input.children[0].dateOfBirth']]);
    expect(await hub.sql(`SELECT 1 FROM child WHERE family_name = 'Timewise'`)).toEqual([]);
  });

  it('marks an action done once when several people do it at the same moment', async () => {
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const opened = await hub.gql<{ openStrategyDiscussion: { id: string; actions: Array<{ id: string }> } }>(
      `mutation($e: ID!, $input: StrategyDiscussionInput!) { openStrategyDiscussion(enquiryId: $e, input: $input) { id actions { id } } }`, {
        e: enquiryId,
        input: { attendees: [{ agencyCode: 'NPOL', role: 'Detective constable' }], recordsShared: [recordId], risks: ['Child left alone overnight'],
          rationale: 'Neglect indicators from two agencies', decision: 'Section 47 enquiry to continue',
          actions: [{ description: 'Police check', ownerAgencyCode: 'NPOL', ownerName: 'DC Brown', dueAt: due }] },
      }, researcher());
    expect(opened.errors).toBeUndefined();
    const { id, actions: [action] } = opened.data!.openStrategyDiscussion;
    expect((await hub.gql(`mutation($id: ID!) { finaliseStrategyDiscussion(id: $id) { status } }`, { id }, researcher())).errors).toBeUndefined();
    // Another transaction holds the action's row while two people mark it done, so both are under
    // way together, however the machine schedules them; then it lets go.
    const holder = new Client({ connectionString: hub.databaseUrl });
    await holder.connect();
    let answers: Answer[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM strategy_action WHERE id = $1 FOR UPDATE', [action.id]);
      const marking = ['a', 'b'].map((who) =>
        hub.gql(`mutation($id: ID!) { completeAction(id: $id, note: "Done") { completedAt } }`, { id: action.id }, hub.token('NCSC', ['MASH_RESEARCHER'], `closer-${who}`)));
      await untilWaiting(holder, 2);
      await holder.query('COMMIT');
      answers = await Promise.all(marking);
    } finally {
      await holder.end();
    }
    expect(answers.filter((res) => !res.errors)).toHaveLength(1);
    expect(answers.filter((res) => res.errors).map((res) => [errorCode(res), fieldsOf(res)])).toEqual([['BAD_USER_INPUT', ['id']]]);
    expect(await hub.sql(`SELECT 1 FROM audit_event WHERE action = 'STRATEGY_ACTION_DONE' AND query->>'actionId' = $1`, [action.id])).toHaveLength(1);
  });

  it('keeps one pending access request when the same person asks several times at once', async () => {
    const token = researcher();
    const answers = await Promise.all(Array.from({ length: 4 }, () =>
      hub.gql<{ requestAccess: { id: string } }>(`mutation($id: ID!, $e: ID!) { requestAccess(recordId: $id, purpose: { enquiryId: $e }) { id } }`, { id: recordId, e: enquiryId }, token)));
    expect(answers.map((res) => res.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(new Set(answers.map((res) => res.data?.requestAccess.id)).size).toBe(1);
    expect(await hub.sql(`SELECT 1 FROM access_request WHERE record_id = $1 AND status = 'PENDING'`, [recordId])).toHaveLength(1);
  });
});
