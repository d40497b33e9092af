import { createChild, createCounty, createOpenEnquiry, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

const READ = `query($id: ID!, $e: ID!) { record(id: $id, purpose: { enquiryId: $e }) { visibility summary grounds } }`;
const REQUEST = `mutation($id: ID!, $e: ID!) { requestAccess(recordId: $id, purpose: { enquiryId: $e }) { id status recordId ownerAgency { code } requesterAgency { code } purpose { enquiryId } } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!, $reason: String!, $hours: Int) {
  decideAccessRequest(id: $id, approve: $approve, reason: $reason, expiresInHours: $hours) { id status decisionReason expiresAt grantActive } }`;
const LIST = `query($filter: AccessRequestFilter, $first: Int, $after: String) {
  accessRequests(filter: $filter, first: $first, after: $after) { edges { cursor node { id status requesterName } } pageInfo { hasNextPage endCursor } } }`;

describe('access requests: a flag asks its owner, the owner decides, the grant runs out', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-1');
  const policeManager = () => hub.token('NPOL', ['MANAGER'], 'police-manager');

  async function flaggedRecord() {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { sensitivity: 'RESTRICTED', category: 'ARREST_OR_CHARGE' });
    const enquiry = await createOpenEnquiry(hub, { childIds: [child.id], openedByAgencyId: county.social.id });
    return { child, record, enquiry };
  }

  it('request, approve: FULL on GRANT until it expires', async () => {
    const { record, enquiry } = await flaggedRecord();
    const vars = { id: record.id, e: enquiry.id };
    expect((await hub.gql<{ record: { visibility: string } }>(READ, vars, researcher())).data?.record.visibility).toBe('FLAG');

    const asked = await hub.gql<{ requestAccess: { id: string; status: string } }>(REQUEST, vars, researcher());
    expect(asked.errors).toBeUndefined();
    expect(asked.data?.requestAccess).toMatchObject({ status: 'PENDING', ownerAgency: { code: 'NPOL' }, requesterAgency: { code: 'NCSC' }, purpose: { enquiryId: enquiry.id } });
    const id = asked.data!.requestAccess.id;
    // Asking again returns the same pending request.
    expect((await hub.gql<{ requestAccess: { id: string } }>(REQUEST, vars, researcher())).data?.requestAccess.id).toBe(id);

    const queue = await hub.gql<{ accessRequests: { edges: Array<{ node: { id: string } }> } }>(LIST, { filter: { status: 'PENDING' } }, policeManager());
    expect(queue.data?.accessRequests.edges.map((e) => e.node.id)).toContain(id);
    const mine = await hub.gql<{ accessRequests: { edges: Array<{ node: { id: string } }> } }>(LIST, {}, researcher());
    expect(mine.data?.accessRequests.edges.map((e) => e.node.id)).toEqual([id]);

    const approved = await hub.gql<{ decideAccessRequest: { status: string; grantActive: boolean; expiresAt: string } }>(
      DECIDE, { id, approve: true, reason: 'Released for the strategy discussion', hours: 24 }, policeManager());
    expect(approved.errors).toBeUndefined();
    expect(approved.data?.decideAccessRequest).toMatchObject({ status: 'APPROVED', grantActive: true });
    const expires = new Date(approved.data!.decideAccessRequest.expiresAt).getTime();
    expect(expires - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

    const granted = await hub.gql<{ record: { visibility: string; summary: string; grounds: string[] } }>(READ, vars, researcher());
    expect(granted.data?.record).toEqual({ visibility: 'FULL', summary: record.summary, grounds: ['GRANT'] });

    const twice = await hub.gql(DECIDE, { id, approve: false, reason: 'Changed my mind about this' }, policeManager());
    expect(errorCode(twice)).toBe('BAD_USER_INPUT');

    // The grant runs out: the next read is a flag again.
    await hub.sql(`UPDATE access_request SET expires_at = now() - interval '1 minute', decided_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
    expect((await hub.gql<{ record: { visibility: string } }>(READ, vars, researcher())).data?.record.visibility).toBe('FLAG');
  });

  it('decline leaves a flag, with the reason recorded and audited', async () => {
    const { record, enquiry } = await flaggedRecord();
    const asked = await hub.gql<{ requestAccess: { id: string } }>(REQUEST, { id: record.id, e: enquiry.id }, researcher());
    const id = asked.data!.requestAccess.id;
    const declined = await hub.gql<{ decideAccessRequest: { status: string; decisionReason: string; expiresAt: null } }>(
      DECIDE, { id, approve: false, reason: 'Live investigation: disclosure would prejudice it' }, policeManager());
    expect(declined.data?.decideAccessRequest).toEqual({ id, status: 'DECLINED', decisionReason: 'Live investigation: disclosure would prejudice it', expiresAt: null, grantActive: false });
    expect((await hub.gql<{ record: { visibility: string } }>(READ, { id: record.id, e: enquiry.id }, researcher())).data?.record.visibility).toBe('FLAG');
    const audit = await hub.sql<{ action: string }>(`SELECT action FROM audit_event WHERE record_id = $1 AND action LIKE 'ACCESS_%' ORDER BY seq`, [record.id]);
    expect(audit.map((a) => a.action)).toEqual(['ACCESS_REQUEST', 'ACCESS_DECLINE']);
  });

  it('only a manager of the owning agency decides; reasons and time-boxes are checked', async () => {
    const { record, enquiry } = await flaggedRecord();
    const id = (await hub.gql<{ requestAccess: { id: string } }>(REQUEST, { id: record.id, e: enquiry.id }, researcher())).data!.requestAccess.id;
    const reason = 'Released for the strategy discussion';
    const absent = '00000000-0000-4000-8000-000000000000';
    // Another agency's manager may not see the request: the same answer as for one that does not exist.
    const health = await hub.gql(DECIDE, { id, approve: true, reason }, hub.token('NHEALTH', ['MANAGER']));
    expect(errorCode(health)).toBe('NOT_FOUND');
    expect(health.errors?.[0].message).toBe((await hub.gql(DECIDE, { id: absent, approve: true, reason }, hub.token('NHEALTH', ['MANAGER']))).errors?.[0].message);
    // The requesting agency's manager sees it (they asked), so is told why not.
    expect(errorCode(await hub.gql(DECIDE, { id, approve: true, reason }, hub.token('NCSC', ['MANAGER'], 'researcher-1')))).toBe('FORBIDDEN');
    expect(errorCode(await hub.gql(DECIDE, { id, approve: true, reason }, hub.token('NCSC', ['MANAGER'])))).toBe('NOT_FOUND');
    // A role that never decides is refused alike, whether or not the request exists.
    expect(errorCode(await hub.gql(DECIDE, { id, approve: true, reason }, hub.token('NPOL', ['PRACTITIONER'])))).toBe('FORBIDDEN');
    expect(errorCode(await hub.gql(DECIDE, { id: absent, approve: true, reason }, hub.token('NPOL', ['PRACTITIONER'])))).toBe('FORBIDDEN');
    const short = await hub.gql(DECIDE, { id, approve: true, reason: 'ok' }, policeManager());
    expect(short.errors?.[0].extensions?.field).toBe('reason');
    const long = await hub.gql(DECIDE, { id, approve: true, reason, hours: 31 * 24 }, policeManager());
    expect(long.errors?.[0].extensions?.field).toBe('expiresInHours');
    const still = await hub.sql<{ status: string }>(`SELECT status FROM access_request WHERE id = $1`, [id]);
    expect(still[0].status).toBe('PENDING');
    expect(errorCode(await hub.gql(LIST, { filter: { scope: 'TO_MY_AGENCY' } }, hub.token('NCSC', ['PRACTITIONER'])))).toBe('FORBIDDEN');
  });

  it('a HIDDEN record and an absent one get the same NOT_FOUND; a FULL one cannot be asked for', async () => {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.police.id, childId: child.id });
    const enquiry = await createOpenEnquiry(hub, { childIds: [child.id], openedByAgencyId: county.social.id });
    const teacher = hub.token('NSCHOOL', ['PRACTITIONER'], 'teacher-9');
    const hidden = await hub.gql(REQUEST, { id: record.id, e: enquiry.id }, teacher);
    const absent = await hub.gql(REQUEST, { id: '00000000-0000-4000-8000-000000000000', e: enquiry.id }, teacher);
    expect(errorCode(hidden)).toBe('NOT_FOUND');
    expect(hidden.errors?.[0].message).toBe(absent.errors?.[0].message);
    expect(errorCode(absent)).toBe('NOT_FOUND');
    const own = await hub.gql(REQUEST, { id: record.id, e: enquiry.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(own.errors?.[0].extensions?.field).toBe('recordId');
    expect(await hub.sql(`SELECT id FROM access_request WHERE record_id = $1`, [record.id])).toHaveLength(0);
    const denied = await hub.sql(`SELECT outcome FROM audit_event WHERE action = 'ACCESS_REQUEST' AND actor_sub = 'teacher-9'`);
    expect(denied).toEqual([{ outcome: 'DENIED' }, { outcome: 'DENIED' }]);
  });

  it('pages the queue by keyset', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { record, enquiry } = await flaggedRecord();
      ids.push((await hub.gql<{ requestAccess: { id: string } }>(REQUEST, { id: record.id, e: enquiry.id }, hub.token('NCSC', ['MASH_RESEARCHER'], 'pager'))).data!.requestAccess.id);
    }
    type Page = { accessRequests: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const token = hub.token('NCSC', ['MASH_RESEARCHER'], 'pager');
    const first = await hub.gql<Page>(LIST, { first: 2 }, token);
    expect(first.data?.accessRequests.pageInfo.hasNextPage).toBe(true);
    const second = await hub.gql<Page>(LIST, { first: 2, after: first.data!.accessRequests.pageInfo.endCursor }, token);
    expect(second.data?.accessRequests.pageInfo.hasNextPage).toBe(false);
    expect([...first.data!.accessRequests.edges, ...second.data!.accessRequests.edges].map((e) => e.node.id)).toEqual(ids);
  });

  it('reading the request list is audited with the ids shown', async () => {
    const { record, enquiry } = await flaggedRecord();
    const id = (await hub.gql<{ requestAccess: { id: string } }>(REQUEST, { id: record.id, e: enquiry.id }, researcher())).data!.requestAccess.id;
    const manager = hub.token('NPOL', ['MANAGER'], 'queue-reader');
    const queue = await hub.gql<{ accessRequests: { edges: Array<{ node: { id: string } }> } }>(LIST, { filter: { status: 'PENDING' }, first: 200 }, manager);
    const shown = queue.data!.accessRequests.edges.map((e) => e.node.id);
    expect(shown).toContain(id);
    const rows = await hub.sql<{ outcome: string; result_ids: string[]; query: { scope: string; status: string } }>(
      `SELECT outcome, result_ids::text[] AS result_ids, query FROM audit_event WHERE actor_sub = 'queue-reader' AND action = 'ACCESS_REQUESTS_VIEW'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'OK', result_ids: shown, query: { scope: 'TO_MY_AGENCY', status: 'PENDING' } });
  });

  it('keeps one person\'s requests from another agency\'s person with the same subject', async () => {
    const { record, enquiry } = await flaggedRecord();
    const id = (await hub.gql<{ requestAccess: { id: string } }>(REQUEST, { id: record.id, e: enquiry.id }, researcher())).data!.requestAccess.id;
    // Health's identity provider also has a "researcher-1".
    const namesake = hub.token('NHEALTH', ['MASH_RESEARCHER'], 'researcher-1');
    const mine = await hub.gql<{ accessRequests: { edges: Array<{ node: { id: string } }> } }>(LIST, { filter: { scope: 'MADE_BY_ME' }, first: 200 }, namesake);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.accessRequests.edges.map((e) => e.node.id)).not.toContain(id);
    const own = await hub.gql<{ accessRequests: { edges: Array<{ node: { id: string } }> } }>(LIST, { filter: { scope: 'MADE_BY_ME' }, first: 200 }, researcher());
    expect(own.data!.accessRequests.edges.map((e) => e.node.id)).toContain(id);
  });
});
