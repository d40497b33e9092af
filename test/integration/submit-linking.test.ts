/**
 * Filing a submission on an existing child gives the submitting agency a ground for that child,
 * so a person may only do it for a child they already see in full. A shielded child's details
 * must not be unlocked, nor its existence confirmed, by submitting a trivial record about it.
 */
import { createChild, createCounty, createLawfulBasis, createRecord, nhsNumberFor, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';
import { incident, submit } from './submit-support';

const CHILD = `query Child($id: ID!) { child(id: $id) { id detailsWithheld dateOfBirth nhsNumber address postcode } }`;
const RECORDS = `query Records($id: ID!) { child(id: $id) { records(purpose: { reason: "Checking what is held before a visit" }) { edges { node { id visibility } } } } }`;

interface ChildSeen { id: string; detailsWithheld: boolean; dateOfBirth: string | null; nhsNumber: string | null; address: string | null }

describe('submitRecords: filing on an existing child', () => {
  let hub: Hub;
  let county: County;
  let practitioner: string;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    practitioner = hub.token('NPOL', ['PRACTITIONER'], 'npol-officer');
  });
  afterAll(() => hub.stop());

  it('parks a practitioner\'s record naming a shielded child they have no ground for, and unlocks nothing', async () => {
    const refuge = await createChild(hub, { shielded: true, givenName: 'Shira', familyName: 'Hiddenfield' });
    await createRecord(hub, { agencyId: county.health.id, childId: refuge.id });

    const [byId] = (await submit(hub, practitioner, [incident('LINK-SHIELD-1', '', { child: { childId: refuge.id } })])).results;
    expect(byId).toMatchObject({ status: 'PENDING_MATCH', childId: null, recordId: null });
    expect(byId.matchId).not.toBeNull();

    const seen = await hub.gql<{ child: ChildSeen | null }>(CHILD, { id: refuge.id }, practitioner);
    expect(seen.data?.child).toMatchObject({ detailsWithheld: true, dateOfBirth: null, nhsNumber: null, address: null });
    const records = await hub.gql<{ child: { records: { edges: unknown[] } } | null }>(RECORDS, { id: refuge.id }, practitioner);
    expect(records.data?.child?.records.edges ?? []).toEqual([]);
    const filed = await hub.sql(`SELECT 1 FROM shared_record WHERE child_id = $1 AND agency_id = $2`, [refuge.id, county.police.id]);
    expect(filed).toHaveLength(0);
    // MASH staff see the child as the candidate, so they can confirm or refuse the link.
    const [entry] = await hub.sql<{ candidates: Array<{ childId: string }> }>(`SELECT candidates FROM match_queue WHERE id = $1`, [byId.matchId]);
    expect(entry.candidates.map((c) => c.childId)).toEqual([refuge.id]);
  });

  it('does not confirm a shielded child\'s NHS number to a practitioner: the answer is the same as for an unknown one', async () => {
    const refuge = await createChild(hub, { shielded: true, nhsNumber: nhsNumberFor(4242) });
    const out = await submit(hub, practitioner, [
      incident('LINK-NHS-KNOWN', '', { child: { nhsNumber: refuge.nhsNumber } }),
      incident('LINK-NHS-UNKNOWN', '', { child: { nhsNumber: nhsNumberFor(4343) } }),
    ]);
    expect(out.results.map((r) => [r.status, r.childId])).toEqual([['PENDING_MATCH', null], ['PENDING_MATCH', null]]);
    const [learnt] = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM child_identifier WHERE child_id = $1`, [refuge.id]);
    expect(Number(learnt.n)).toBe(0);
  });

  it('does not confirm a shielded child\'s date of birth: right and wrong guesses answer alike, and make no child', async () => {
    const refuge = await createChild(hub, { shielded: true, nhsNumber: null, givenName: 'Marisol', familyName: 'Quenby', dateOfBirth: '2013-04-05', gender: 'FEMALE' });
    const before = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM child`);
    const guess = (sourceRef: string, dateOfBirth: string, nhsNumber?: string) =>
      incident(sourceRef, '', { child: { givenName: 'Marisol', familyName: 'Quenby', gender: 'FEMALE', dateOfBirth, ...(nhsNumber ? { nhsNumber } : {}) } });
    const out = await submit(hub, practitioner, [
      guess('GUESS-RIGHT', '2013-04-05'), guess('GUESS-WRONG', '2011-01-01'), guess('GUESS-NHS', '2009-09-09', nhsNumberFor(5151)),
    ]);
    expect(out.results.map((r) => [r.status, r.childId])).toEqual([['PENDING_MATCH', null], ['PENDING_MATCH', null], ['PENDING_MATCH', null]]);
    expect(await hub.sql(`SELECT count(*) AS n FROM child`)).toEqual(before);
    // Front-door staff see who each might be, and create the child where it is nobody known.
    const queue = await hub.sql<{ source_ref: string; reason: string }>(`SELECT source_ref, reason FROM match_queue WHERE source_ref LIKE 'GUESS-%' ORDER BY source_ref`);
    expect(queue).toEqual([{ source_ref: 'GUESS-NHS', reason: 'UNCONFIRMED' }, { source_ref: 'GUESS-RIGHT', reason: 'WEAK' }, { source_ref: 'GUESS-WRONG', reason: 'UNCONFIRMED' }]);
    // The right guess was parked against the shielded child, for front-door staff to confirm.
    const [right] = await hub.sql<{ candidates: Array<{ childId: string }> }>(`SELECT candidates FROM match_queue WHERE source_ref = 'GUESS-RIGHT'`);
    expect(right.candidates.map((c) => c.childId)).toEqual([refuge.id]);
  });

  it('creates a child from an integration feed\'s full description of someone unknown, as the agency\'s system of record', async () => {
    const [result] = (await submit(hub, hub.token('NPOL', ['INTEGRATION'], 'npol-rms'), [
      incident('FEED-NEW-1', '', { child: { givenName: 'Ottilie', familyName: 'Brackwater', gender: 'FEMALE', dateOfBirth: '2016-06-16' } }),
    ])).results;
    expect(result.status).toBe('CREATED');
    expect(result.childId).toEqual(expect.any(String));
  });

  it('files a practitioner\'s record on a child they see in full: not shielded, or shielded with a ground', async () => {
    const plain = await createChild(hub);
    const covered = await createChild(hub, { shielded: true });
    await createLawfulBasis(hub, { childId: covered.id, recordedByAgencyId: county.social.id }, { recipientAgencyCodes: ['NPOL'] });
    const out = await submit(hub, practitioner, [
      incident('LINK-PLAIN-1', '', { child: { childId: plain.id } }),
      incident('LINK-COVERED-1', '', { child: { childId: covered.id } }),
    ]);
    expect(out.results.map((r) => [r.status, r.childId])).toEqual([['CREATED', plain.id], ['CREATED', covered.id]]);
  });

  it('files an integration feed\'s record on any child it identifies, shielded or not', async () => {
    const refuge = await createChild(hub, { shielded: true });
    const feed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
    const [result] = (await submit(hub, feed, [incident('LINK-FEED-1', '', { child: { nhsNumber: refuge.nhsNumber } })])).results;
    expect(result).toMatchObject({ status: 'CREATED', childId: refuge.id });
  });
});
