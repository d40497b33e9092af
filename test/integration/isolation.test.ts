/**
 * Per-request isolation: DataLoaders (and anything they cache) are made for one request, so two
 * requests running at the same moment from different agencies never see each other's facts.
 * "It may be dangerous to use one cache across many users" (graphql/dataloader README).
 */
import { createChild, createConsent, createCounty, createRecord } from '../factories';
import { startHub, type Hub } from '../support/harness';

const PURPOSE = '{ reason: "Concurrent safeguarding reads under test" }';
const ITERATIONS = 30;

interface Answer {
  child: {
    address: string | null;
    records: { totalCount: number; edges: Array<{ node: { id: string; visibility: string; summary: string | null; grounds: string[] } }> };
  } | null;
  health: { summary: string | null } | null;
  school: { summary: string | null } | null;
}

describe('isolation: concurrent requests from different agencies', () => {
  let hub: Hub;
  let childId: string;
  let healthRecordId: string;
  let schoolRecordId: string;
  let police: string;
  let school: string;

  beforeAll(async () => {
    hub = await startHub();
    const county = await createCounty(hub);
    // A refuge address the police recorded: only the police (and social care managers) may see it.
    const child = await createChild(hub, { address: '1 Refuge Row', addressConfidential: true, addressRecordedByAgencyId: county.police.id });
    childId = child.id;
    healthRecordId = (await createRecord(hub, { agencyId: county.health.id, childId }, { category: 'HEALTH_CONTACT', summary: 'Health visitor contact' })).id;
    schoolRecordId = (await createRecord(hub, { agencyId: county.school.id, childId }, { category: 'ATTENDANCE', summary: 'Attendance below 80%' })).id;
    // The police hold consent for health contacts only; the school holds no consent, only its own record.
    await createConsent(hub, { childId, recordedByAgencyId: county.social.id, recipientAgencyCodes: ['NPOL'] }, { categories: ['HEALTH_CONTACT'] });
    police = hub.token('NPOL', ['PRACTITIONER'], 'officer-iso');
    school = hub.token('NSCHOOL', ['PRACTITIONER'], 'teacher-iso');
  });
  afterAll(() => hub.stop());

  const query = () => `{
    child(id: "${childId}") { address records(purpose: ${PURPOSE}) { totalCount edges { node { id visibility summary grounds } } } }
    health: record(id: "${healthRecordId}", purpose: ${PURPOSE}) { summary }
    school: record(id: "${schoolRecordId}", purpose: ${PURPOSE}) { summary }
  }`;

  const byId = (answer: Answer) => new Map(answer.child?.records.edges.map((e) => [e.node.id, e.node]) ?? []);

  function expectPoliceView(answer: Answer): void {
    const records = byId(answer);
    expect(answer.child?.address).toBe('1 Refuge Row');
    expect(records.get(healthRecordId)).toMatchObject({ visibility: 'FULL', summary: 'Health visitor contact', grounds: ['CONSENT'] });
    expect(records.get(schoolRecordId)).toMatchObject({ visibility: 'FLAG', summary: null, grounds: [] });
    expect(answer.health?.summary).toBe('Health visitor contact');
    expect(answer.school?.summary ?? null).toBeNull();
  }

  function expectSchoolView(answer: Answer): void {
    const records = byId(answer);
    expect(answer.child?.address).toBeNull();
    expect(records.get(schoolRecordId)).toMatchObject({ visibility: 'FULL', summary: 'Attendance below 80%', grounds: ['OWNER'] });
    expect(records.get(healthRecordId)).toMatchObject({ visibility: 'FLAG', summary: null, grounds: [] });
    expect(answer.school?.summary).toBe('Attendance below 80%');
    expect(answer.health?.summary ?? null).toBeNull();
  }

  it('each agency sees only its own view, request after request, side by side', async () => {
    for (let i = 0; i < ITERATIONS; i += 1) {
      // Interleave the two agencies so the server serves them in the same ticks.
      const tokens = i % 2 === 0 ? [police, school, police, school] : [school, police, school, police];
      const answers = await Promise.all(tokens.map((t) => hub.gql<Answer>(query(), {}, t)));
      answers.forEach((res, k) => {
        expect(res.errors).toBeUndefined();
        const answer = res.data as Answer;
        expect(answer.child?.records.totalCount).toBe(2);
        if (tokens[k] === police) expectPoliceView(answer);
        else expectSchoolView(answer);
      });
    }
  });

  it('the audit trail attributes each FULL read to the agency that was entitled to it', async () => {
    const rows = await hub.sql<{ actor_agency_code: string; record_id: string; outcome: string }>(
      "SELECT actor_agency_code, record_id, outcome FROM audit_event WHERE record_id IS NOT NULL AND outcome = 'FULL'",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.record_id).toBe(row.actor_agency_code === 'NPOL' ? healthRecordId : schoolRecordId);
    }
  });
});
