/**
 * Merging two records of one child must not lose what protects the child: a shielded child stays
 * shielded, and a refuge address stays confidential to the agency that recorded it.
 */
import { createChild, createCounty, createLawfulBasis, type County } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { incident, submit } from './submit-support';

const MERGE = `mutation Merge($survivorId: ID!, $duplicateId: ID!, $reason: String!) {
  mergeChildren(survivorId: $survivorId, duplicateId: $duplicateId, reason: $reason) { survivorId }
}`;
const CHILD = `query Child($id: ID!) { child(id: $id) { id detailsWithheld dateOfBirth address postcode addressWithheld } }`;

interface ChildSeen { id: string; detailsWithheld: boolean; dateOfBirth: string | null; address: string | null; postcode: string | null; addressWithheld: boolean }
interface ChildRow { shielded: boolean; address: string | null; postcode: string | null; address_confidential: boolean; address_recorded_by_agency_id: string | null }

describe('mergeChildren keeps shielding and confidential addresses', () => {
  let hub: Hub;
  let county: County;
  let manager: string;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    manager = hub.token('NCSC', ['MANAGER'], 'csc-manager');
  });
  afterAll(() => hub.stop());

  /**
   * Merges as the social care manager, who first gets a ground for both children (a basis naming
   * social care only): a shielded child is merged only by someone who sees it in full.
   */
  const merge = async (survivorId: string, duplicateId: string) => {
    for (const childId of [survivorId, duplicateId]) await createLawfulBasis(hub, { childId, recordedByAgencyId: county.social.id }, { recipientAgencyCodes: ['NCSC'] });
    const res = await hub.gql(MERGE, { survivorId, duplicateId, reason: 'Same child recorded twice by health and police' }, manager);
    expect(res.errors).toBeUndefined();
  };
  const row = async (id: string) => (await hub.sql<ChildRow>(
    `SELECT shielded, address, postcode, address_confidential, address_recorded_by_agency_id FROM child WHERE id = $1`, [id],
  ))[0];

  it('a shielded refuge child merged into an unshielded record stays shielded, its refuge address confidential', async () => {
    const survivor = await createChild(hub, { givenName: 'Rhea', familyName: 'Sanctuary', address: '1 Old Road, Northtown', postcode: 'NT9 9ZZ' });
    const refuge = await createChild(hub, {
      givenName: 'Rhea', familyName: 'Sanctuary', nhsNumber: null, shielded: true,
      address: 'Refuge, 7 Quiet Lane', postcode: 'NT5 5QQ', addressConfidential: true, addressRecordedByAgencyId: county.health.id,
    });
    await merge(survivor.id, refuge.id);

    expect(await row(survivor.id)).toEqual({
      shielded: true, address: 'Refuge, 7 Quiet Lane', postcode: 'NT5 5QQ', address_confidential: true, address_recorded_by_agency_id: county.health.id,
    });
    // Without a ground: name, age and gender only.
    const stranger = await hub.gql<{ child: ChildSeen | null }>(CHILD, { id: survivor.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(stranger.data?.child).toMatchObject({ detailsWithheld: true, dateOfBirth: null, address: null, postcode: null });
    // With a ground, police still never see the refuge address; the health agency that recorded it does.
    await createLawfulBasis(hub, { childId: survivor.id, recordedByAgencyId: county.social.id });
    const police = await hub.gql<{ child: ChildSeen | null }>(CHILD, { id: survivor.id }, hub.token('NPOL', ['PRACTITIONER']));
    expect(police.data?.child).toMatchObject({ detailsWithheld: false, address: null, postcode: null, addressWithheld: true });
    const health = await hub.gql<{ child: ChildSeen | null }>(CHILD, { id: survivor.id }, hub.token('NHEALTH', ['PRACTITIONER']));
    expect(health.data?.child).toMatchObject({ address: 'Refuge, 7 Quiet Lane', postcode: 'NT5 5QQ' });
  });

  it('keeps the survivor\'s own confidential address when both are confidential, and stays unshielded when neither is shielded', async () => {
    const survivor = await createChild(hub, {
      address: 'Refuge A', postcode: 'NT6 6AA', addressConfidential: true, addressRecordedByAgencyId: county.police.id,
    });
    const duplicate = await createChild(hub, {
      nhsNumber: null, address: 'Refuge B', postcode: 'NT7 7BB', addressConfidential: true, addressRecordedByAgencyId: county.health.id,
    });
    await merge(survivor.id, duplicate.id);
    expect(await row(survivor.id)).toEqual({
      shielded: false, address: 'Refuge A', postcode: 'NT6 6AA', address_confidential: true, address_recorded_by_agency_id: county.police.id,
    });
  });

  it('keeps the survivor\'s open address when the duplicate\'s is not confidential', async () => {
    const survivor = await createChild(hub, { address: '3 Open Street', postcode: 'NT8 8CC' });
    const duplicate = await createChild(hub, { nhsNumber: null, shielded: true, address: '4 Other Street', postcode: 'NT8 8DD' });
    await merge(survivor.id, duplicate.id);
    expect(await row(survivor.id)).toMatchObject({ shielded: true, address: '3 Open Street', address_confidential: false });
  });

  it('answers as absent to a manager who sees a shielded child by name, age and gender only, and moves nothing', async () => {
    const survivor = await createChild(hub, { givenName: 'Ash', familyName: 'Unseen' });
    const shielded = await createChild(hub, { givenName: 'Ash', familyName: 'Unseen', shielded: true, upn: null });
    const [record] = (await submit(hub, hub.token('NPOL', ['INTEGRATION'], 'npol-rms'), [incident('SHIELDED-MERGE-1', '', { child: { childId: shielded.id } })])).results;
    const nobody = '7b0c7a51-1f8e-4d5e-9a51-0f3c2e1d4b6a';
    const reason = 'Same child recorded twice by health and police';
    for (const [survivorId, duplicateId, absentAs] of [[survivor.id, shielded.id, { survivorId: survivor.id, duplicateId: nobody }], [shielded.id, survivor.id, { survivorId: nobody, duplicateId: survivor.id }]] as const) {
      const res = await hub.gql(MERGE, { survivorId, duplicateId, reason }, manager);
      expect(errorCode(res)).toBe('NOT_FOUND');
      // The same answer as for a child that does not exist, and nothing said of its identifiers.
      const absent = await hub.gql(MERGE, { ...absentAs, reason }, manager);
      expect(res.errors?.[0].message).toBe(absent.errors?.[0].message);
      expect(res.errors?.[0].message).not.toMatch(/NHS|UPN/);
    }
    expect(await hub.sql(`SELECT child_id FROM shared_record WHERE id = $1`, [record.recordId])).toEqual([{ child_id: shielded.id }]);
    expect(await hub.sql(`SELECT merged_into_id FROM child WHERE id = $1`, [shielded.id])).toEqual([{ merged_into_id: null }]);
  });

  it('files a parked item resolved to a merged duplicate on its survivor', async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub, { nhsNumber: null });
    await merge(survivor.id, duplicate.id);
    const feed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
    const [parked] = (await submit(hub, feed, [incident('MERGED-RESOLVE-1', '', { child: { givenName: 'Zebedee', familyName: 'Unfindable' } })])).results;
    expect(parked.status).toBe('PENDING_MATCH');
    const res = await hub.gql<{ resolveMatch: { childId: string } }>(
      `mutation($id: ID!, $childId: ID) { resolveMatch(id: $id, childId: $childId) { childId } }`,
      { id: parked.matchId, childId: duplicate.id }, hub.token('NCSC', ['MASH_RESEARCHER']),
    );
    expect(res.data?.resolveMatch.childId).toBe(survivor.id);
    const [head] = await hub.sql<{ child_id: string }>(`SELECT child_id FROM shared_record WHERE source_ref = 'MERGED-RESOLVE-1'`);
    expect(head.child_id).toBe(survivor.id);
  });
});
