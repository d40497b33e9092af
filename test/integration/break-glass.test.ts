import { createAgency, createChild, createCounty, createRecord, type AgencyRow } from '../factories';
import { BreakGlassAgencyReviews1732252100000 } from '../../migrations/1732252100000-BreakGlassAgencyReviews';
import { errorCode, startHub, type Hub } from '../support/harness';

const RECORDS = `query($id: ID!) { child(id: $id) { records(purpose: { reason: "Child unconscious in A&E out of hours" }) {
  edges { node { id sensitivity visibility grounds summary underBreakGlass } } } } }`;
const BREAK = `mutation($childId: ID!, $reason: String!) { breakGlass(childId: $childId, reason: $reason) {
  id active startedAt expiresAt notifiedAgencies { code } viewerAgency { code } } }`;
const REVIEWS = `query($filter: BreakGlassReviewFilter) { breakGlassReviews(filter: $filter) { edges { node { id childId reviewOutcome } } } }`;
const REVIEW = `mutation($id: ID!, $outcome: BreakGlassOutcome!, $note: String!) { reviewBreakGlass(id: $id, outcome: $outcome, note: $note) {
  id reviewOutcome reviewNote reviewedAt } }`;

type Records = { child: { records: { edges: Array<{ node: { id: string; sensitivity: string; visibility: string; grounds: string[]; summary: string | null; underBreakGlass: boolean } }> } } };

