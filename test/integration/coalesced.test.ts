/**
 * Statements coalesced across requests: calls made in the same turn of the event loop, or while
 * a statement of the kind is under way, run as one statement, yet each caller gets exactly the
 * rows its own inputs produce, numbered as if it had run alone; one caller's bad input fails
 * only that caller; and a request served alongside others sees what it would have seen alone.
 */
import { AccessLayer } from '../../src/access/access-layer';
import { loadChildrenWithFacts } from '../../src/access/facts-loader';
import type { AuditEntry } from '../../src/modules/audit/audit-writer';
import type { Role } from '../../src/domain/vocabulary';
import { CoalescedStatement } from '../../src/db/coalesced';
import { PreparedStatement } from '../../src/db/prepared';
import type { PolicyViewer } from '../../src/policy/types';
import { createBreakGlass, createChild, createConsent, createCounty, createGrant, createRecord, type County, type RecordFactory } from '../factories';
import { startHub, type Hub } from '../support/harness';

const ECHO = new CoalescedStatement<{ n: number; id: string; label: string }>(
  new PreparedStatement(`SELECT u.n::int AS n, u.id::text AS id, u.label FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS u(id, label, n)`),
);
// Sleeps long enough for later calls to arrive while it runs.
const SLOW_ECHO = new CoalescedStatement<{ n: number; label: string }>(
  new PreparedStatement(`SELECT u.n::int AS n, u.label FROM unnest($1::text[]) WITH ORDINALITY AS u(label, n) CROSS JOIN pg_sleep(1)`),
);
function viewerOf(agency: County[keyof County], sub: string, roles: Role[]): PolicyViewer {
  return { sub, agencyId: agency.id, agencyCode: agency.code, agencyKind: agency.kind, roles };
}
const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('coalesced statements', () => {
  let hub: Hub;
  let county: County;

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('runs calls made together as one statement, each getting its own rows numbered from 1', async () => {
    hub.queries.reset();
    const calls = [
      [[uuid(1), uuid(2)], ['a1', 'a2']],
      [[uuid(3)], ['b1']],
      [[uuid(4), uuid(5), uuid(6)], ['c1', 'c2', 'c3']],
    ];
    const results = await Promise.all(calls.map((columns) => ECHO.run(hub.dataSource.manager, columns)));
    expect(hub.queries.statements.filter((s) => s.includes('WITH ORDINALITY AS u(id, label, n)'))).toHaveLength(1);
    expect(results.map((rows) => rows.map((row) => [row.n, row.label]))).toEqual([
      [[1, 'a1'], [2, 'a2']],
      [[1, 'b1']],
      [[1, 'c1'], [2, 'c2'], [3, 'c3']],
    ]);
  });

  it('holds calls made while a statement of the kind is under way, then runs them together as the next', async () => {
    hub.queries.reset();
    const first = SLOW_ECHO.run(hub.dataSource.manager, [['first']]);
    // Each of these comes in a later turn of the event loop, while the first statement sleeps.
    const later: Array<Promise<Array<{ n: number; label: string }>>> = [];
    for (const label of ['second', 'third', 'fourth']) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      later.push(SLOW_ECHO.run(hub.dataSource.manager, [[label]]));
    }
    const results = await Promise.all([first, ...later]);
    expect(results.map((rows) => rows.map((row) => [row.n, row.label]))).toEqual([[[1, 'first']], [[1, 'second']], [[1, 'third']], [[1, 'fourth']]]);
    expect(hub.queries.statements.filter((s) => s.includes('pg_sleep'))).toHaveLength(2);
  });

  it('fails only the call whose input the database refuses', async () => {
    const [good, bad, alsoGood] = await Promise.allSettled([
      ECHO.run(hub.dataSource.manager, [[uuid(7)], ['good']]),
      ECHO.run(hub.dataSource.manager, [['not-a-uuid'], ['bad']]),
      ECHO.run(hub.dataSource.manager, [[uuid(8)], ['also good']]),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: [{ n: 1, id: uuid(7), label: 'good' }] });
    expect(bad.status).toBe('rejected');
    expect(alsoGood).toEqual({ status: 'fulfilled', value: [{ n: 1, id: uuid(8), label: 'also good' }] });
  });

  it('runs at once on the transaction’s own connection inside a transaction', async () => {
    const id = '00000000-0000-4000-8000-00000000abcd';
    const viewer = viewerOf(county.police, 'officer', ['PRACTITIONER']);
    const seen = await hub.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO child (id, given_name, family_name, date_of_birth, gender) VALUES ($1, 'Uncommitted', 'Child', '2015-01-01', 'FEMALE')`, [id]);
      const [inside, outside] = await Promise.all([loadChildrenWithFacts(manager, viewer, [id]), loadChildrenWithFacts(hub.dataSource.manager, viewer, [id])]);
      throw Object.assign(new Error('roll back'), { seen: [inside.get(id)?.row?.givenName ?? null, outside.get(id)?.row?.givenName ?? null] });
    }).catch((error: { seen?: unknown }) => error.seen);
    expect(seen).toEqual(['Uncommitted', null]);
  });

  it('refuses columns of different lengths and answers no inputs with no rows', async () => {
    expect(() => ECHO.run(hub.dataSource.manager, [[uuid(1)], []])).toThrow(/differ in length/);
    await expect(ECHO.run(hub.dataSource.manager, [[], []])).resolves.toEqual([]);
  });

  it('loads facts for several viewers in one statement, each with its own grants and break-glass sessions', async () => {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.social.id, childId: child.id });
    await createGrant(hub, { recordId: record.id, childId: child.id, ownerAgencyId: county.social.id, requesterAgencyId: county.school.id });
    await createBreakGlass(hub, { childId: child.id, viewerSub: 'doctor-on-call', viewerAgencyId: county.health.id });
    const viewer = (agency: County[keyof County], sub: string): PolicyViewer => viewerOf(agency, sub, ['PRACTITIONER']);

    hub.queries.reset();
    const [doctor, otherDoctor, teacher, officer] = await Promise.all([
      loadChildrenWithFacts(hub.dataSource.manager, viewer(county.health, 'doctor-on-call'), [child.id]),
      loadChildrenWithFacts(hub.dataSource.manager, viewer(county.health, 'another-doctor'), [child.id]),
      loadChildrenWithFacts(hub.dataSource.manager, viewer(county.school, 'teacher'), [child.id]),
      loadChildrenWithFacts(hub.dataSource.manager, viewer(county.police, 'officer'), [child.id]),
    ]);
    expect(hub.queries.statements).toHaveLength(1);
    const facts = (loaded: typeof doctor) => loaded.get(child.id)?.facts;
    expect(facts(doctor)?.breakGlass.map((s) => s.viewerSub)).toEqual(['doctor-on-call']);
    expect(facts(otherDoctor)?.breakGlass).toEqual([]);
    expect(facts(teacher)?.grants.map((g) => g.recordId)).toEqual([record.id]);
    expect(facts(teacher)?.breakGlass).toEqual([]);
    expect(facts(officer)?.grants).toEqual([]);
    expect(facts(doctor)?.grants).toEqual([]);
  });

  it('shows each of many viewers reading at once what that viewer would see alone, and audits it the same', async () => {
    const child = await createChild(hub);
    const records: RecordFactory[] = [];
    for (const agency of [county.police, county.health, county.school, county.social]) {
      records.push(await createRecord(hub, { agencyId: agency.id, childId: child.id }, { category: agency === county.health ? 'HEALTH_CONTACT' : 'POLICE_INCIDENT' }));
    }
    await createConsent(hub, { childId: child.id, recordedByAgencyId: county.social.id, recipientAgencyCodes: [county.police.code] });
    await createGrant(hub, { recordId: records[3].id, childId: child.id, ownerAgencyId: county.social.id, requesterAgencyId: county.school.id });
    await createBreakGlass(hub, { childId: child.id, viewerSub: 'doctor-on-call', viewerAgencyId: county.health.id });
    const viewers: PolicyViewer[] = [
      viewerOf(county.police, 'officer', ['PRACTITIONER']),
      viewerOf(county.health, 'doctor-on-call', ['PRACTITIONER']),
      viewerOf(county.health, 'another-doctor', ['PRACTITIONER']),
      viewerOf(county.school, 'teacher', ['PRACTITIONER']),
      viewerOf(county.social, 'researcher', ['MASH_RESEARCHER']),
    ];
    const now = new Date();
    const purpose = { reason: 'Checking what partners hold before a home visit', enquiryId: null };
    // One request's reads, through the access layer as a resolver makes them: its own layer, its own audit.
    const read = async (viewer: PolicyViewer) => {
      const audit: AuditEntry[] = [];
      const access = new AccessLayer(hub.dataSource.manager, viewer, now, audit);
      const shown = await access.child(child.id, 'CHILD_VIEW', { withRecords: true });
      const { cursorAt, ...page } = await access.childRecords(child.id, purpose, {}, { first: 10 });
      return { shown, page: { ...page, cursors: page.nodes.map((_, i) => cursorAt(i)) }, audit };
    };
    const alone: Array<Awaited<ReturnType<typeof read>>> = [];
    for (const viewer of viewers) alone.push(await read(viewer));

    hub.queries.reset();
    const together = await Promise.all([0, 1, 2].flatMap(() => viewers.map(read)));
    // Fifteen requests' facts came in one statement, and their contents in one more.
    expect(hub.queries.statements.filter((s) => s.includes('viewer_agency_id, viewer_sub, n'))).toHaveLength(1);
    together.forEach((result, i) => expect(result).toEqual(alone[i % viewers.length]));
    // The viewers see differently, so a shared statement could not have hidden a leak.
    expect(new Set(alone.map((result) => JSON.stringify(result.page.nodes.map((node) => node.visibility)))).size).toBeGreaterThanOrEqual(4);
  });
});
