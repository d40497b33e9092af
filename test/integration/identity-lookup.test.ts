/**
 * The exact lookup behind matching: each id or identifier of a batch's claims names a child, and
 * a child merged as a duplicate answers as its survivor, with the survivor's identifiers (which
 * the matcher compares against the claim).
 */
import { lookupExact } from '../../src/modules/matching/identity-lookup';
import type { ChildClaim } from '../../src/modules/records/submit-validate';
import { createChild, createCounty, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';

describe('exact identity lookup', () => {
  let hub: Hub;
  let county: County;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const claim = (fields: Partial<ChildClaim>): ChildClaim =>
    ({ childId: null, nhsNumber: null, upn: null, localId: null, givenName: null, familyName: null, dateOfBirth: null, gender: null, postcode: null, address: null, addressConfidential: false, ...fields });

  it('answers for a child itself, and for a merged duplicate with its survivor and the survivor\'s identifiers', async () => {
    const survivor = await createChild(hub, { upn: 'A123456789012' });
    const duplicate = await createChild(hub);
    const other = await createChild(hub);
    await hub.sql(`INSERT INTO child_identifier (child_id, agency_id, local_id) VALUES ($1, $2, 'HLT-DUP-1')`, [duplicate.id, county.health.id]);
    await hub.sql(`UPDATE child SET merged_into_id = $1 WHERE id = $2`, [survivor.id, duplicate.id]);

    const index = await lookupExact(hub.dataSource.manager, county.health.id, [
      claim({ nhsNumber: duplicate.nhsNumber }),
      claim({ childId: duplicate.id }),
      claim({ localId: 'HLT-DUP-1' }),
      claim({ nhsNumber: other.nhsNumber }),
      claim({ upn: survivor.upn }),
    ]);
    const asSurvivor = { childId: survivor.id, nhsNumber: survivor.nhsNumber, upn: survivor.upn };
    expect(index.byNhs.get(duplicate.nhsNumber as string)).toEqual(asSurvivor);
    expect(index.byId.get(duplicate.id)).toEqual(asSurvivor);
    expect(index.byLocalId.get('HLT-DUP-1')).toEqual(asSurvivor);
    expect(index.byUpn.get(survivor.upn as string)).toEqual(asSurvivor);
    expect(index.byNhs.get(other.nhsNumber as string)).toEqual({ childId: other.id, nhsNumber: other.nhsNumber, upn: null });

    // Another agency's local numbering means nothing here.
    const police = await lookupExact(hub.dataSource.manager, county.police.id, [claim({ localId: 'HLT-DUP-1' })]);
    expect(police.byLocalId.size).toBe(0);
  });
});
