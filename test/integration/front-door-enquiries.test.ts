import { Client } from 'pg';
import { createChild, createCounty, nhsNumberFor } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { untilSomethingWaits } from '../support/lock-wait';
import type { EntityManager } from 'typeorm';
import { recountReferrals, REFERRAL_LOCK_CLASS } from '../../src/modules/enquiries/referral-count';
import { IDENTITY_LOCK } from '../../src/modules/records/submit.service';

const OPEN = `mutation($input: EnquiryInput!) { openEnquiry(input: $input) {
  id status receivedAt rating researchDueAt decisionDueAt reReferral previousEnquiryId referralsInLast12Months childIds
  referrer { professional anonymous name } ratings { rating reason } } }`;

interface Opened { id: string; researchDueAt: string; decisionDueAt: string; reReferral: boolean; previousEnquiryId: string | null; referralsInLast12Months: number; childIds: string[]; referrer: { name: string | null; anonymous: boolean } }

/** An enquiry about one child, written as opening one writes it, on the caller's own connection. */
async function recordContact(client: Client, agencyId: string, receivedAt: string, childId: string): Promise<string> {
  const due = (hours: number) => new Date(new Date(receivedAt).getTime() + hours * 3600_000).toISOString();
  const [{ id }] = (await client.query<{ id: string }>(
    `INSERT INTO enquiry (received_at, opened_by_sub, opened_by_agency_id, referral_source, referrer_professional, referrer_anonymous, referrer_name,
       concern, rag_rating, research_due_at, decision_due_at, referrals_in_last_12_months)
     VALUES ($2, 'researcher-2', $1, '6', true, false, 'PC Smith', 'Another incident at the home', 'AMBER', $3, $4, 0) RETURNING id`,
    [agencyId, receivedAt, due(24), due(72)])).rows;
  await client.query(`INSERT INTO enquiry_child (enquiry_id, child_id) VALUES ($1, $2)`, [id, childId]);
  return id;
}

