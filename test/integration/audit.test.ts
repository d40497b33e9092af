import { createChild, createConsent, createCounty, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

const READ = `query($id: ID!) { record(id: $id, purpose: { reason: "Strategy discussion preparation" }) { visibility summary } }`;
const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $filter, first: $first, after: $after) {
  edges { cursor node { seq action actorSub actorAgencyCode recordId recordAgencyId outcome grounds { kind id } purpose { reason } } }
  pageInfo { hasNextPage endCursor } } }`;
const VERIFY = `{ verifyAuditChain { ok checked firstBrokenSeq firstBrokenId problem lastSeq } }`;

type Events = { auditEvents: { edges: Array<{ node: { seq: string; action: string; actorSub: string; actorAgencyCode: string; recordId: string | null; recordAgencyId: string | null; outcome: string; grounds: Array<{ kind: string; id: string }> } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
type Report = { verifyAuditChain: { ok: boolean; checked: number; firstBrokenSeq: string | null; firstBrokenId: string | null; problem: string | null; lastSeq: string } };

describe('audit trail: who sees what of it', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  let healthRecord: { id: string; summary: string; detail: string | null };
  let schoolRecord: { id: string };
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    const child = await createChild(hub);
    healthRecord = await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'HEALTH_CONTACT', summary: 'Seen by health visitor', detail: 'Private clinical note' });
    schoolRecord = await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    await createConsent(hub, { childId: child.id, recordedByAgencyId: county.health.id, recipientAgencyCodes: ['NPOL', 'NHEALTH'] });
    // Police read the health record (another agency), health reads its own, police read the school record.
    expect((await hub.gql<{ record: { visibility: string } }>(READ, { id: healthRecord.id }, hub.token('NPOL', ['PRACTITIONER'], 'officer-7'))).data?.record.visibility).toBe('FULL');
    await hub.gql(READ, { id: healthRecord.id }, hub.token('NHEALTH', ['PRACTITIONER'], 'nurse-7'));
    await hub.gql(READ, { id: schoolRecord.id }, hub.token('NPOL', ['PRACTITIONER'], 'officer-7'));
  });
  afterAll(() => hub.stop());

  it('a DPO sees every event', async () => {
    const res = await hub.gql<Events>(EVENTS, { filter: { action: 'RECORD_READ' } }, hub.token('NCSC', ['DPO'], 'dpo-1'));
    expect(res.errors).toBeUndefined();
    const reads = res.data!.auditEvents.edges.map((e) => `${e.node.actorSub}:${e.node.recordId}`);
    expect(reads.sort()).toEqual([`nurse-7:${healthRecord.id}`, `officer-7:${healthRecord.id}`, `officer-7:${schoolRecord.id}`].sort());
    const police = res.data!.auditEvents.edges.find((e) => e.node.actorSub === 'officer-7' && e.node.recordId === healthRecord.id)!.node;
    expect(police).toMatchObject({ outcome: 'FULL', actorAgencyCode: 'NPOL', recordAgencyId: county.health.id, purpose: { reason: 'Strategy discussion preparation' } });
    expect(police.grounds.map((g) => g.kind)).toEqual(['CONSENT']);
  });

  it("an agency's manager sees only others' reads of its own records", async () => {
    const res = await hub.gql<Events>(EVENTS, {}, hub.token('NHEALTH', ['MANAGER'], 'health-manager'));
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.auditEvents.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.recordAgencyId === county.health.id && n.actorAgencyCode !== 'NHEALTH')).toBe(true);
    expect(nodes.map((n) => n.actorSub)).toContain('officer-7');
    expect(nodes.map((n) => n.actorSub)).not.toContain('nurse-7');
    expect(nodes.map((n) => n.recordId)).not.toContain(schoolRecord.id);
  });

  it.each([['PRACTITIONER'], ['MASH_RESEARCHER'], ['ADMIN'], ['INTEGRATION']] as const)('%s is FORBIDDEN', async (role) => {
    expect(errorCode(await hub.gql(EVENTS, {}, hub.token('NHEALTH', [role])))).toBe('FORBIDDEN');
  });

  it('pages newest first by seq without repeats', async () => {
    const dpo = hub.token('NCSC', ['DPO'], 'dpo-pager');
    const first = await hub.gql<Events>(EVENTS, { first: 2 }, dpo);
    const second = await hub.gql<Events>(EVENTS, { first: 2, after: first.data!.auditEvents.pageInfo.endCursor }, dpo);
    const seqs = [...first.data!.auditEvents.edges, ...second.data!.auditEvents.edges].map((e) => Number(e.node.seq));
    expect(seqs).toHaveLength(4);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
  });

  it('the chain verifies over every kind of event written, dates and search parameters included', async () => {
    const dpo = hub.token('NCSC', ['DPO'], 'dpo-dates');
    await hub.gql(EVENTS, { filter: { from: '2020-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', childId: healthRecord.id.toUpperCase() } }, dpo);
    await hub.gql(`{ searchChildren(input: { name: "Given" }) { edges { node { id } } } }`, {}, hub.token('NPOL', ['PRACTITIONER']));
    const report = await hub.gql<Report>(VERIFY, {}, dpo);
    expect(report.data?.verifyAuditChain).toMatchObject({ ok: true, problem: null });
  });

  it('holds no record content', async () => {
    const rows = await hub.sql(`SELECT * FROM audit_event`);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(healthRecord.summary);
    expect(text).not.toContain('Private clinical note');
  });
});

describe('audit trail: tamper evidence', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.police.id, childId: child.id });
    for (let i = 0; i < 6; i += 1) await hub.gql(READ, { id: record.id }, hub.token('NPOL', ['PRACTITIONER'], `officer-${i}`));
  });
  afterAll(() => hub.stop());

  const dpo = () => hub.token('NCSC', ['DPO'], 'dpo-verify');

  /** Runs SQL as the superuser with the append-only triggers switched off for this transaction only. */
  const tamper = (sql: string, params: unknown[]) =>
    hub.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(sql, params);
    });

  it('refuses UPDATE, DELETE and TRUNCATE while the triggers are on', async () => {
    await expect(hub.sql(`UPDATE audit_event SET action = 'X' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(hub.sql(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(hub.sql(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('finds an altered row and a deleted row, naming the first broken link', async () => {
    const intact = await hub.gql<Report>(VERIFY, {}, dpo());
    expect(intact.data?.verifyAuditChain).toMatchObject({ ok: true, firstBrokenSeq: null, problem: null });
    expect(intact.data!.verifyAuditChain.checked).toBeGreaterThanOrEqual(6);

    const [third] = await hub.sql<{ id: string; actor_sub: string }>(`SELECT id, actor_sub FROM audit_event WHERE seq = 3`);
    await tamper(`UPDATE audit_event SET actor_sub = 'someone-else' WHERE seq = 3`, []);
    const altered = await hub.gql<Report>(VERIFY, {}, dpo());
    expect(altered.data?.verifyAuditChain).toMatchObject({ ok: false, checked: 2, firstBrokenSeq: '3', firstBrokenId: third.id });
    expect(altered.data!.verifyAuditChain.problem).toMatch(/altered/);

    // Put it back: the chain verifies again, so the next break found is the deletion alone.
    await tamper(`UPDATE audit_event SET actor_sub = $1 WHERE seq = 3`, [third.actor_sub]);
    expect((await hub.gql<Report>(VERIFY, {}, dpo())).data?.verifyAuditChain.ok).toBe(true);

    await tamper(`DELETE FROM audit_event WHERE seq = 5`, []);
    const deleted = await hub.gql<Report>(VERIFY, {}, dpo());
    expect(deleted.data?.verifyAuditChain).toMatchObject({ ok: false, checked: 4, firstBrokenSeq: '5', firstBrokenId: null });
    expect(deleted.data!.verifyAuditChain.problem).toMatch(/missing/);
  });

  it('finds a row whose stored hash was replaced', async () => {
    const [row] = await hub.sql<{ hash: string }>(`SELECT hash FROM audit_event WHERE seq = 2`);
    await tamper(`UPDATE audit_event SET hash = $1 WHERE seq = 2`, ['f'.repeat(64)]);
    const res = await hub.gql<Report>(VERIFY, {}, dpo());
    expect(res.data?.verifyAuditChain).toMatchObject({ ok: false, firstBrokenSeq: '2' });
    await tamper(`UPDATE audit_event SET hash = $1 WHERE seq = 2`, [row.hash]);
  });

  it.each([['MANAGER'], ['PRACTITIONER']] as const)('%s may not verify the chain', async (role) => {
    expect(errorCode(await hub.gql(VERIFY, {}, hub.token('NCSC', [role])))).toBe('FORBIDDEN');
  });
});
