import { EnquiryDerived1732251200000 } from '../../migrations/1732251200000-EnquiryDerived';
import { createChild, createCounty } from '../factories';
import { startHub, type Hub } from '../support/harness';

const REASON = 'No further action agreed; family signposted to universal services';

describe('enquiry facts derived rather than stored twice', () => {
  let hub: Hub;
  const researcher = () => hub.token('NCSC', ['MASH_RESEARCHER'], 'researcher-d');
  const manager = () => hub.token('NCSC', ['MANAGER'], 'manager-d');

  const open = async (childId: string): Promise<string> => {
    const res = await hub.gql<{ openEnquiry: { id: string } }>(`mutation($input: EnquiryInput!) { openEnquiry(input: $input) { id } }`, { input: {
      children: [{ id: childId }], referralSource: '3A', rating: 'AMBER', concern: 'GP concerned about repeated missed appointments',
      referrer: { professional: true, name: 'Dr Patel', role: 'GP' } } }, researcher());
    expect(res.errors).toBeUndefined();
    return res.data?.openEnquiry.id as string;
  };
  const decide = async (enquiryId: string) => {
    const res = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId, outcome: 'NO_FURTHER_ACTION', reliedOnRecordIds: [], rationale: 'What the partners hold, weighed together, sets the response the family needs now.',
      sharing: [{ recipient: 'NHEALTH', shared: false, reason: 'Nothing new to share with the GP at this stage' }] } }, manager());
    expect(res.errors).toBeUndefined();
  };
  const closeDirectly = (id: string) => hub.sql(
    `UPDATE enquiry SET status = 'CLOSED', closed_at = now(), closed_by_sub = 'manager-d', closed_by_agency_id = opened_by_agency_id, close_reason = $2
     WHERE id = $1`, [id, REASON]);

  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
  });
  afterAll(() => hub.stop());
  // 'c' for a CHECK, 't' for a constraint trigger.
  const closureRuleKind = async () =>
    (await hub.sql<{ contype: string }>(`SELECT contype FROM pg_constraint WHERE conname = 'enquiry_closed_after_decision'`)).map((r) => r.contype);

  it('the database still refuses to close an enquiry that has no decision, and closes one that has', async () => {
    const child = await createChild(hub);
    const undecided = await open(child.id);
    await expect(closeDirectly(undecided)).rejects.toThrow(/enquiry_closed_after_decision|closed without a decision/);
    const decided = await open((await createChild(hub)).id);
    await decide(decided);
    await closeDirectly(decided);
    const [row] = await hub.sql<{ status: string }>(`SELECT status FROM enquiry WHERE id = $1`, [decided]);
    expect(row.status).toBe('CLOSED');
  });

  it('reverting restores both columns filled from what they were derived from, and reapplying drops them again', async () => {
    const child = await createChild(hub);
    const first = await open(child.id);
    const second = await open(child.id);
    await decide(second);
    const migration = new EnquiryDerived1732251200000();
    const runner = hub.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const rows = await hub.sql<{ id: string; re_referral: boolean; decided_at: Date | null; decision_at: Date | null }>(
        `SELECT e.id, e.re_referral, e.decided_at, d.decided_at AS decision_at
         FROM enquiry e LEFT JOIN enquiry_decision d ON d.enquiry_id = e.id WHERE e.id = ANY($1::uuid[])`, [[first, second]]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(first)).toMatchObject({ re_referral: false, decided_at: null });
      expect(byId.get(second)?.re_referral).toBe(true);
      expect(byId.get(second)?.decided_at).toEqual(byId.get(second)?.decision_at);
      expect(byId.get(second)?.decided_at).not.toBeNull();
      expect(await closureRuleKind()).toEqual(['c']);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const columns = await hub.sql<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'enquiry' AND column_name IN ('re_referral', 'decided_at')`);
    expect(columns).toEqual([]);
    expect(await closureRuleKind()).toEqual(['t']);
    const res = await hub.gql<{ enquiry: { reReferral: boolean } }>(`query($id: ID!) { enquiry(id: $id) { reReferral } }`, { id: second }, researcher());
    expect(res.data?.enquiry.reReferral).toBe(true);
  });
});
