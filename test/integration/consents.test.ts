import { createChild, createConsent, createCounty, createLawfulBasis, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

const READ = `query($id: ID!) { record(id: $id, purpose: { reason: "Early help assessment review" }) { visibility summary } }`;
const RECORD_CONSENT = `mutation($input: ConsentInput!) { recordConsent(input: $input) { id childId recipientAgencyCodes categories active } }`;
const WITHDRAW = `mutation($id: ID!, $reason: String!) { withdrawConsent(id: $id, reason: $reason) { id active withdrawnAt withdrawalReason } }`;

describe('consent: recorded, relied on, withdrawn', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const input = (childId: string, overrides: Record<string, unknown> = {}) => ({
    childId,
    givenBy: 'PARENT',
    givenByName: 'Sam Parent',
    recipientAgencyCodes: ['NHEALTH'],
    purpose: 'Early help assessment',
    givenAt: new Date(Date.now() - 3600_000).toISOString(),
    expiresAt: null,
    evidence: 'Signed consent form, EHM case 4411',
    ...overrides,
  });

  it('a named agency sees FULL once consent is recorded, and FLAG-or-less once it is withdrawn', async () => {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.school.id, childId: child.id }, { category: 'ATTENDANCE' });
    const nurse = hub.token('NHEALTH', ['PRACTITIONER'], 'nurse-1');

    const before = await hub.gql<{ record: unknown }>(READ, { id: record.id }, nurse);
    expect(before.data?.record).toBeNull();

    const recorded = await hub.gql<{ recordConsent: { id: string; active: boolean; recipientAgencyCodes: string[] } }>(
      RECORD_CONSENT, { input: input(child.id) }, hub.token('NSCHOOL', ['PRACTITIONER'], 'ehw-1'));
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data?.recordConsent).toMatchObject({ active: true, recipientAgencyCodes: ['NHEALTH'] });
    const consentId = recorded.data!.recordConsent.id;

    const during = await hub.gql<{ record: { visibility: string; summary: string | null } }>(READ, { id: record.id }, nurse);
    expect(during.data?.record).toEqual({ visibility: 'FULL', summary: record.summary });
    // Not named: the police see nothing.
    const police = await hub.gql<{ record: unknown }>(READ, { id: record.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(police.data?.record).toBeNull();

    const withdrawn = await hub.gql<{ withdrawConsent: { active: boolean; withdrawalReason: string } }>(
      WITHDRAW, { id: consentId, reason: 'Parent withdrew consent by phone' }, hub.token('NSCHOOL', ['PRACTITIONER'], 'ehw-1'));
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data?.withdrawConsent).toMatchObject({ active: false, withdrawalReason: 'Parent withdrew consent by phone' });

    const after = await hub.gql<{ record: { visibility: string } | null }>(READ, { id: record.id }, nurse);
    expect(after.data?.record?.visibility ?? 'HIDDEN').not.toBe('FULL');

    const again = await hub.gql(WITHDRAW, { id: consentId, reason: 'Second attempt at withdrawal' }, hub.token('NSCHOOL', ['PRACTITIONER'], 'ehw-1'));
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.errors?.[0].extensions?.field).toBe('id');

    const audit = await hub.sql<{ action: string }>(
      `SELECT action FROM audit_event WHERE child_id = $1 AND action LIKE 'CONSENT_%' ORDER BY seq`, [child.id]);
    expect(audit.map((a) => a.action)).toEqual(['CONSENT_RECORD', 'CONSENT_WITHDRAW']);
  });

  it('a SENSITIVE category is covered only when listed', async () => {
    const child = await createChild(hub);
    const mental = await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'MENTAL_HEALTH', sensitivity: 'SENSITIVE' });
    const worker = hub.token('NHEALTH', ['PRACTITIONER'], 'hv-1');
    const teacher = hub.token('NSCHOOL', ['PRACTITIONER'], 'teacher-1');
    await hub.gql(RECORD_CONSENT, { input: input(child.id, { recipientAgencyCodes: ['NSCHOOL'] }) }, worker);
    const unlisted = await hub.gql<{ record: { visibility: string } }>(READ, { id: mental.id }, teacher);
    expect(unlisted.data?.record?.visibility).toBe('FLAG');
    await hub.gql(RECORD_CONSENT, { input: input(child.id, { recipientAgencyCodes: ['NSCHOOL'], categories: ['MENTAL_HEALTH'] }) }, worker);
    const listed = await hub.gql<{ record: { visibility: string } }>(READ, { id: mental.id }, teacher);
    expect(listed.data?.record?.visibility).toBe('FULL');
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['expiry before it was given', { givenAt: '2025-01-10T00:00:00Z', expiresAt: '2025-01-09T00:00:00Z' }, 'input.expiresAt'],
    ['given in the future', { givenAt: new Date(Date.now() + 86400_000).toISOString() }, 'input.givenAt'],
    ['unknown agency code', { recipientAgencyCodes: ['NHEALTH', 'NOPE'] }, 'input.recipientAgencyCodes'],
    ['no recipients', { recipientAgencyCodes: [] }, 'input.recipientAgencyCodes'],
    ['blank name', { givenByName: '  ' }, 'input.givenByName'],
    ['blank purpose', { purpose: '' }, 'input.purpose'],
  ];
  it.each(bad)('%s is BAD_USER_INPUT naming the field, and nothing is written', async (_name, overrides, field) => {
    const child = await createChild(hub);
    const res = await hub.gql(RECORD_CONSENT, { input: input(child.id, overrides) }, hub.token('NCSC', ['MASH_RESEARCHER']));
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await hub.sql(`SELECT id FROM consent WHERE child_id = $1`, [child.id])).toHaveLength(0);
  });

  it('a practitioner whose agency holds nothing about the child cannot consent their own agency into its records', async () => {
    const child = await createChild(hub);
    const mental = await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'MENTAL_HEALTH', sensitivity: 'SENSITIVE' });
    const officer = hub.token('NPOL', ['PRACTITIONER'], 'officer-self');
    const res = await hub.gql(RECORD_CONSENT, { input: input(child.id, { recipientAgencyCodes: ['NPOL'], categories: ['MENTAL_HEALTH'] }) }, officer);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await hub.sql(`SELECT id FROM consent WHERE child_id = $1`, [child.id])).toHaveLength(0);
    expect((await hub.gql<{ record: unknown }>(READ, { id: mental.id }, officer)).data?.record).toBeNull();
  });

  it.each([
    ['a MASH researcher', 'NCSC', 'MASH_RESEARCHER'], ['a social care manager', 'NCSC', 'MANAGER'],
  ] as const)('%s records consent for a child nobody has shared anything about yet', async (_who, agency, role) => {
    const child = await createChild(hub);
    const res = await hub.gql(RECORD_CONSENT, { input: input(child.id) }, hub.token(agency, [role]));
    expect(res.errors).toBeUndefined();
    expect(await hub.sql(`SELECT id FROM consent WHERE child_id = $1`, [child.id])).toHaveLength(1);
  });

  it('a manager outside social care is not MASH staff: no holding, no consent', async () => {
    const child = await createChild(hub);
    const res = await hub.gql(RECORD_CONSENT, { input: input(child.id) }, hub.token('NSCHOOL', ['MANAGER']));
    expect(errorCode(res)).toBe('FORBIDDEN');
  });

  it('an unknown child is NOT_FOUND', async () => {
    const res = await hub.gql(RECORD_CONSENT, { input: input('00000000-0000-4000-8000-000000000000') }, hub.token('NCSC', ['MASH_RESEARCHER']));
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  it.each([['DPO'], ['ADMIN'], ['INTEGRATION']] as const)('%s may not record consent', async (role) => {
    const child = await createChild(hub);
    const res = await hub.gql(RECORD_CONSENT, { input: input(child.id) }, hub.token('NSCHOOL', [role]));
    expect(errorCode(res)).toBe('FORBIDDEN');
  });

  it('Child.consents shows them to a viewer with a ground, empty to one without, in a bounded number of statements', async () => {
    const children = await Promise.all([1, 2, 3, 4].map(() => createChild(hub)));
    for (const c of children) {
      await createRecord(hub, { agencyId: county.health.id, childId: c.id }, { category: 'HEALTH_CONTACT' });
      await hub.gql(RECORD_CONSENT, { input: input(c.id) }, hub.token('NHEALTH', ['PRACTITIONER']));
    }
    const query = `query { ${children.map((c, i) => `c${i}: child(id: "${c.id}") { id consents { id givenBy active } lawfulBases { id } }`).join(' ')} }`;
    hub.queries.reset();
    const owner = await hub.gql<Record<string, { consents: unknown[] }>>(query, {}, hub.token('NHEALTH', ['PRACTITIONER']));
    const statements = hub.queries.count;
    expect(owner.errors).toBeUndefined();
    for (const key of Object.keys(owner.data!)) expect(owner.data![key].consents).toHaveLength(1);
    // Batched: child rows, facts, consents, bases, audit (plus transaction bookkeeping) — not one per child.
    expect(statements).toBeLessThan(15);
    const stranger = await hub.gql<Record<string, { consents: unknown[] }>>(query, {}, hub.token('NPOL', ['PRACTITIONER']));
    for (const key of Object.keys(stranger.data!)) expect(stranger.data![key].consents).toEqual([]);
  });

  it('shows sharing arrangements to no integration feed, and to a DPO only for a child it sees in full', async () => {
    const child = await createChild(hub);
    const shielded = await createChild(hub, { shielded: true });
    for (const c of [child, shielded]) {
      await createRecord(hub, { agencyId: county.police.id, childId: c.id }, { category: 'POLICE_INCIDENT' });
      await createConsent(hub, { childId: c.id, recordedByAgencyId: county.health.id, recipientAgencyCodes: ['NPOL'] });
      await createLawfulBasis(hub, { childId: c.id, recordedByAgencyId: county.social.id });
    }
    const query = `query($a: ID!, $b: ID!) { a: child(id: $a) { consents { id } lawfulBases { id } } b: child(id: $b) { consents { id } lawfulBases { id } } }`;
    type Answer = { a: { consents: unknown[]; lawfulBases: unknown[] } | null; b: { consents: unknown[]; lawfulBases: unknown[] } | null };
    // The police feed's agency holds a record about both children: it sees them, not what others hold or why.
    const feed = await hub.gql<Answer>(query, { a: child.id, b: shielded.id }, hub.token('NPOL', ['INTEGRATION'], 'npol-rms'));
    expect(feed.errors).toBeUndefined();
    expect(feed.data).toEqual({ a: { consents: [], lawfulBases: [] }, b: { consents: [], lawfulBases: [] } });
    const dpo = await hub.gql<Answer>(query, { a: child.id, b: shielded.id }, hub.token('NCSC', ['DPO'], 'dpo'));
    expect(dpo.data?.a).toEqual({ consents: [expect.anything()], lawfulBases: [expect.anything()] });
    expect(dpo.data?.b).toEqual({ consents: [], lawfulBases: [] });
    // An officer of the same agency, with its own record as a ground, sees both.
    const officer = await hub.gql<Answer>(query, { a: child.id, b: shielded.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(officer.data?.b).toEqual({ consents: [expect.anything()], lawfulBases: [expect.anything()] });
  });

  it('names the field of a text it cannot store, or an agency code that is not one, instead of failing', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'HEALTH_CONTACT' });
    const nurse = hub.token('NHEALTH', ['PRACTITIONER']);
    const nul = await hub.gql(RECORD_CONSENT, { input: input(child.id, { evidence: 'Signed form\u0000' }) }, nurse);
    expect(nul.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(nul.errors?.[0].extensions)).toContain('input.evidence');
    const code = await hub.gql(RECORD_CONSENT, { input: input(child.id, { recipientAgencyCodes: ['NPOL\u0000'] }) }, nurse);
    expect(JSON.stringify(code.errors?.[0].extensions)).toContain('input.recipientAgencyCodes');
    expect(await hub.sql(`SELECT 1 FROM consent WHERE child_id = $1`, [child.id])).toEqual([]);
  });

  it('reading Child.consents and Child.lawfulBases is audited: one row per child shown, naming what was shown', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'HEALTH_CONTACT' });
    const consent = await createConsent(hub, { childId: child.id, recordedByAgencyId: county.health.id, recipientAgencyCodes: ['NSCHOOL'] });
    const basis = await createLawfulBasis(hub, { childId: child.id, recordedByAgencyId: county.social.id }, { recipientAgencyCodes: ['NHEALTH'] });
    const query = `query($id: ID!) { child(id: $id) { consents { id } lawfulBases { id } } }`;
    const seen = await hub.gql<{ child: { consents: unknown[]; lawfulBases: unknown[] } }>(query, { id: child.id }, hub.token('NHEALTH', ['PRACTITIONER'], 'reader-of-sharing'));
    expect(seen.data?.child).toEqual({ consents: [{ id: consent.id }], lawfulBases: [{ id: basis.id }] });
    const rows = await hub.sql<{ action: string; child_id: string; result_ids: string[]; outcome: string }>(
      `SELECT action, child_id, result_ids::text[] AS result_ids, outcome FROM audit_event
       WHERE actor_sub = 'reader-of-sharing' AND action IN ('CONSENTS_VIEW', 'LAWFUL_BASES_VIEW') ORDER BY action`);
    expect(rows).toEqual([
      { action: 'CONSENTS_VIEW', child_id: child.id, result_ids: [consent.id], outcome: 'OK' },
      { action: 'LAWFUL_BASES_VIEW', child_id: child.id, result_ids: [basis.id], outcome: 'OK' },
    ]);
    // Nothing shown, nothing recorded as shown.
    await hub.gql(query, { id: child.id }, hub.token('NPOL', ['PRACTITIONER'], 'stranger-to-sharing'));
    expect(await hub.sql(`SELECT id FROM audit_event WHERE actor_sub = 'stranger-to-sharing' AND action LIKE '%S_VIEW'`)).toHaveLength(0);
  });

  it("a consent recorded against a merged duplicate's id lands on the survivor and counts there", async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub);
    await hub.sql(`UPDATE child SET merged_into_id = $1 WHERE id = $2`, [survivor.id, duplicate.id]);
    const record = await createRecord(hub, { agencyId: county.school.id, childId: survivor.id }, { category: 'ATTENDANCE' });
    const res = await hub.gql<{ recordConsent: { childId: string } }>(RECORD_CONSENT, { input: input(duplicate.id) }, hub.token('NSCHOOL', ['PRACTITIONER'], 'ehw-merged'));
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordConsent.childId).toBe(survivor.id);
    expect(await hub.sql(`SELECT child_id FROM consent WHERE child_id = ANY($1::uuid[])`, [[survivor.id, duplicate.id]])).toEqual([{ child_id: survivor.id }]);
    const read = await hub.gql<{ record: { visibility: string } }>(READ, { id: record.id }, hub.token('NHEALTH', ['PRACTITIONER']));
    expect(read.data?.record.visibility).toBe('FULL');
  });
});