describe('front door: opening enquiries, deadlines and re-referrals', () => {
  let hub: Hub;
  let researcher: string;
  let childId: string;
  beforeAll(async () => {
    hub = await startHub({ RAG_AMBER_HOURS: '24', RAG_RED_HOURS: '4' });
    await createCounty(hub);
    researcher = hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-1');
    childId = (await createChild(hub)).id;
  });
  afterAll(() => hub.stop());

  const base = (over: Record<string, unknown> = {}) => ({
    children: [{ id: childId }], referralSource: '6', rating: 'AMBER', concern: 'Police attended a domestic abuse incident at the home',
    referrer: { professional: true, name: 'PC Jones', role: 'Response officer' }, ...over,
  });
  const open = async (over: Record<string, unknown> = {}) => hub.gql<{ openEnquiry: Opened }>(OPEN, { input: base(over) }, researcher);
  /** `use` on a connection of the test's own, beside the hub's, ended afterwards whatever happens. */
  const onAnotherConnection = async (use: (other: Client) => Promise<void>): Promise<void> => {
    const other = new Client({ connectionString: hub.databaseUrl });
    await other.connect();
    try {
      await use(other);
    } finally {
      await other.end();
    }
  };
  /** An enquiry's re-referral figures as stored. */
  const referralsOf = async (enquiryId: string) => (await hub.sql<{ referrals_in_last_12_months: number; previous_enquiry_id: string | null }>(
    `SELECT referrals_in_last_12_months, previous_enquiry_id FROM enquiry WHERE id = $1`, [enquiryId]))[0];

  it.each([
    // Friday 15:00 (GMT) -> Monday 15:00: the weekend is not counted.
    ['Friday afternoon, over a weekend', '2025-01-10T15:00:00.000Z', '2025-01-13T15:00:00.000Z'],
    // Thursday 17 April 2025, 10:00 BST -> Tuesday 22 April: Good Friday and Easter Monday are bank holidays.
    ['Thursday before Easter', '2025-04-17T09:00:00.000Z', '2025-04-22T09:00:00.000Z'],
    // Received on Saturday: deemed received on Monday, due Tuesday at the same time of day.
    ['Saturday', '2025-01-11T11:00:00.000Z', '2025-01-14T11:00:00.000Z'],
    // Christmas Eve 2025 (Wednesday) -> Monday 29 December: 25 and 26 December are bank holidays.
    ['Christmas Eve', '2025-12-24T14:00:00.000Z', '2025-12-29T14:00:00.000Z'],
  ])('decision deadline, received %s, is one working day later (Working Together 2023)', async (_name, receivedAt, due) => {
    const res = await open({ receivedAt, children: [{ id: (await createChild(hub)).id }] });
    expect(res.errors).toBeUndefined();
    expect(res.data?.openEnquiry.decisionDueAt).toBe(due);
    expect(res.data?.openEnquiry.researchDueAt).toBe(new Date(new Date(receivedAt).getTime() + 24 * 3600_000).toISOString());
  });

  it('a re-referral within 12 months is marked on the new enquiry', async () => {
    const child = await createChild(hub);
    const first = await open({ receivedAt: '2025-02-01T10:00:00.000Z', children: [{ id: child.id }] });
    const second = await open({ receivedAt: '2025-09-01T10:00:00.000Z', children: [{ id: child.id }] });
    expect(first.data?.openEnquiry).toMatchObject({ reReferral: false, referralsInLast12Months: 0, previousEnquiryId: null });
    expect(second.data?.openEnquiry).toMatchObject({ reReferral: true, referralsInLast12Months: 1, previousEnquiryId: first.data?.openEnquiry.id });
    const later = await open({ receivedAt: '2026-10-01T10:00:00.000Z', children: [{ id: child.id }] });
    expect(later.data?.openEnquiry).toMatchObject({ reReferral: false, referralsInLast12Months: 0 });
    const history = await hub.gql<{ child: { referralHistory: { referralsInLast12Months: number; enquiryIds: string[] } } }>(
      `query($id: ID!) { child(id: $id) { referralHistory { referralsInLast12Months enquiryIds } } }`, { id: child.id }, researcher);
    expect(history.errors).toBeUndefined();
    expect(history.data?.child.referralHistory.enquiryIds).toHaveLength(3);
  });

  it('a contact recorded late, with its earlier receipt time, makes the enquiries after it re-referrals', async () => {
    const child = await createChild(hub);
    const later = await open({ receivedAt: '2025-06-01T10:00:00.000Z', children: [{ id: child.id }] });
    const yearOn = await open({ receivedAt: '2026-05-20T10:00:00.000Z', children: [{ id: child.id }] });
    expect(yearOn.data?.openEnquiry).toMatchObject({ referralsInLast12Months: 1, previousEnquiryId: later.data?.openEnquiry.id });
    const backDated = await open({ receivedAt: '2025-03-01T10:00:00.000Z', children: [{ id: child.id }] });
    expect(backDated.data?.openEnquiry).toMatchObject({ reReferral: false, referralsInLast12Months: 0, previousEnquiryId: null });
    const counted = await hub.sql<{ id: string; referrals_in_last_12_months: number; previous_enquiry_id: string | null }>(
      `SELECT id, referrals_in_last_12_months, previous_enquiry_id FROM enquiry WHERE id = ANY($1::uuid[]) ORDER BY received_at`,
      [[later.data!.openEnquiry.id, yearOn.data!.openEnquiry.id]]);
    expect(counted).toEqual([
      // Three months after the late contact: now a re-referral.
      { id: later.data!.openEnquiry.id, referrals_in_last_12_months: 1, previous_enquiry_id: backDated.data!.openEnquiry.id },
      // More than twelve months after it: still one, and its previous enquiry is unchanged.
      { id: yearOn.data!.openEnquiry.id, referrals_in_last_12_months: 1, previous_enquiry_id: later.data!.openEnquiry.id },
    ]);
  });

  it('two contacts about one child recorded at once each count the other', async () => {
    const child = await createChild(hub);
    const agency = (await hub.sql<{ id: string }>(`SELECT id FROM agency WHERE code = 'NCSC'`))[0].id;
    await onAnotherConnection(async (other) => {
      // Another contact about the child being recorded, received later, not yet committed: it holds
      // the child's referral lock as opening an enquiry does.
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(${REFERRAL_LOCK_CLASS}, hashtext($1::text))`, [child.id]);
      const laterId = await recordContact(other, agency, '2025-08-01T10:00:00Z', child.id);
      const earlier = open({ receivedAt: '2025-07-01T10:00:00.000Z', children: [{ id: child.id }] });
      await untilSomethingWaits(other, 'the earlier contact');
      await other.query('COMMIT');
      const res = await earlier;
      expect(res.errors).toBeUndefined();
      expect(await referralsOf(laterId)).toEqual({ referrals_in_last_12_months: 1, previous_enquiry_id: res.data!.openEnquiry.id });
    });
  });

  it('two contacts recorded at once about different children of one enquiry both count for it', async () => {
    const [a, b] = [await createChild(hub), await createChild(hub)];
    const both = await open({ receivedAt: '2025-06-01T10:00:00.000Z', children: [{ id: a.id }, { id: b.id }] });
    const agency = (await hub.sql<{ id: string }>(`SELECT id FROM agency WHERE code = 'NCSC'`))[0].id;
    await onAnotherConnection(async (other) => {
      // A late contact about A, recorded as opening an enquiry records it, not yet committed.
      await other.query('BEGIN');
      await recordContact(other, agency, '2025-03-01T10:00:00Z', a.id);
      await recountReferrals({ query: (sql: string, params: unknown[]) => other.query(sql, params).then((r) => r.rows) } as unknown as EntityManager, [a.id]);
      // Meanwhile a late contact about B: it takes B's lock, not A's, and meets the first at the
      // enquiry about both.
      const aboutB = open({ receivedAt: '2025-04-01T10:00:00.000Z', children: [{ id: b.id }] });
      await untilSomethingWaits(other, 'the contact about B');
      await other.query('COMMIT');
      const res = await aboutB;
      expect(res.errors).toBeUndefined();
      expect(await referralsOf(both.data!.openEnquiry.id)).toEqual({ referrals_in_last_12_months: 2, previous_enquiry_id: res.data!.openEnquiry.id });
    });
  });

  it('a merge of duplicates joins their referral histories', async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub, { nhsNumber: null });
    const first = await open({ receivedAt: '2025-01-15T10:00:00.000Z', children: [{ id: duplicate.id }] });
    const second = await open({ receivedAt: '2025-04-15T10:00:00.000Z', children: [{ id: survivor.id }] });
    expect(second.data?.openEnquiry.reReferral).toBe(false);
    const merged = await hub.gql(`mutation($survivorId: ID!, $duplicateId: ID!, $reason: String!) {
      mergeChildren(survivorId: $survivorId, duplicateId: $duplicateId, reason: $reason) { survivorId } }`,
    { survivorId: survivor.id, duplicateId: duplicate.id, reason: 'Same child: two spellings of one name' }, hub.token('NCSC', ['MANAGER'], 'csc-merge-history'));
    expect(merged.errors).toBeUndefined();
    const res = await hub.gql<{ enquiry: { reReferral: boolean; previousEnquiryId: string } }>(
      `query($id: ID!) { enquiry(id: $id) { reReferral previousEnquiryId } }`, { id: second.data!.openEnquiry.id }, researcher);
    expect(res.data?.enquiry).toEqual({ reReferral: true, previousEnquiryId: first.data!.openEnquiry.id });
  });

  it('matches a child by NHS number, or creates one from details', async () => {
    const known = await createChild(hub);
    const res = await open({ children: [{ nhsNumber: known.nhsNumber }, { givenName: 'Amy', familyName: 'New', dateOfBirth: '2019-03-02', gender: 'FEMALE', nhsNumber: nhsNumberFor(987654) }] });
    expect(res.errors).toBeUndefined();
    const ids = res.data?.openEnquiry.childIds ?? [];
    expect(ids).toContain(known.id);
    expect(ids).toHaveLength(2);
    const [created] = await hub.sql<{ given_name: string }>(`SELECT given_name FROM child WHERE nhs_number = $1`, [nhsNumberFor(987654)]);
    expect(created.given_name).toBe('Amy');
    // An id in capitals names the same child.
    const shouted = await open({ children: [{ id: known.id.toUpperCase() }] });
    expect(shouted.data?.openEnquiry.childIds).toEqual([known.id]);
  });

  /** Children whose stored name is the given one, as the hub normalises names. */
  const childrenNamed = async (givenName: string, familyName: string) => (await hub.sql<{ id: string }>(
    `SELECT id FROM child WHERE search_name = match_name($1) || ' ' || match_name($2) ORDER BY id`, [givenName, familyName])).map((r) => r.id);
  const enquiriesOf = async (id: string) => Number((await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM enquiry_child WHERE child_id = $1`, [id]))[0].n);

  it('finds a child described by name, date of birth and gender, as written in another system, instead of recording them again', async () => {
    const known = await createChild(hub, { givenName: 'Zoë', familyName: 'Brontë-Hartley', dateOfBirth: '2016-08-09', gender: 'FEMALE', nhsNumber: null });
    const res = await open({ children: [{ givenName: 'ZOE', familyName: 'Bronte-Hartley', dateOfBirth: '2016-08-09', gender: 'FEMALE' }] });
    expect(res.errors).toBeUndefined();
    expect(res.data?.openEnquiry.childIds).toEqual([known.id]);
    expect(await childrenNamed('Zoë', 'Brontë-Hartley')).toEqual([known.id]);
    // An NHS number the hub did not hold, given with the description, is learnt by the child found.
    const withNumber = await open({ children: [{ givenName: 'Zoe', familyName: 'Brontë-Hartley', dateOfBirth: '2016-08-09', gender: 'FEMALE', nhsNumber: nhsNumberFor(987661) }] });
    expect(withNumber.data?.openEnquiry.childIds).toEqual([known.id]);
    expect(await hub.sql(`SELECT nhs_number FROM child WHERE id = $1`, [known.id])).toEqual([{ nhs_number: nhsNumberFor(987661) }]);
    // A different date of birth is someone else: nothing resembles them closely enough, so they are new.
    const other = await open({ children: [{ givenName: 'Zoë', familyName: 'Brontë-Hartley', dateOfBirth: '2011-01-30', gender: 'FEMALE' }] });
    expect(other.errors).toBeUndefined();
    expect(other.data?.openEnquiry.childIds).not.toContain(known.id);
    expect(await childrenNamed('Zoë', 'Brontë-Hartley')).toHaveLength(2);
  });

  it('refuses a description resembling children without one clear match, and records a new child once the worker says so', async () => {
    const twins = [
      await createChild(hub, { givenName: 'Ellis', familyName: 'Marchbank', dateOfBirth: '2017-04-04', gender: 'MALE', nhsNumber: null }),
      await createChild(hub, { givenName: 'Elis', familyName: 'Marchbank', dateOfBirth: '2017-04-04', gender: 'MALE', nhsNumber: null }),
    ];
    const described = { givenName: 'Ellis', familyName: 'Marchbanks', dateOfBirth: '2017-04-04', gender: 'MALE' };
    const before = await enquiriesOf(childId);
    const doubtful = await open({ children: [{ id: childId }, described] });
    expect(errorCode(doubtful)).toBe('BAD_USER_INPUT');
    const problems = doubtful.errors?.[0].extensions?.problems as Array<{ field: string; message: string }>;
    expect(problems).toEqual([{ field: 'input.children[1]', message: expect.stringContaining('newChild') }]);
    // Nothing was saved: no enquiry for the child named by id, and no child of the description.
    expect(await enquiriesOf(childId)).toBe(before);
    expect(await childrenNamed('Ellis', 'Marchbanks')).toEqual([]);

    const confirmed = await open({ children: [{ ...described, newChild: true }] });
    expect(confirmed.errors).toBeUndefined();
    const [created] = confirmed.data?.openEnquiry.childIds ?? [];
    expect(twins.map((t) => t.id)).not.toContain(created);
    expect(await childrenNamed('Ellis', 'Marchbanks')).toEqual([created]);
    expect(await enquiriesOf(childId)).toBe(before);

    const contradictory = await open({ children: [{ id: twins[0].id, newChild: true }] });
    expect(JSON.stringify(contradictory.errors?.[0].extensions)).toContain('input.children[0].newChild');
  });

  it('matches a description only among children the worker sees in full: a shielded child answers as absent', async () => {
    const shielded = await createChild(hub, { givenName: 'Wren', familyName: 'Okonkwo-Hale', dateOfBirth: '2015-11-11', gender: 'FEMALE', shielded: true, nhsNumber: null });
    const res = await open({ children: [{ givenName: 'Wren', familyName: 'Okonkwo-Hale', dateOfBirth: '2015-11-11', gender: 'FEMALE' }] });
    // Answered exactly as for a child nobody holds: a new child, with no hint of the shielded one.
    expect(res.errors).toBeUndefined();
    expect(res.data?.openEnquiry.childIds).not.toContain(shielded.id);
    expect(await enquiriesOf(shielded.id)).toBe(0);
    expect(await childrenNamed('Wren', 'Okonkwo-Hale')).toHaveLength(2);
    // Nor does one that resembles the description without clearly being the child refuse it.
    await createChild(hub, { givenName: 'Linnea', familyName: 'Achterberg', dateOfBirth: '2013-06-21', gender: 'FEMALE', shielded: true, nhsNumber: null });
    const resembling = await open({ children: [{ givenName: 'Lina', familyName: 'Achterberg', dateOfBirth: '2013-06-21', gender: 'FEMALE' }] });
    expect(resembling.errors).toBeUndefined();
    expect(await childrenNamed('Lina', 'Achterberg')).toEqual(resembling.data?.openEnquiry.childIds);
  });

  it('refuses one child named twice among the children described, whether found or new', async () => {
    const known = await createChild(hub, { givenName: 'Hamish', familyName: 'Drummond-Kerr', dateOfBirth: '2012-12-12', gender: 'MALE', nhsNumber: null });
    const described = { givenName: 'Hamish', familyName: 'Drummond-Kerr', dateOfBirth: '2012-12-12', gender: 'MALE' };
    const countOf = async () => Number((await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM enquiry`))[0].n);
    const enquiries = await countOf();
    // Once as found, once as a new child: the same description.
    const foundAndNew = await open({ children: [described, { ...described, newChild: true }] });
    expect(JSON.stringify(foundAndNew.errors?.[0].extensions)).toContain('input.children[1]');
    // The NHS number of a child found by description given again for a new child.
    const number = nhsNumberFor(987662);
    const sameNumber = await open({ children: [{ ...described, nhsNumber: number }, { givenName: 'Iona', familyName: 'Drummond-Kerr', dateOfBirth: '2014-03-03', gender: 'FEMALE', nhsNumber: number }] });
    expect(sameNumber.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.children[1]' });
    // Nothing was saved: no enquiry, no new child, no NHS number learnt.
    expect(await countOf()).toBe(enquiries);
    expect(await childrenNamed('Hamish', 'Drummond-Kerr')).toEqual([known.id]);
    expect(await hub.sql(`SELECT id FROM child WHERE nhs_number = $1`, [number])).toEqual([]);
  });

  it('refuses one new child described twice on an enquiry, and makes one child of two contacts about a new child opened at once', async () => {
    const described = { givenName: 'Ottilie', familyName: 'Vance-Mbeki', dateOfBirth: '2018-02-14', gender: 'FEMALE' };
    const twice = await open({ children: [described, { ...described, givenName: 'OTTILIE' }] });
    expect(JSON.stringify(twice.errors?.[0].extensions)).toContain('input.children[1]');
    expect(await childrenNamed('Ottilie', 'Vance-Mbeki')).toEqual([]);

    await onAnotherConnection(async (other) => {
      // Another contact about the same new child being opened, not yet committed: it holds the
      // identity lock and has recorded the child, as opening an enquiry does.
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [IDENTITY_LOCK]);
      const [{ id: recorded }] = (await other.query<{ id: string }>(
        `INSERT INTO child (given_name, family_name, date_of_birth, gender) VALUES ($1, $2, $3, $4) RETURNING id`,
        [described.givenName, described.familyName, described.dateOfBirth, described.gender])).rows;
      const second = open({ children: [described] });
      await untilSomethingWaits(other, 'the second contact');
      await other.query('COMMIT');
      const res = await second;
      expect(res.errors).toBeUndefined();
      expect(res.data?.openEnquiry.childIds).toEqual([recorded]);
      expect(await childrenNamed('Ottilie', 'Vance-Mbeki')).toEqual([recorded]);
    });
  });

  it('refuses a child named by an id and an NHS number of different children, or one new NHS number given twice', async () => {
    const [a, b] = [await createChild(hub), await createChild(hub)];
    const mixed = await open({ children: [{ id: a.id, nhsNumber: b.nhsNumber }] });
    expect(mixed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(mixed.errors?.[0].extensions)).toContain('input.children[0]');
    const twice = { givenName: 'Tom', familyName: 'Twice', dateOfBirth: '2018-01-01', gender: 'MALE', nhsNumber: nhsNumberFor(987655) };
    const duplicated = await open({ children: [twice, { ...twice, givenName: 'Thomas' }] });
    expect(JSON.stringify(duplicated.errors?.[0].extensions)).toContain('input.children[1]');
    expect(await hub.sql(`SELECT 1 FROM child WHERE nhs_number = $1`, [nhsNumberFor(987655)])).toEqual([]);
  });

  it('a professional referrer can never be anonymous; a member of the public may be', async () => {
    const bad = await open({ referrer: { professional: true, name: 'PC Jones', anonymous: true } });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('input.referrer.anonymous');
    const policeSourceAnonymous = await open({ referrer: { professional: false, anonymous: true } });
    expect(policeSourceAnonymous.errors?.[0].extensions?.field).toBe('input.referrer.anonymous');
    const publicAnon = await open({ referralSource: '1B', referrer: { professional: false, anonymous: true, name: 'Neighbour Name' } });
    expect(publicAnon.errors).toBeUndefined();
    expect(publicAnon.data?.openEnquiry.referrer).toMatchObject({ anonymous: true, name: null });
    const badSource = await open({ referralSource: '11' });
    expect(badSource.errors?.[0].extensions?.field).toBe('input.referralSource');
    const count = await hub.sql<{ n: number }>(`SELECT count(*)::int AS n FROM enquiry WHERE referrer_anonymous AND referrer_professional`);
    expect(count[0].n).toBe(0);
  });

  it('only MASH staff open or read enquiries; a re-rating resets the research deadline with a reason', async () => {
    const police = await hub.gql(OPEN, { input: base() }, hub.token('NPOL', ['PRACTITIONER']));
    expect(errorCode(police)).toBe('FORBIDDEN');
    const opened = await open();
    const id = opened.data?.openEnquiry.id;
    const noReason = await hub.gql(`mutation($id: ID!) { rerateEnquiry(id: $id, rating: RED, reason: "x") { id } }`, { id }, researcher);
    expect(noReason.errors?.[0].extensions?.field).toBe('reason');
    const rerated = await hub.gql<{ rerateEnquiry: { rating: string; researchDueAt: string; ratings: Array<{ rating: string; reason: string }> } }>(
      `mutation($id: ID!) { rerateEnquiry(id: $id, rating: RED, reason: "Child disclosed injury to teacher") { rating researchDueAt ratings { rating reason } } }`, { id }, researcher);
    expect(rerated.errors).toBeUndefined();
    expect(rerated.data?.rerateEnquiry.rating).toBe('RED');
    expect(rerated.data?.rerateEnquiry.ratings.map((r) => r.rating)).toEqual(['AMBER', 'RED']);
    const dueIn = new Date(rerated.data?.rerateEnquiry.researchDueAt ?? 0).getTime() - Date.now();
    expect(dueIn).toBeGreaterThan(3.9 * 3600_000);
    expect(dueIn).toBeLessThanOrEqual(4 * 3600_000);
    const asSchool = await hub.gql<{ enquiry: unknown }>(`query($id: ID!) { enquiry(id: $id) { id } }`, { id }, hub.token('NSCHOOL', ['PRACTITIONER']));
    expect(asSchool.data?.enquiry).toBeNull();
  });

  it('refuses a forged page cursor with BAD_USER_INPUT on after, not a server error', async () => {
    // '1' is a date to JavaScript (1 January 2001) but not to PostgreSQL.
    for (const time of ['garbage', '1']) {
      const forged = Buffer.from(JSON.stringify([time, '00000000-0000-4000-8000-000000000000'])).toString('base64url');
      const res = await hub.gql(`query($after: String) { enquiries(first: 5, after: $after) { edges { node { id } } } }`, { after: forged }, researcher);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });

  it('refuses a receipt time typed with the wrong century', async () => {
    const res = await open({ receivedAt: '0025-11-21T10:00:00Z' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(res.errors?.[0].extensions)).toContain('input.receivedAt');
  });

  it('names the field of a text too long to store, or holding a NUL, instead of failing', async () => {
    const long = await open({ referrer: { professional: true, name: 'PC Jones', role: 'Response officer', contact: 'x'.repeat(201) } });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(long.errors?.[0].extensions)).toContain('input.referrer.contact');
    const nul = await open({ concern: 'Police attended a domestic abuse incident\u0000 at the home' });
    expect(JSON.stringify(nul.errors?.[0].extensions)).toContain('input.concern');
    const opened = await open();
    expect(opened.errors).toBeUndefined();
    const rerate = await hub.gql(`mutation($id: ID!, $reason: String!) { rerateEnquiry(id: $id, rating: RED, reason: $reason) { id } }`,
      { id: opened.data?.openEnquiry.id, reason: 'New information '.repeat(200) }, researcher);
    expect(rerate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(rerate.errors?.[0].extensions)).toContain('reason');
    // Nine characters (two of them emoji, eleven UTF-16 units): too short, as the database counts.
    const short = await hub.gql(`mutation($id: ID!, $reason: String!) { rerateEnquiry(id: $id, rating: RED, reason: $reason) { id } }`,
      { id: opened.data?.openEnquiry.id, reason: 'urgent \u{1F691}\u{1F691}' }, researcher);
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  /**
   * Opens an enquiry naming a duplicate's NHS number, with a description, while another connection
   * folds the duplicate into a survivor and moves the number to it: holding the identity lock as
   * mergeChildren does, or (`identityLock: false`) as a writer outside it would.
   */
  const openWhileMerging = async (nhsSerial: number, identityLock: boolean) => {
    const survivor = await createChild(hub, { nhsNumber: null });
    const duplicate = await createChild(hub, { nhsNumber: nhsNumberFor(nhsSerial) });
    let res: Awaited<ReturnType<typeof open>> | undefined;
    await onAnotherConnection(async (merger) => {
      await merger.query('BEGIN');
      if (identityLock) await merger.query('SELECT pg_advisory_xact_lock($1)', [IDENTITY_LOCK]);
      await merger.query('SELECT id FROM child WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[survivor.id, duplicate.id]]);
      const opening = open({ children: [{ nhsNumber: duplicate.nhsNumber, givenName: 'Rory', familyName: 'Mergewell', dateOfBirth: '2015-05-05', gender: 'MALE' }] });
      await untilSomethingWaits(merger, 'the enquiry');
      // The merge's own steps: the duplicate folded in, its NHS number moved to the survivor.
      await merger.query('UPDATE child SET merged_into_id = $1, nhs_number = NULL WHERE id = $2', [survivor.id, duplicate.id]);
      await merger.query('UPDATE child SET nhs_number = $2 WHERE id = $1', [survivor.id, duplicate.nhsNumber]);
      await merger.query('COMMIT');
      res = await opening;
    });
    return { survivor, duplicate, res: res as Awaited<ReturnType<typeof open>> };
  };

  it('waits for a merge under way, and files the enquiry on the survivor that now holds the NHS number', async () => {
    const { survivor, res } = await openWhileMerging(987663, true);
    expect(res.errors).toBeUndefined();
    expect(res.data?.openEnquiry.childIds).toEqual([survivor.id]);
  });

  it('answers on the field, not with a server error, when a writer outside the identity lock moves the NHS number it names meanwhile', async () => {
    const { survivor, duplicate, res } = await openWhileMerging(987656, false);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.children' });
    const again = await open({ children: [{ nhsNumber: duplicate.nhsNumber }] });
    expect(again.data?.openEnquiry.childIds).toEqual([survivor.id]);
  });
});