describe('break-glass: emergency, time-boxed, notified and reviewed', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  /** A child the school and the police hold records about, and a doctor's session open on it. */
  const brokenOverSchoolAndPolice = async (doctorSub: string): Promise<{ child: { id: string }; id: string }> => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { category: 'POLICE_INCIDENT' });
    const broken = await hub.gql<{ breakGlass: { id: string } }>(
      BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, hub.token('NHEALTH', ['PRACTITIONER'], doctorSub));
    expect(broken.errors).toBeUndefined();
    return { child, id: broken.data!.breakGlass.id };
  };

  it('counts a reason\'s characters as the database does, and refuses one it cannot store, on the field', async () => {
    const child = await createChild(hub);
    const doctor = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-2');
    // Eleven UTF-16 units, nine characters: too short, said so rather than failing the insert.
    for (const reason of ['urgent \u{1F691}\u{1F691}', 'Child unconscious in A&E\u0000']) {
      const res = await hub.gql(BREAK, { childId: child.id, reason }, doctor);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    }
    expect(await hub.sql(`SELECT 1 FROM break_glass_session WHERE child_id = $1`, [child.id])).toEqual([]);
  });

  it('gives no standing to record a consent: an emergency look does not become standing access', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.social.id, childId: child.id }, { category: 'MENTAL_HEALTH', sensitivity: 'SENSITIVE' });
    const teacher = hub.token('NSCHOOL', ['PRACTITIONER'], 'teacher-bg');
    const broken = await hub.gql(BREAK, { childId: child.id, reason: 'Child collapsed at school; checking for known conditions' }, teacher);
    expect(broken.errors).toBeUndefined();
    const consent = await hub.gql(`mutation($input: ConsentInput!) { recordConsent(input: $input) { id } }`, { input: {
      childId: child.id, givenBy: 'PARENT', givenByName: 'A Parent', recipientAgencyCodes: ['NSCHOOL'], categories: ['MENTAL_HEALTH'],
      purpose: 'Support at school', givenAt: new Date(Date.now() - 60_000).toISOString(), expiresAt: null, evidence: 'Said so on the phone',
    } }, teacher);
    expect(consent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await hub.sql(`SELECT 1 FROM consent WHERE child_id = $1`, [child.id])).toEqual([]);
  });

  it('opens STANDARD and SENSITIVE, never RESTRICTED; reads are reviewable; holders are notified; a review closes it', async () => {
    const child = await createChild(hub);
    const standard = await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const sensitive = await createRecord(hub, { agencyId: county.social.id, childId: child.id }, { category: 'MENTAL_HEALTH', sensitivity: 'SENSITIVE' });
    const restricted = await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { category: 'ARREST_OR_CHARGE', sensitivity: 'RESTRICTED' });
    const doctor = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor');

    const before = await hub.gql<Records>(RECORDS, { id: child.id }, doctor);
    expect(before.data?.child.records.edges).toEqual([]);

    const broken = await hub.gql<{ breakGlass: { id: string; active: boolean; startedAt: string; expiresAt: string; notifiedAgencies: Array<{ code: string }> } }>(
      BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, doctor);
    expect(broken.errors).toBeUndefined();
    const session = broken.data!.breakGlass;
    expect(session.active).toBe(true);
    expect(new Date(session.expiresAt).getTime() - new Date(session.startedAt).getTime()).toBe(60 * 60_000);
    expect(session.notifiedAgencies.map((a) => a.code)).toEqual(['NCSC', 'NPOL', 'NSCHOOL']);
    const notifications = await hub.sql<{ agency_id: string }>(`SELECT agency_id FROM break_glass_notification WHERE session_id = $1 ORDER BY agency_id`, [session.id]);
    expect(notifications.map((n) => n.agency_id).sort()).toEqual([county.police.id, county.school.id, county.social.id].sort());

    const during = await hub.gql<Records>(RECORDS, { id: child.id }, doctor);
    const byId = new Map(during.data!.child.records.edges.map((e) => [e.node.id, e.node]));
    expect(byId.get(standard.id)).toMatchObject({ visibility: 'FULL', grounds: ['BREAK_GLASS'], summary: standard.summary, underBreakGlass: true });
    expect(byId.get(sensitive.id)).toMatchObject({ visibility: 'FULL', grounds: ['BREAK_GLASS'], underBreakGlass: true });
    expect(byId.get(restricted.id)).toMatchObject({ visibility: 'FLAG', summary: null, grounds: [] });

    const audit = await hub.sql<{ record_id: string; outcome: string; reviewable: boolean }>(
      `SELECT record_id, outcome, reviewable FROM audit_event WHERE actor_sub = 'ae-doctor' AND record_id IS NOT NULL`);
    expect(audit.filter((a) => a.outcome === 'FULL').every((a) => a.reviewable)).toBe(true);
    expect(audit.filter((a) => a.outcome === 'FULL').map((a) => a.record_id).sort()).toEqual([standard.id, sensitive.id].sort());
    expect(audit.find((a) => a.record_id === restricted.id)).toMatchObject({ outcome: 'FLAG', reviewable: false });

    // The police manager (a notified agency) sees it to review; a health manager (not notified) does not.
    const queue = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, {}, hub.token('NPOL', ['MANAGER'], 'pol-m'));
    expect(queue.data?.breakGlassReviews.edges.map((e) => e.node.id)).toContain(session.id);
    const other = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, {}, hub.token('NHEALTH', ['MANAGER'], 'h-m'));
    expect(other.data?.breakGlassReviews.edges.map((e) => e.node.id)).not.toContain(session.id);
    expect(errorCode(await hub.gql(REVIEWS, {}, doctor))).toBe('FORBIDDEN');
    // Outside the review scope the session does not exist for the manager: the same answer as a missing id.
    const unseen = await hub.gql(REVIEW, { id: session.id, outcome: 'JUSTIFIED', note: 'Reviewing a session I cannot see' }, hub.token('NHEALTH', ['MANAGER'], 'h-m'));
    const missing = await hub.gql(REVIEW, { id: '00000000-0000-4000-8000-000000000000', outcome: 'JUSTIFIED', note: 'Reviewing a session I cannot see' }, hub.token('NHEALTH', ['MANAGER'], 'h-m'));
    expect(errorCode(unseen)).toBe('NOT_FOUND');
    expect(unseen.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(errorCode(await hub.gql(REVIEW, { id: session.id, outcome: 'JUSTIFIED', note: 'Reviewing as a practitioner' }, doctor))).toBe('FORBIDDEN');

    const reviewed = await hub.gql<{ reviewBreakGlass: { reviewOutcome: string; reviewNote: string } }>(
      REVIEW, { id: session.id, outcome: 'JUSTIFIED', note: 'Emergency treatment; parents unreachable' }, hub.token('NCSC', ['MANAGER'], 'csc-m'));
    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data?.reviewBreakGlass).toMatchObject({ reviewOutcome: 'JUSTIFIED', reviewNote: 'Emergency treatment; parents unreachable' });
    const pending = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, {}, hub.token('NCSC', ['MANAGER'], 'csc-m'));
    expect(pending.data?.breakGlassReviews.edges.map((e) => e.node.id)).not.toContain(session.id);
    const closed = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string; reviewOutcome: string } }> } }>(
      REVIEWS, { filter: { pending: false } }, hub.token('NCSC', ['MANAGER'], 'csc-m'));
    expect(closed.data?.breakGlassReviews.edges).toContainEqual({ node: { id: session.id, childId: child.id, reviewOutcome: 'JUSTIFIED' } });
    const again = await hub.gql(REVIEW, { id: session.id, outcome: 'NOT_JUSTIFIED', note: 'Second look at the same session' }, hub.token('NCSC', ['MANAGER'], 'csc-m2'));
    expect(again.errors?.[0].extensions?.field).toBe('id');
    // The review ended the session: it opens nothing after its review.
    const after = await hub.gql<Records>(RECORDS, { id: child.id }, doctor);
    expect(after.errors).toBeUndefined();
    expect(after.data?.child.records.edges.filter((e) => e.node.visibility === 'FULL')).toEqual([]);
  });

  it("each notified agency reviews for itself: the front door's finding does not close the police's or the school's", async () => {
    const { child, id } = await brokenOverSchoolAndPolice('ae-doctor-agencies');
    const police = hub.token('NPOL', ['MANAGER'], 'pol-own-review');
    const school = hub.token('NSCHOOL', ['MANAGER'], 'school-own-review');
    const frontDoor = hub.token('NCSC', ['MANAGER'], 'csc-front-door');
    const pendingFor = async (token: string, pending = true): Promise<string[]> => {
      const res = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, { filter: { childId: child.id, pending } }, token);
      expect(res.errors).toBeUndefined();
      return res.data!.breakGlassReviews.edges.map((e) => e.node.id);
    };
    type Reviewed = { reviewBreakGlass: { reviewOutcome: string | null; agencyReviews: Array<{ agency: { code: string }; reviewOutcome: string | null; reviewedBySub: string | null }> } };
    const AGENCY_REVIEW = `mutation($id: ID!, $outcome: BreakGlassOutcome!, $note: String!) { reviewBreakGlass(id: $id, outcome: $outcome, note: $note) {
      reviewOutcome agencyReviews { agency { code } reviewOutcome reviewedBySub } } }`;

    // The police review first: only the police's own review is recorded, and the school's and the
    // front door's remain to do.
    const byPolice = await hub.gql<Reviewed>(AGENCY_REVIEW, { id, outcome: 'NOT_JUSTIFIED', note: 'Police records were not needed for treatment' }, police);
    expect(byPolice.errors).toBeUndefined();
    expect(byPolice.data?.reviewBreakGlass).toEqual({
      reviewOutcome: null,
      agencyReviews: [
        { agency: { code: 'NPOL' }, reviewOutcome: 'NOT_JUSTIFIED', reviewedBySub: 'pol-own-review' },
        { agency: { code: 'NSCHOOL' }, reviewOutcome: null, reviewedBySub: null },
      ],
    });
    expect(await pendingFor(police)).toEqual([]);
    expect(await pendingFor(police, false)).toEqual([id]);
    expect(await pendingFor(school)).toEqual([id]);
    expect(await pendingFor(frontDoor)).toEqual([id]);
    const twice = await hub.gql(AGENCY_REVIEW, { id, outcome: 'JUSTIFIED', note: 'A colleague reviews it again' }, hub.token('NPOL', ['MANAGER'], 'pol-second'));
    expect(twice.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    // The front door's finding is its own and leaves the school's still to do.
    const byFrontDoor = await hub.gql<Reviewed>(AGENCY_REVIEW, { id, outcome: 'JUSTIFIED', note: 'Emergency treatment; parents unreachable' }, frontDoor);
    expect(byFrontDoor.data?.reviewBreakGlass.reviewOutcome).toBe('JUSTIFIED');
    expect(byFrontDoor.data?.reviewBreakGlass.agencyReviews.map((r) => [r.agency.code, r.reviewOutcome])).toEqual([['NPOL', 'NOT_JUSTIFIED'], ['NSCHOOL', null]]);
    expect(await pendingFor(frontDoor)).toEqual([]);
    expect(await pendingFor(school)).toEqual([id]);
    const bySchool = await hub.gql<Reviewed>(AGENCY_REVIEW, { id, outcome: 'JUSTIFIED', note: 'Attendance record helped the clinicians' }, school);
    expect(bySchool.errors).toBeUndefined();
    expect(await pendingFor(school)).toEqual([]);

    const rows = await hub.sql<{ actor_sub: string; query: unknown }>(
      `SELECT actor_sub, query FROM audit_event WHERE action = 'BREAK_GLASS_REVIEW' AND child_id = $1 ORDER BY seq`, [child.id]);
    expect(rows).toEqual([
      { actor_sub: 'pol-own-review', query: { outcome: 'NOT_JUSTIFIED', frontDoor: false, forAgencyId: county.police.id } },
      { actor_sub: 'csc-front-door', query: { outcome: 'JUSTIFIED', frontDoor: true, forAgencyId: null } },
      { actor_sub: 'school-own-review', query: { outcome: 'JUSTIFIED', frontDoor: false, forAgencyId: county.school.id } },
    ]);
  });

  it("shows another agency's finding without its note or reviewer; its own agency and the front door read it all", async () => {
    const { child, id } = await brokenOverSchoolAndPolice('ae-doctor-notes');
    const reviewed = await hub.gql(REVIEW, { id, outcome: 'NOT_JUSTIFIED', note: 'The incident log names a witness at risk' }, hub.token('NPOL', ['MANAGER'], 'pol-notes'));
    expect(reviewed.errors).toBeUndefined();
    const FINDINGS = `query($filter: BreakGlassReviewFilter) { breakGlassReviews(filter: $filter) { edges { node {
      agencyReviews { agency { code } reviewOutcome reviewedBySub reviewNote } } } } }`;
    type Findings = { breakGlassReviews: { edges: Array<{ node: { agencyReviews: Array<{ agency: { code: string }; reviewOutcome: string | null; reviewedBySub: string | null; reviewNote: string | null }> } }> } };
    const police = { agency: { code: 'NPOL' }, reviewOutcome: 'NOT_JUSTIFIED', reviewedBySub: 'pol-notes', reviewNote: 'The incident log names a witness at risk' };
    const school = { agency: { code: 'NSCHOOL' }, reviewOutcome: null, reviewedBySub: null, reviewNote: null };
    const seenBy = async (token: string, pending: boolean) =>
      (await hub.gql<Findings>(FINDINGS, { filter: { childId: child.id, pending } }, token)).data?.breakGlassReviews.edges.map((e) => e.node.agencyReviews);
    expect(await seenBy(hub.token('NSCHOOL', ['MANAGER'], 'school-notes'), true)).toEqual([[
      { agency: { code: 'NPOL' }, reviewOutcome: 'NOT_JUSTIFIED', reviewedBySub: null, reviewNote: null }, school]]);
    expect(await seenBy(hub.token('NPOL', ['MANAGER'], 'pol-notes-2'), false)).toEqual([[police, school]]);
    expect(await seenBy(hub.token('NCSC', ['MANAGER'], 'csc-notes'), true)).toEqual([[police, school]]);
  });

  it('a second social care agency records its own finding after the front door has reviewed', async () => {
    const west = await createAgency(hub, { code: 'WCSC', name: 'Westshire Children\'s Services', kind: 'SOCIAL_CARE' });
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: west.id, childId: child.id }, { category: 'SOCIAL_CARE_INVOLVEMENT' });
    const broken = await hub.gql<{ breakGlass: { id: string } }>(
      BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-west'));
    const id = broken.data!.breakGlass.id;
    const westManager = hub.token('WCSC', ['MANAGER'], 'west-m');
    const pending = async (token: string) => (await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(
      REVIEWS, { filter: { childId: child.id } }, token)).data?.breakGlassReviews.edges.map((e) => e.node.id);
    const byFrontDoor = await hub.gql(REVIEW, { id, outcome: 'JUSTIFIED', note: 'Emergency treatment; parents unreachable' }, hub.token('NCSC', ['MANAGER'], 'csc-west'));
    expect(byFrontDoor.errors).toBeUndefined();
    expect(await pending(hub.token('NCSC', ['MANAGER'], 'csc-west'))).toEqual([]);
    expect(await pending(westManager)).toEqual([id]);
    const byWest = await hub.gql<{ reviewBreakGlass: { reviewOutcome: string } }>(REVIEW, { id, outcome: 'NOT_JUSTIFIED', note: 'Our assessment was not needed for treatment' }, westManager);
    expect(byWest.errors).toBeUndefined();
    // The front door's finding stands; the west's is its own.
    expect(byWest.data?.reviewBreakGlass.reviewOutcome).toBe('JUSTIFIED');
    expect(await hub.sql(`SELECT review_outcome, reviewed_by_sub FROM break_glass_notification WHERE session_id = $1`, [id]))
      .toEqual([{ review_outcome: 'NOT_JUSTIFIED', reviewed_by_sub: 'west-m' }]);
    expect(await pending(westManager)).toEqual([]);
    const again = await hub.gql(REVIEW, { id, outcome: 'JUSTIFIED', note: 'A second look at the same session' }, hub.token('WCSC', ['MANAGER'], 'west-m2'));
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it("moving to per-agency findings: a session another agency reviewed first awaits the front door's review", async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { category: 'POLICE_INCIDENT' });
    const other = await createChild(hub);
    await createRecord(hub, { agencyId: county.social.id, childId: other.id }, { category: 'SOCIAL_CARE_INVOLVEMENT' });
    const doctor = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-before');
    const byPolice = (await hub.gql<{ breakGlass: { id: string } }>(BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, doctor)).data!.breakGlass.id;
    const byFrontDoor = (await hub.gql<{ breakGlass: { id: string } }>(BREAK, { childId: other.id, reason: 'Unconscious child in A&E, parents unreachable' }, doctor)).data!.breakGlass.id;
    // As reviews were recorded before: the first reviewer's finding on the session and on its agency's notification.
    // (one time for both, the request's, as that review wrote them)
    const recordAsBefore = async (session: string, agencyId: string, sub: string) => {
      const at = new Date();
      await hub.sql(`UPDATE break_glass_session SET reviewed_by_sub = $2, reviewed_at = $3, review_outcome = 'JUSTIFIED', review_note = 'Reviewed before the change',
        expires_at = least(expires_at, $3) WHERE id = $1`, [session, sub, at]);
      await hub.sql(`UPDATE break_glass_notification SET reviewed_by_sub = $3, reviewed_at = $4, review_outcome = 'JUSTIFIED', review_note = 'Reviewed before the change'
        WHERE session_id = $1 AND agency_id = $2`, [session, agencyId, sub, at]);
    };
    await recordAsBefore(byPolice, county.police.id, 'pol-before');
    await recordAsBefore(byFrontDoor, county.social.id, 'csc-before');
    const runner = hub.dataSource.createQueryRunner();
    try {
      await new BreakGlassAgencyReviews1732252100000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await hub.sql<{ id: string; reviewed_by_sub: string | null; notice_by: string }>(
      `SELECT s.id, s.reviewed_by_sub, n.reviewed_by_sub AS notice_by FROM break_glass_session s JOIN break_glass_notification n ON n.session_id = s.id
       WHERE s.id = ANY($1::uuid[])`, [[byPolice, byFrontDoor]]);
    expect(new Map(rows.map((r) => [r.id, [r.reviewed_by_sub, r.notice_by]]))).toEqual(new Map([
      [byPolice, [null, 'pol-before']],
      [byFrontDoor, ['csc-before', 'csc-before']],
    ]));
    const frontDoor = hub.token('NCSC', ['MANAGER'], 'csc-after');
    const queue = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, { filter: { childId: child.id } }, frontDoor);
    expect(queue.data?.breakGlassReviews.edges.map((e) => e.node.id)).toEqual([byPolice]);
    expect((await hub.gql(REVIEW, { id: byPolice, outcome: 'JUSTIFIED', note: 'Front door review after the change' }, frontDoor)).errors).toBeUndefined();
  });

  it('tells the agencies whose records a merge brings to a child under an open session, and lets them review', async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub, { nhsNumber: null });
    await createRecord(hub, { agencyId: county.school.id, childId: survivor.id }, { category: 'ATTENDANCE' });
    const moved = await createRecord(hub, { agencyId: county.police.id, childId: duplicate.id }, { category: 'POLICE_INCIDENT' });
    const doctor = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-merge');
    const broken = await hub.gql<{ breakGlass: { id: string; notifiedAgencies: Array<{ code: string }> } }>(
      BREAK, { childId: survivor.id, reason: 'Unconscious child in A&E, parents unreachable' }, doctor);
    expect(broken.data?.breakGlass.notifiedAgencies.map((a) => a.code)).toEqual(['NSCHOOL']);
    // An ended session is not told: it can open nothing more.
    const ended = await hub.gql<{ breakGlass: { id: string } }>(
      BREAK, { childId: survivor.id, reason: 'Earlier emergency, now over' }, hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-earlier'));
    await hub.sql(`UPDATE break_glass_session SET started_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1`, [ended.data!.breakGlass.id]);

    const merged = await hub.gql(`mutation($survivorId: ID!, $duplicateId: ID!, $reason: String!) {
      mergeChildren(survivorId: $survivorId, duplicateId: $duplicateId, reason: $reason) { survivorId } }`,
    { survivorId: survivor.id, duplicateId: duplicate.id, reason: 'Same child: school and police spellings differ' }, hub.token('NCSC', ['MANAGER'], 'csc-merger'));
    expect(merged.errors).toBeUndefined();

    const during = await hub.gql<Records>(RECORDS, { id: survivor.id }, doctor);
    expect(during.data?.child.records.edges.find((e) => e.node.id === moved.id)?.node).toMatchObject({ visibility: 'FULL', underBreakGlass: true });
    const notified = await hub.sql<{ session_id: string; code: string }>(
      `SELECT n.session_id, a.code FROM break_glass_notification n JOIN agency a ON a.id = n.agency_id WHERE n.session_id = ANY($1::uuid[]) ORDER BY 1, 2`,
      [[broken.data!.breakGlass.id, ended.data!.breakGlass.id]]);
    expect(notified).toEqual(expect.arrayContaining([
      { session_id: broken.data!.breakGlass.id, code: 'NPOL' }, { session_id: broken.data!.breakGlass.id, code: 'NSCHOOL' },
    ]));
    expect(notified.filter((n) => n.session_id === ended.data!.breakGlass.id).map((n) => n.code)).toEqual(['NSCHOOL']);
    const queue = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(
      REVIEWS, { filter: { childId: survivor.id } }, hub.token('NPOL', ['MANAGER'], 'pol-merge'));
    expect(queue.data?.breakGlassReviews.edges.map((e) => e.node.id)).toEqual([broken.data!.breakGlass.id]);
  });

  it('tells an agency whose records reach the child while the session is open, and lets it review', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const doctor = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-late');
    const broken = await hub.gql<{ breakGlass: { id: string; notifiedAgencies: Array<{ code: string }> } }>(BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, doctor);
    expect(broken.data?.breakGlass.notifiedAgencies.map((a) => a.code)).toEqual(['NSCHOOL']);
    // Ten minutes in, the police file a record about the child; the session opens it too.
    const filed = await hub.gql<{ submitRecords: { results: Array<{ status: string }> } }>(
      `mutation($records: [RecordInput!]!) { submitRecords(records: $records) { results { status } } }`,
      { records: [{ sourceRef: `LATE-${child.id}`, child: { childId: child.id }, category: 'POLICE_INCIDENT', occurredAt: new Date().toISOString(), summary: 'Officers attended the home' }] },
      hub.token('NPOL', ['INTEGRATION'], 'npol-rms'));
    expect(filed.data?.submitRecords.results[0].status).toBe('CREATED');
    const queue = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, {}, hub.token('NPOL', ['MANAGER'], 'pol-late'));
    expect(queue.data?.breakGlassReviews.edges.map((e) => e.node.id)).toContain(broken.data!.breakGlass.id);
    const reviewed = await hub.gql(REVIEW, { id: broken.data!.breakGlass.id, outcome: 'JUSTIFIED', note: 'Emergency care; nothing else read' }, hub.token('NPOL', ['MANAGER'], 'pol-late'));
    expect(reviewed.errors).toBeUndefined();
  });

  it('ends when its time is up', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const token = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-2');
    const res = await hub.gql<{ breakGlass: { id: string } }>(BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, token);
    await hub.sql(`UPDATE break_glass_session SET started_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1`, [res.data!.breakGlass.id]);
    const after = await hub.gql<Records>(RECORDS, { id: child.id }, token);
    expect(after.data?.child.records.edges).toEqual([]);
  });

  it('is refused without a reason, for roles that do not act on children, and for an absent child', async () => {
    const child = await createChild(hub);
    const short = await hub.gql(BREAK, { childId: child.id, reason: 'urgent' }, hub.token('NHEALTH', ['PRACTITIONER']));
    expect(short.errors?.[0].extensions?.field).toBe('reason');
    for (const role of ['DPO', 'ADMIN', 'INTEGRATION'] as const) {
      expect(errorCode(await hub.gql(BREAK, { childId: child.id, reason: 'Unconscious child in A&E' }, hub.token('NHEALTH', [role])))).toBe('FORBIDDEN');
    }
    expect(errorCode(await hub.gql(BREAK, { childId: '00000000-0000-4000-8000-000000000000', reason: 'Unconscious child in A&E' }, hub.token('NHEALTH', ['MANAGER'])))).toBe('NOT_FOUND');
    expect(await hub.sql(`SELECT id FROM break_glass_session WHERE child_id = $1`, [child.id])).toHaveLength(0);
  });

  it('reading the review list is audited with the sessions shown', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { category: 'POLICE_INCIDENT' });
    const broken = await hub.gql<{ breakGlass: { id: string } }>(
      BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-3'));
    const reviewer = hub.token('NPOL', ['MANAGER'], 'review-reader');
    const queue = await hub.gql<{ breakGlassReviews: { edges: Array<{ node: { id: string } }> } }>(REVIEWS, { filter: { childId: child.id } }, reviewer);
    expect(queue.data?.breakGlassReviews.edges.map((e) => e.node.id)).toEqual([broken.data!.breakGlass.id]);
    const rows = await hub.sql<{ outcome: string; result_ids: string[]; query: { childId: string } }>(
      `SELECT outcome, result_ids::text[] AS result_ids, query FROM audit_event WHERE actor_sub = 'review-reader' AND action = 'BREAK_GLASS_REVIEWS_VIEW'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'OK', result_ids: [broken.data!.breakGlass.id], query: { childId: child.id } });
  });

  it("breaking the glass on a merged duplicate's id opens the survivor and notifies its holders", async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub);
    await hub.sql(`UPDATE child SET merged_into_id = $1 WHERE id = $2`, [survivor.id, duplicate.id]);
    const record = await createRecord(hub, { agencyId: county.school.id, childId: survivor.id }, { category: 'ATTENDANCE' });
    const doctor = hub.token('NHEALTH', ['PRACTITIONER'], 'ae-doctor-merged');
    const res = await hub.gql<{ breakGlass: { id: string; notifiedAgencies: Array<{ code: string }> } }>(
      BREAK, { childId: duplicate.id, reason: 'Unconscious child in A&E, parents unreachable' }, doctor);
    expect(res.errors).toBeUndefined();
    expect(res.data?.breakGlass.notifiedAgencies.map((a) => a.code)).toEqual(['NSCHOOL']);
    expect(await hub.sql(`SELECT child_id FROM break_glass_session WHERE id = $1`, [res.data!.breakGlass.id])).toEqual([{ child_id: survivor.id }]);
    const during = await hub.gql<Records>(RECORDS, { id: survivor.id }, doctor);
    expect(during.data?.child.records.edges.map((e) => [e.node.id, e.node.visibility])).toEqual([[record.id, 'FULL']]);
  });

  it('nobody reviews their own session: a social care manager who broke the glass is refused on it', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const self = hub.token('NCSC', ['MANAGER'], 'csc-m-self');
    const res = await hub.gql<{ breakGlass: { id: string } }>(BREAK, { childId: child.id, reason: 'Child found alone at night, no adult reachable' }, self);
    const review = await hub.gql(REVIEW, { id: res.data!.breakGlass.id, outcome: 'JUSTIFIED', note: 'My own emergency access was justified' }, self);
    expect(errorCode(review)).toBe('FORBIDDEN');
    expect(await hub.sql(`SELECT reviewed_at FROM break_glass_session WHERE id = $1`, [res.data!.breakGlass.id])).toEqual([{ reviewed_at: null }]);
  });

  it('pages the review list by keyset, and refuses a cursor it did not issue', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await hub.gql<{ breakGlass: { id: string } }>(BREAK, { childId: child.id, reason: 'Unconscious child in A&E, parents unreachable' }, hub.token('NHEALTH', ['PRACTITIONER'], `ae-pager-${i}`));
      ids.push(res.data!.breakGlass.id);
    }
    const PAGE = `query($filter: BreakGlassReviewFilter, $first: Int, $after: String) { breakGlassReviews(filter: $filter, first: $first, after: $after) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    type Page = { breakGlassReviews: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const reviewer = hub.token('NCSC', ['MANAGER'], 'csc-pager');
    const first = await hub.gql<Page>(PAGE, { filter: { childId: child.id }, first: 2 }, reviewer);
    expect(first.data?.breakGlassReviews.pageInfo.hasNextPage).toBe(true);
    const second = await hub.gql<Page>(PAGE, { filter: { childId: child.id }, first: 2, after: first.data!.breakGlassReviews.pageInfo.endCursor }, reviewer);
    expect(second.data?.breakGlassReviews.pageInfo.hasNextPage).toBe(false);
    expect([...first.data!.breakGlassReviews.edges, ...second.data!.breakGlassReviews.edges].map((e) => e.node.id)).toEqual(ids);
    const forged = Buffer.from(JSON.stringify(['not-a-time', ids[0]])).toString('base64url');
    const refused = await hub.gql(PAGE, { first: 2, after: forged }, reviewer);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].extensions?.field).toBe('after');
  });
});
