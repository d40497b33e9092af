import { createBreakGlass, createChild, createCounty, createOpenEnquiry, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { AuditWriter } from '../../src/modules/audit/audit-writer';

const SEARCH = `query($input: ChildSearchInput!, $first: Int, $after: String) {
  searchChildren(input: $input, first: $first, after: $after) { edges { cursor node { id detailsWithheld } } pageInfo { hasNextPage endCursor } } }`;
const PURPOSE = { reason: 'Checking what is held before a home visit' };

describe('no side channels', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('a search that would match only a shielded child answers exactly as a search that matches nobody', async () => {
    const shielded = await createChild(hub, { givenName: 'Wrenna', familyName: 'Quillfeather', dateOfBirth: '2015-03-02', shielded: true });
    const token = hub.token('NSCHOOL', ['PRACTITIONER']);
    const hit = await hub.gql(SEARCH, { input: { familyName: 'Quillfeather', dateOfBirth: '2015-03-02' }, first: 1 }, token);
    const miss = await hub.gql(SEARCH, { input: { familyName: 'Quillfeather', dateOfBirth: '2015-03-03' }, first: 1 }, token);
    expect(hit).toEqual(miss);
    expect(hit.data).toEqual({ searchChildren: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    // By name alone she is found, showing name, age and gender only.
    const byName = await hub.gql<{ searchChildren: { edges: Array<{ node: { id: string; detailsWithheld: boolean } }> } }>(SEARCH, { input: { familyName: 'Quillfeather' } }, token);
    expect(byName.data?.searchChildren.edges.map((e) => e.node)).toEqual([{ id: shielded.id, detailsWithheld: true }]);
    const child = await hub.gql(`{ child(id: "${shielded.id}") { dateOfBirth address addressWithheld nhsNumber } }`, {}, token);
    expect(child.data).toEqual({ child: { dateOfBirth: null, address: null, addressWithheld: false, nhsNumber: null } });
  });

  it('an ADMIN search finds nothing and gives no cursor', async () => {
    await createChild(hub, { familyName: 'Admintest' });
    const res = await hub.gql(SEARCH, { input: { familyName: 'Admintest' } }, hub.token('NCSC', ['ADMIN']));
    expect(res.data).toEqual({ searchChildren: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
  });

  it('pages search results without repeats and refuses a forged cursor', async () => {
    for (let i = 0; i < 5; i += 1) await createChild(hub, { givenName: `Pager${i}`, familyName: 'Pagewell' });
    const token = hub.token('NCSC', ['MASH_RESEARCHER']);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const res: { data?: { searchChildren: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } =
        await hub.gql(SEARCH, { input: { familyName: 'Pagewell' }, first: 2, after }, token);
      const page = res.data!.searchChildren;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const forged = await hub.gql(SEARCH, { input: { familyName: 'Pagewell' }, after: Buffer.from('[-3]').toString('base64url') }, token);
    expect(errorCode(forged)).toBe('BAD_USER_INPUT');
    expect(forged.errors?.[0].extensions?.field).toBe('after');
  });

  it('a FLAG shows agency, category and date only', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.school.id, childId: child.id });
    const restricted = await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { sensitivity: 'RESTRICTED', category: 'EXPLOITATION' });
    const res = await hub.gql<{ record: Record<string, unknown> }>(
      `query($id: ID!, $p: PurposeInput!) { record(id: $id, purpose: $p) { visibility agency { code } category occurredAt sensitivity version recordedAt sourceRef summary detail factorCodes enquiryId } }`,
      { id: restricted.id, p: PURPOSE },
      hub.token('NSCHOOL', ['PRACTITIONER']),
    );
    expect(res.data?.record).toEqual({
      visibility: 'FLAG', agency: { code: 'NPOL' }, category: 'EXPLOITATION', occurredAt: restricted.occurredAt.toISOString(),
      sensitivity: null, version: null, recordedAt: null, sourceRef: null, summary: null, detail: null, factorCodes: null, enquiryId: null,
    });
  });

  it('a stated enquiry must exist and be about the child read', async () => {
    const child = await createChild(hub);
    const other = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.school.id, childId: child.id });
    const enquiry = await createOpenEnquiry(hub, { childIds: [other.id], openedByAgencyId: county.social.id });
    const token = hub.token('NSCHOOL', ['PRACTITIONER']);
    const query = `query($id: ID!, $p: PurposeInput!) { record(id: $id, purpose: $p) { summary } }`;
    const wrongChild = await hub.gql(query, { id: record.id, p: { enquiryId: enquiry.id } }, token);
    expect(wrongChild.errors?.[0].extensions?.field).toBe('purpose.enquiryId');
    const missing = await hub.gql(query, { id: record.id, p: { enquiryId: '00000000-0000-4000-8000-000000000000' } }, token);
    expect(missing.errors?.[0].extensions?.field).toBe('purpose.enquiryId');
    const own = await createOpenEnquiry(hub, { childIds: [child.id], openedByAgencyId: county.social.id });
    const ok = await hub.gql(query, { id: record.id, p: { enquiryId: own.id } }, token);
    expect(ok.data).toEqual({ record: { summary: record.summary } });
    const [audit] = await hub.sql<{ purpose: { enquiryId: string } }>(`SELECT purpose FROM audit_event WHERE record_id = $1 AND outcome = 'FULL' ORDER BY seq DESC LIMIT 1`, [record.id]);
    expect(audit.purpose.enquiryId).toBe(own.id);
    // Checked too where no record is released: a chronology page of front-door steps only, and an access request.
    const steps = await hub.gql(`query($id: ID!, $p: PurposeInput!) { child(id: $id) { chronology(purpose: $p, filter: { kinds: [ENQUIRY] }) { totalCount } } }`,
      { id: child.id, p: { enquiryId: enquiry.id } }, hub.token('NCSC', ['MASH_RESEARCHER']));
    expect(steps.errors?.[0].extensions?.field).toBe('purpose.enquiryId');
    const police = await createRecord(hub, { agencyId: county.police.id, childId: child.id });
    const asked = await hub.gql(`mutation($id: ID!, $p: PurposeInput!) { requestAccess(recordId: $id, purpose: $p) { id } }`,
      { id: police.id, p: { enquiryId: enquiry.id } }, token);
    expect(asked.errors?.[0].extensions?.field).toBe('purpose.enquiryId');
  });

  it('a break-glass session belongs to its agency as well as its subject', async () => {
    // Two identity providers may both issue "jsmith"; police jsmith's session is not health jsmith's.
    const child = await createChild(hub);
    await createBreakGlass(hub, { childId: child.id, viewerSub: 'jsmith', viewerAgencyId: county.police.id });
    await createRecord(hub, { agencyId: county.health.id, childId: child.id });
    const schoolRecord = await createRecord(hub, { agencyId: county.school.id, childId: child.id });
    const read = (agency: string) =>
      hub.gql<{ record: { visibility: string } | null }>(
        `query($id: ID!, $p: PurposeInput!) { record(id: $id, purpose: $p) { visibility } }`,
        { id: schoolRecord.id, p: PURPOSE },
        hub.token(agency, ['PRACTITIONER'], 'jsmith'),
      );
    expect((await read('NPOL')).data?.record?.visibility).toBe('FULL');
    expect((await read('NHEALTH')).data?.record?.visibility).toBe('FLAG');
  });

  it('audits a page as one event per agency and ground set, and the DPO still finds every record read', async () => {
    const child = await createChild(hub);
    const records = [];
    for (let i = 0; i < 6; i += 1) records.push(await createRecord(hub, { agencyId: county.school.id, childId: child.id }));
    await hub.gql(`{ child(id: "${child.id}") { records(purpose: { reason: "Welfare check before a home visit" }) { totalCount } } }`, {}, hub.token('NSCHOOL', ['PRACTITIONER'], 'page-reader'));
    await hub.gql(`{ child(id: "${child.id}") { records(purpose: { reason: "Welfare check before a home visit" }) { edges { node { id } } } } }`, {}, hub.token('NSCHOOL', ['PRACTITIONER'], 'page-reader'));
    const events = await hub.sql<{ result_ids: string[]; grounds: Array<{ kind: string }> }>(
      `SELECT result_ids::text[] AS result_ids, grounds FROM audit_event WHERE actor_sub = 'page-reader' AND action = 'RECORD_LIST'`);
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect([...event.result_ids].sort()).toEqual(records.map((r) => r.id).sort());
      expect(event.grounds.map((g) => g.kind)).toEqual(['OWNER']);
    }
    const dpo = await hub.gql<{ auditEvents: { edges: Array<{ node: { actorSub: string; resultIds: string[] } }> } }>(
      `query($id: ID!) { auditEvents(filter: { recordId: $id }) { edges { node { actorSub resultIds } } } }`,
      { id: records[3].id },
      hub.token('NCSC', ['DPO']),
    );
    expect(dpo.data?.auditEvents.edges.filter((e) => e.node.actorSub === 'page-reader')).toHaveLength(2);
  });

  it('stamps audit rows with the moment the request was decided, not when they were flushed', async () => {
    // A request that started an hour ago: only its own start time can produce this stamp.
    const decidedAt = new Date(Date.now() - 3_600_000);
    const writer = new AuditWriter(hub.dataSource);
    await writer.append(
      { requestId: 'stamp-request', now: decidedAt, viewer: { sub: 'stamp-test', name: 'Stamp Test', agencyCode: 'NCSC', roles: ['MASH_RESEARCHER'] } },
      [{ action: 'CHILD_VIEW', outcome: 'FULL' }, { action: 'RECORD_LIST', outcome: 'FLAG' }],
    );
    const rows = await hub.sql<{ occurred_at: Date }>(`SELECT occurred_at FROM audit_event WHERE request_id = 'stamp-request'`);
    expect(rows.map((r) => r.occurred_at.toISOString())).toEqual([decidedAt.toISOString(), decidedAt.toISOString()]);
    const chain = await hub.gql<{ verifyAuditChain: { ok: boolean } }>('{ verifyAuditChain { ok } }', {}, hub.token('NCSC', ['DPO']));
    expect(chain.data?.verifyAuditChain.ok).toBe(true);
  });
});
