import { createChild, createCounty, createLawfulBasis, createRecord, type AgencyRow } from '../factories';
import { startHub, type Hub } from '../support/harness';

const CHRONOLOGY = `query($id: ID!) { child(id: $id) { chronology(purpose: { reason: "Reviewing the child's history" }, first: 100) {
  edges { node { kind summary } } } } }`;
type Chronology = { child: { chronology: { edges: Array<{ node: { kind: string; summary: string } }> } } | null };

/** Who sees the front-door steps of a child's chronology: those who may know records exist, and no one else. */
describe('front door: who sees a child\'s front-door history', () => {
  let hub: Hub;
  let county: Record<'police' | 'health' | 'school' | 'social', AgencyRow>;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-x');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-x');
  const health = () => hub.token('NHEALTH', ['PRACTITIONER'], 'health-x');

  const steps = async (childId: string, token: string): Promise<string[]> => {
    const res = await hub.gql<Chronology>(CHRONOLOGY, { id: childId }, token);
    expect(res.errors).toBeUndefined();
    return (res.data?.child?.chronology.edges ?? []).map((e) => e.node.kind).filter((kind) => kind !== 'RECORD');
  };

  /** An enquiry about the child, research asked of health and answered with one health record. */
  const frontDoorCase = async (childId: string): Promise<string> => {
    const record = await createRecord(hub, { agencyId: county.health.id, childId }, { category: 'HEALTH_CONTACT', sensitivity: 'RESTRICTED' });
    const opened = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ id: childId }], referralSource: '3A', rating: 'AMBER', concern: 'Health visitor worried about bruising seen at a home visit',
      referrer: { professional: true, name: 'Health visitor' } } }, researcher());
    expect(opened.errors).toBeUndefined();
    const enquiryId = opened.data?.openEnquiry.id as string;
    const asked = await hub.gql<{ requestResearch: Array<{ id: string }> }>(
      `mutation($input: ResearchRequestInput!) { requestResearch(input: $input) { id } }`, { input: { enquiryId, childId, agencyCodes: ['NHEALTH'] } }, researcher());
    expect(asked.errors).toBeUndefined();
    const answered = await hub.gql(`mutation($id: ID!, $input: ResearchResponseInput!) { respondToResearch(id: $id, input: $input) { id } }`,
      { id: asked.data?.requestResearch[0].id, input: { recordIds: [record.id], note: 'Seen by the health visitor twice this month' } }, health());
    expect(answered.errors).toBeUndefined();
    return enquiryId;
  };
  /** Decided (no further action) and closed by a manager, so no enquiry about the child is open any more. */
  const close = async (enquiryId: string): Promise<void> => {
    const decided = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId, outcome: 'NO_FURTHER_ACTION', reliedOnRecordIds: [], rationale: 'The health visit explained the bruising; no further action is needed here.',
      sharing: [{ recipient: 'NHEALTH', shared: false, reason: 'Nothing new to share with health' }] } }, manager());
    expect(decided.errors).toBeUndefined();
    const closed = await hub.gql(`mutation($id: ID!) { closeEnquiry(id: $id, reason: "No further action agreed with the health visitor") { id } }`, { id: enquiryId }, manager());
    expect(closed.errors).toBeUndefined();
  };

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('MASH staff see the steps while an enquiry about the child is open', async () => {
    const child = await createChild(hub);
    await frontDoorCase(child.id);
    expect(await steps(child.id, researcher())).toEqual(expect.arrayContaining(['ENQUIRY', 'RESEARCH_REQUESTED', 'RESEARCH_ANSWERED']));
  });

  it('a DPO never sees a front-door step, not even that research was answered with records', async () => {
    const child = await createChild(hub);
    await frontDoorCase(child.id);
    const res = await hub.gql<Chronology>(CHRONOLOGY, { id: child.id }, hub.token('NCSC', ['DPO'], 'dpo-x'));
    expect(res.errors).toBeUndefined();
    const entries = res.data?.child?.chronology.edges.map((e) => e.node) ?? [];
    expect(entries.filter((e) => e.kind !== 'RECORD')).toEqual([]);
    expect(JSON.stringify(entries)).not.toMatch(/record\(s\)|Research/);
  });

  it("an integration account sees its agency's records but no front-door step", async () => {
    const child = await createChild(hub);
    await frontDoorCase(child.id);
    expect(await steps(child.id, hub.token('NHEALTH', ['INTEGRATION'], 'health-feed-x'))).toEqual([]);
  });

  it("a research answer's note reaches MASH staff and the answering agency, no other partner", async () => {
    const child = await createChild(hub);
    const enquiryId = await frontDoorCase(child.id);
    const NOTES = `query($filter: ResearchRequestFilter) { researchRequests(filter: $filter) { edges { node { agency { code } note } } } }`;
    type Notes = { researchRequests: { edges: Array<{ node: { agency: { code: string }; note: string | null } }> } };
    // Returns the notes, or the error code when the request is refused, so a refusal and an empty answer differ.
    const notesFor = async (token: string): Promise<Array<string | null> | string> => {
      const res = await hub.gql<Notes>(NOTES, { filter: { enquiryId } }, token);
      if (res.errors) return res.errors[0].extensions?.code ?? 'ERROR';
      return res.data!.researchRequests.edges.map((e) => e.node.note);
    };
    const note = 'Seen by the health visitor twice this month';
    expect(await notesFor(researcher())).toEqual([note]);
    expect(await notesFor(hub.token('NPOL', ['MASH_RESEARCHER'], 'police-mash-x'))).toEqual([note]);
    expect(await notesFor(health())).toEqual([note]);
    expect(await notesFor(hub.token('NSCHOOL', ['PRACTITIONER'], 'school-x'))).toEqual([]);
    expect(await notesFor(hub.token('NPOL', ['MANAGER'], 'police-manager-x'))).toEqual([]);
    expect(await notesFor(hub.token('NCSC', ['DPO'], 'dpo-x'))).toBe('FORBIDDEN');
  });

  it('MASH staff with no open enquiry and no ground see no step of a shielded child', async () => {
    const child = await createChild(hub, { shielded: true });
    await close(await frontDoorCase(child.id));
    expect(await steps(child.id, researcher())).toEqual([]);
    expect(await steps(child.id, manager())).toEqual([]);
  });

  it('a ground for the child shows the steps again, to MASH staff and partners alike', async () => {
    const child = await createChild(hub, { shielded: true });
    await close(await frontDoorCase(child.id));
    await createLawfulBasis(hub, { childId: child.id, recordedByAgencyId: county.social.id });
    expect(await steps(child.id, manager())).toEqual(expect.arrayContaining(['ENQUIRY', 'RESEARCH_ANSWERED', 'LAWFUL_BASIS']));
    expect(await steps(child.id, hub.token('NSCHOOL', ['PRACTITIONER'], 'school-x'))).toEqual(expect.arrayContaining(['ENQUIRY', 'LAWFUL_BASIS']));
  });
});
