/**
 * A child's local identifiers name the agencies that keep them, so another agency's says that
 * agency holds information about the child: shown as a flag would be, and to an integration
 * account never (policy mayShowLocalIdentifier).
 */
import { createChild, createCounty, createLawfulBasis, createRecord, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';

const CHILD = `query($id: ID!) { child(id: $id) { id detailsWithheld localIdentifiers { agencyCode localId } } }`;

interface Seen { id: string; detailsWithheld: boolean; localIdentifiers: Array<{ agencyCode: string; localId: string }> }

describe('Child.localIdentifiers', () => {
  let hub: Hub;
  let county: County;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const known = async (token: string, childId: string): Promise<string[]> => {
    const res = await hub.gql<{ child: Seen | null }>(CHILD, { id: childId }, token);
    expect(res.errors).toBeUndefined();
    return (res.data?.child?.localIdentifiers ?? []).map((l) => `${l.agencyCode}:${l.localId}`);
  };

  let serial = 0;
  /** A child known to police and health systems by ids of their own (RMS-n, EPR-n), with a health record. */
  const knownToPoliceAndHealth = async () => {
    const child = await createChild(hub);
    serial += 1;
    await hub.sql(`INSERT INTO child_identifier (child_id, agency_id, local_id) VALUES ($1, $2, $4), ($1, $3, $5)`,
      [child.id, county.police.id, county.health.id, `RMS-${serial}`, `EPR-${serial}`]);
    await createRecord(hub, { agencyId: county.health.id, childId: child.id });
    return child;
  };

  it('shows a practitioner with no ground for the child only their own agency\'s', async () => {
    const child = await knownToPoliceAndHealth();
    expect(await known(hub.token('NSCHOOL', ['PRACTITIONER']), child.id)).toEqual([]);
    expect(await known(hub.token('NPOL', ['PRACTITIONER']), child.id)).toEqual([`NPOL:RMS-${serial}`]);
  });

  it('shows every agency\'s to a practitioner with a ground for the child', async () => {
    const child = await knownToPoliceAndHealth();
    await createLawfulBasis(hub, { childId: child.id, recordedByAgencyId: county.social.id }, { recipientAgencyCodes: ['NSCHOOL'] });
    expect((await known(hub.token('NSCHOOL', ['PRACTITIONER']), child.id)).sort()).toEqual([`NHEALTH:EPR-${serial}`, `NPOL:RMS-${serial}`]);
  });

  it('shows an integration account only its own agency\'s, and a data protection officer all', async () => {
    const child = await knownToPoliceAndHealth();
    expect(await known(hub.token('NHEALTH', ['INTEGRATION'], 'nhs-feed'), child.id)).toEqual([`NHEALTH:EPR-${serial}`]);
    expect((await known(hub.token('NCSC', ['DPO']), child.id)).sort()).toEqual([`NHEALTH:EPR-${serial}`, `NPOL:RMS-${serial}`]);
  });
});
