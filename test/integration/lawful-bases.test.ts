import { createChild, createCounty, createRecord, type AgencyRow } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

const READ = `query($id: ID!) { record(id: $id, purpose: { reason: "Section 47 enquiry checks" }) { visibility summary grounds } }`;
const RECORD = `mutation($input: LawfulBasisInput!) { recordLawfulBasis(input: $input) { id kind recipientAgencyCodes authorisedByName active } }`;
const END = `mutation($id: ID!, $reason: String!) { endLawfulBasis(id: $id, reason: $reason) { id active endedAt endReason } }`;
const RATIONALE = 'Police report of injury; reasonable cause to suspect significant harm (s47)';

describe('lawful basis: recorded by a social care manager, relied on, ended', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const manager = () => hub.token('NCSC', ['MANAGER'], 'csc-manager');

  it('gives every partner FULL while in force; the next request after it ends does not', async () => {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'INJURY' });
    const officer = hub.token('NPOL', ['PRACTITIONER'], 'officer-1');
    expect((await hub.gql<{ record: unknown }>(READ, { id: record.id }, officer)).data?.record).toBeNull();

    const recorded = await hub.gql<{ recordLawfulBasis: { id: string; recipientAgencyCodes: null; active: boolean; authorisedByName: string } }>(
      RECORD, { input: { childId: child.id, kind: 'SECTION_47_ENQUIRY', rationale: RATIONALE } }, manager());
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data?.recordLawfulBasis).toMatchObject({ recipientAgencyCodes: null, active: true, authorisedByName: 'Test csc-manager' });

    const during = await hub.gql<{ record: { visibility: string; grounds: string[] } }>(READ, { id: record.id }, officer);
    expect(during.data?.record).toMatchObject({ visibility: 'FULL', grounds: ['LAWFUL_BASIS'] });

    const ended = await hub.gql<{ endLawfulBasis: { active: boolean } }>(
      END, { id: recorded.data!.recordLawfulBasis.id, reason: 'Enquiry concluded: no further action' }, manager());
    expect(ended.data?.endLawfulBasis.active).toBe(false);
    const after = await hub.gql<{ record: { visibility: string } | null }>(READ, { id: record.id }, officer);
    expect(after.data?.record?.visibility ?? 'HIDDEN').not.toBe('FULL');
  });

  it('names only the listed recipients when a list is given', async () => {
    const child = await createChild(hub);
    const record = await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'INJURY' });
    await hub.gql(RECORD, { input: { childId: child.id, kind: 'SIGNIFICANT_HARM', rationale: RATIONALE, recipientAgencyCodes: ['NSCHOOL'] } }, manager());
    const school = await hub.gql<{ record: { visibility: string } }>(READ, { id: record.id }, hub.token('NSCHOOL', ['PRACTITIONER']));
    expect(school.data?.record.visibility).toBe('FULL');
    const police = await hub.gql<{ record: unknown }>(READ, { id: record.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(police.data?.record).toBeNull();
  });

  it('a police manager may record POLICE_PROTECTION, and nothing else', async () => {
    const child = await createChild(hub);
    const police = hub.token('NPOL', ['MANAGER'], 'pol-manager');
    const ok = await hub.gql(RECORD, { input: { childId: child.id, kind: 'POLICE_PROTECTION', rationale: RATIONALE } }, police);
    expect(ok.errors).toBeUndefined();
    const no = await hub.gql(RECORD, { input: { childId: child.id, kind: 'SECTION_47_ENQUIRY', rationale: RATIONALE } }, police);
    expect(errorCode(no)).toBe('FORBIDDEN');
  });

  it.each([
    ['NCSC', 'PRACTITIONER'], ['NCSC', 'MASH_RESEARCHER'], ['NHEALTH', 'MANAGER'], ['NSCHOOL', 'MANAGER'], ['NCSC', 'DPO'],
  ] as const)('%s %s is FORBIDDEN, and nothing is written', async (agency, role) => {
    const child = await createChild(hub);
    const res = await hub.gql(RECORD, { input: { childId: child.id, kind: 'SECTION_47_ENQUIRY', rationale: RATIONALE } }, hub.token(agency, [role]));
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await hub.sql(`SELECT id FROM lawful_basis WHERE child_id = $1`, [child.id])).toHaveLength(0);
  });

  it.each([
    ['short rationale', { rationale: 'Concerns raised' }, 'input.rationale'],
    ['end before start', { startsAt: '2025-02-01T00:00:00Z', endsAt: '2025-01-01T00:00:00Z' }, 'input.endsAt'],
    ['unknown recipient', { recipientAgencyCodes: ['NOPE'] }, 'input.recipientAgencyCodes'],
  ])('%s is BAD_USER_INPUT on %s', async (_name, overrides, field) => {
    const child = await createChild(hub);
    const res = await hub.gql(RECORD, { input: { childId: child.id, kind: 'SECTION_47_ENQUIRY', rationale: RATIONALE, ...overrides } }, manager());
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await hub.sql(`SELECT id FROM lawful_basis WHERE child_id = $1`, [child.id])).toHaveLength(0);
  });

  it('records and ends are audited with the basis id', async () => {
    const child = await createChild(hub);
    const res = await hub.gql<{ recordLawfulBasis: { id: string } }>(RECORD, { input: { childId: child.id, kind: 'LOOKED_AFTER', rationale: RATIONALE } }, manager());
    const id = res.data!.recordLawfulBasis.id;
    await hub.gql(END, { id, reason: 'Child returned home under s20 ending' }, manager());
    const rows = await hub.sql<{ action: string; grounds: unknown }>(`SELECT action, grounds FROM audit_event WHERE child_id = $1 ORDER BY seq`, [child.id]);
    expect(rows).toEqual([
      { action: 'LAWFUL_BASIS_RECORD', grounds: [{ kind: 'LAWFUL_BASIS', id }] },
      { action: 'LAWFUL_BASIS_END', grounds: [{ kind: 'LAWFUL_BASIS', id }] },
    ]);
  });

  it("a basis recorded against a merged duplicate's id lands on the survivor and opens its records", async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub);
    await hub.sql(`UPDATE child SET merged_into_id = $1 WHERE id = $2`, [survivor.id, duplicate.id]);
    const record = await createRecord(hub, { agencyId: county.health.id, childId: survivor.id }, { category: 'INJURY' });
    const res = await hub.gql<{ recordLawfulBasis: { id: string } }>(RECORD, { input: { childId: duplicate.id, kind: 'SECTION_47_ENQUIRY', rationale: RATIONALE } }, manager());
    expect(res.errors).toBeUndefined();
    expect(await hub.sql(`SELECT child_id FROM lawful_basis WHERE id = $1`, [res.data!.recordLawfulBasis.id])).toEqual([{ child_id: survivor.id }]);
    const read = await hub.gql<{ record: { visibility: string } }>(READ, { id: record.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(read.data?.record.visibility).toBe('FULL');
  });

  it('ending: a basis the caller may not see answers as missing; a role that never ends one is FORBIDDEN', async () => {
    const child = await createChild(hub);
    await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'INJURY' });
    const res = await hub.gql<{ recordLawfulBasis: { id: string } }>(
      RECORD, { input: { childId: child.id, kind: 'SIGNIFICANT_HARM', rationale: RATIONALE, recipientAgencyCodes: ['NHEALTH'] } }, manager());
    const id = res.data!.recordLawfulBasis.id;
    const absent = '00000000-0000-4000-8000-000000000000';
    const reason = 'Enquiry concluded: no further action';
    const police = hub.token('NPOL', ['MANAGER'], 'pol-manager');
    const unseen = await hub.gql(END, { id, reason }, police);
    expect(errorCode(unseen)).toBe('NOT_FOUND');
    expect(unseen.errors?.[0].message).toBe((await hub.gql(END, { id: absent, reason }, police)).errors?.[0].message);
    for (const token of [hub.token('NHEALTH', ['MANAGER']), hub.token('NCSC', ['PRACTITIONER'])]) {
      expect(errorCode(await hub.gql(END, { id, reason }, token))).toBe('FORBIDDEN');
      expect(errorCode(await hub.gql(END, { id: absent, reason }, token))).toBe('FORBIDDEN');
    }
    // A police manager who sees the basis (it names every partner) is told it is not theirs to end.
    const seen = await hub.gql<{ recordLawfulBasis: { id: string } }>(RECORD, { input: { childId: child.id, kind: 'SECTION_47_ENQUIRY', rationale: RATIONALE } }, manager());
    expect(errorCode(await hub.gql(END, { id: seen.data!.recordLawfulBasis.id, reason }, police))).toBe('FORBIDDEN');
    expect(await hub.sql(`SELECT id FROM lawful_basis WHERE child_id = $1 AND ended_at IS NOT NULL`, [child.id])).toHaveLength(0);
  });

  it('ending: a manager with authority for the kind still cannot end, by its id, a basis they cannot see', async () => {
    const child = await createChild(hub);
    // Police protection recorded by social care for the school alone: the police hold nothing on the
    // child and have no ground, so they cannot see the child's sharing arrangements.
    const res = await hub.gql<{ recordLawfulBasis: { id: string } }>(
      RECORD, { input: { childId: child.id, kind: 'POLICE_PROTECTION', rationale: RATIONALE, recipientAgencyCodes: ['NSCHOOL'] } }, manager());
    const id = res.data!.recordLawfulBasis.id;
    const reason = 'Child no longer in police protection';
    const police = hub.token('NPOL', ['MANAGER'], 'pol-manager-blind');
    const blind = await hub.gql(END, { id, reason }, police);
    expect(errorCode(blind)).toBe('NOT_FOUND');
    expect(blind.errors?.[0].message).toBe((await hub.gql(END, { id: '00000000-0000-4000-8000-000000000000', reason }, police)).errors?.[0].message);
    expect(await hub.sql(`SELECT ended_at FROM lawful_basis WHERE id = $1`, [id])).toEqual([{ ended_at: null }]);
    // Once the police hold a record about the child, they see its arrangements and may end it.
    await createRecord(hub, { agencyId: county.police.id, childId: child.id }, { category: 'POLICE_INCIDENT' });
    const ended = await hub.gql<{ endLawfulBasis: { active: boolean } }>(END, { id, reason }, police);
    expect(ended.errors).toBeUndefined();
    expect(ended.data?.endLawfulBasis.active).toBe(false);
  });
});
