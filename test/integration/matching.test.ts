import { Client } from 'pg';
import { createChild, createCounty, createLawfulBasis, nhsNumberFor, upnFor, type County } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { untilSomethingWaits } from '../support/lock-wait';
import { count, incident, submit } from './submit-support';

const QUEUE = `query Queue($first: Int, $after: String) {
  matchQueue(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id agencyCode sourceRef reason givenName familyName candidates { score child { id givenName } } } }
  }
}`;
const RESOLVE = `mutation Resolve($id: ID!, $childId: ID, $createNew: Boolean) {
  resolveMatch(id: $id, childId: $childId, createNew: $createNew) { childId filed { sourceRef status recordId childId version } }
}`;
const MERGE = `mutation Merge($survivorId: ID!, $duplicateId: ID!, $reason: String!) {
  mergeChildren(survivorId: $survivorId, duplicateId: $duplicateId, reason: $reason) { survivorId duplicateId recordsMoved }
}`;

interface QueueNode { id: string; sourceRef: string; reason: string; candidates: Array<{ score: number; child: { id: string } | null }> }

/** A record about a child described only by demographics (no identifiers). */
function described(sourceRef: string, child: Record<string, unknown>): Record<string, unknown> {
  const base = incident(sourceRef, '');
  return { ...base, child };
}

describe('identity matching', () => {
  let hub: Hub;
  let county: County;
  let policeFeed: string;
  let researcher: string;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    policeFeed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
    researcher = hub.token('NCSC', ['MASH_RESEARCHER'], 'mash-researcher');
  });
  afterAll(() => hub.stop());

  it('links on an exact NHS number, UPN or local id, and learns the identifiers it did not hold', async () => {
    const byNhs = await createChild(hub, { nhsNumber: nhsNumberFor(11), givenName: 'Nora', familyName: 'Exactly' });
    const byUpn = await createChild(hub, { nhsNumber: null, upn: upnFor(12), givenName: 'Umar', familyName: 'Pupil' });
    const out = await submit(hub, policeFeed, [
      described('EX-NHS', { nhsNumber: byNhs.nhsNumber, givenName: 'Norah', familyName: 'Exact', localId: 'RMS-P-1' }),
      described('EX-UPN', { upn: byUpn.upn, nhsNumber: nhsNumberFor(13) }),
    ]);
    expect(out.results.map((r) => [r.status, r.childId])).toEqual([['CREATED', byNhs.id], ['CREATED', byUpn.id]]);
    const [learnt] = await hub.sql<{ nhs_number: string }>(`SELECT nhs_number FROM child WHERE id = $1`, [byUpn.id]);
    expect(learnt.nhs_number).toBe(nhsNumberFor(13));
    const byLocal = await submit(hub, policeFeed, [described('EX-LOCAL', { localId: 'RMS-P-1' })]);
    expect(byLocal.results[0]).toMatchObject({ status: 'CREATED', childId: byNhs.id });
  });

  it('parks identifiers that point at different children as a conflict', async () => {
    const a = await createChild(hub, { nhsNumber: nhsNumberFor(21) });
    const b = await createChild(hub, { nhsNumber: null, upn: upnFor(22) });
    const [result] = (await submit(hub, policeFeed, [described('CONFLICT-1', { nhsNumber: a.nhsNumber, upn: b.upn })])).results;
    expect(result.status).toBe('PENDING_MATCH');
    const [entry] = await hub.sql<{ reason: string }>(`SELECT reason FROM match_queue WHERE id = $1`, [result.matchId]);
    expect(entry.reason).toBe('CONFLICT');
  });

  it('links a confident scored match despite a misspelt name', async () => {
    const child = await createChild(hub, { nhsNumber: null, givenName: 'Jonathan', familyName: 'Quillerby', dateOfBirth: '2011-09-09', gender: 'MALE', postcode: 'NT4 7QX' });
    const [result] = (await submit(hub, policeFeed, [described('FUZZY-1', { givenName: 'Jonathon', familyName: 'Quillerby', dateOfBirth: '2011-09-09', gender: 'MALE', postcode: 'nt47qx' })])).results;
    expect(result).toMatchObject({ status: 'CREATED', childId: child.id });
  });

  it.each<[string, string, 'FEMALE' | 'MALE']>([
    ['Zoë', 'Brontë', 'FEMALE'],
    ['Jörg', 'Süß', 'MALE'],
    ['Łucja', 'Ørsted-Nagy', 'FEMALE'],
  ])('links %s %s, stored with its accents and special letters, when the same child is described again', async (givenName, familyName, gender) => {
    const dateOfBirth = '2012-05-06';
    const child = await createChild(hub, { nhsNumber: null, givenName, familyName, dateOfBirth, gender, postcode: 'NT5 5AA' });
    const before = await count(hub, 'child');
    const [result] = (await submit(hub, policeFeed, [described(`ACCENT-${familyName}`, { givenName, familyName, dateOfBirth, gender, postcode: 'NT5 5AA' })])).results;
    expect(result).toMatchObject({ status: 'CREATED', childId: child.id });
    expect(await count(hub, 'child')).toBe(before);
  });

  it('creates a child when nobody resembles a fully described one', async () => {
    const before = await count(hub, 'child');
    const [result] = (await submit(hub, policeFeed, [described('NEWCHILD-1', { givenName: 'Xanthe', familyName: 'Oddlington', dateOfBirth: '2016-02-02', gender: 'FEMALE' })])).results;
    expect(result.status).toBe('CREATED');
    expect(await count(hub, 'child')).toBe(before + 1);
  });

  it('parks an ambiguous match; MASH staff see candidates, resolve it, and the parked records are filed', async () => {
    const twinA = await createChild(hub, { nhsNumber: null, givenName: 'Amelia', familyName: 'Hartwellby', dateOfBirth: '2012-04-04', postcode: 'NT2 1AA' });
    const twinB = await createChild(hub, { nhsNumber: null, givenName: 'Amelia', familyName: 'Hartwellby', dateOfBirth: '2012-04-04', postcode: 'NT3 1AA' });
    const claim = { givenName: 'Amelia', familyName: 'Hartwellby', dateOfBirth: '2012-04-04', gender: 'FEMALE', localId: 'RMS-AMB-1' };
    const amb1 = described('AMB-1', claim);
    const out = await submit(hub, policeFeed, [amb1, described('AMB-2', claim)]);
    expect(out.results.map((r) => r.status)).toEqual(['PENDING_MATCH', 'PENDING_MATCH']);
    expect(await hub.sql(`SELECT 1 FROM shared_record WHERE source_ref LIKE 'AMB-%'`)).toHaveLength(0);
    // A retry of parked items changes nothing.
    const queuedBefore = await hub.sql(`SELECT id, content_hash, submitted_at FROM match_queue ORDER BY id`);
    const again = await submit(hub, policeFeed, [amb1]);
    expect(await hub.sql(`SELECT id, content_hash, submitted_at FROM match_queue ORDER BY id`)).toEqual(queuedBefore);
    expect(again.results[0]).toMatchObject({ status: 'PENDING_MATCH', matchId: out.results[0].matchId });

    const forbiddenQueue = await hub.gql(QUEUE, {}, policeFeed);
    expect(errorCode(forbiddenQueue)).toBe('FORBIDDEN');
    const queue = await hub.gql<{ matchQueue: { edges: Array<{ node: QueueNode }> } }>(QUEUE, { first: 50 }, researcher);
    expect(queue.errors).toBeUndefined();
    const node = queue.data?.matchQueue.edges.map((e) => e.node).find((n) => n.id === out.results[0].matchId);
    expect(node?.reason).toBe('AMBIGUOUS');
    expect(node?.candidates.map((c) => c.child?.id).sort()).toEqual([twinA.id, twinB.id].sort());

    const resolved = await hub.gql<{ resolveMatch: { childId: string; filed: Array<{ sourceRef: string; status: string; childId: string }> } }>(
      RESOLVE, { id: node?.id, childId: twinB.id }, researcher,
    );
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data?.resolveMatch.childId).toBe(twinB.id);
    // Social care's researcher files police items without learning the police system's references.
    expect(resolved.data?.resolveMatch.filed.map((f) => [f.sourceRef, f.status, f.childId])).toEqual([[null, 'CREATED', twinB.id], [null, 'CREATED', twinB.id]]);
    const heads = await hub.sql<{ child_id: string }>(`SELECT child_id FROM shared_record WHERE source_ref LIKE 'AMB-%'`);
    expect(heads.map((h) => h.child_id)).toEqual([twinB.id, twinB.id]);
    expect(await hub.sql(`SELECT 1 FROM match_queue WHERE source_ref LIKE 'AMB-%' AND status = 'OPEN'`)).toHaveLength(0);
    // The resolution taught the hub this agency's local id: the next record links directly.
    const [next] = (await submit(hub, policeFeed, [described('AMB-3', { localId: 'RMS-AMB-1' })])).results;
    expect(next).toMatchObject({ status: 'CREATED', childId: twinB.id });
    const [retried] = (await submit(hub, policeFeed, [amb1])).results;
    expect(retried.status).toBe('UNCHANGED');
  });

  it('shows a candidate merged since it was suggested as its survivor, shaped by the survivor\'s shielding', async () => {
    const claim = { givenName: 'Perran', familyName: 'Stalewood', dateOfBirth: '2011-05-05', gender: 'MALE' as const };
    const duplicate = await createChild(hub, { nhsNumber: null, ...claim, postcode: 'NT2 2AA' });
    const other = await createChild(hub, { nhsNumber: null, ...claim, postcode: 'NT3 3AA' });
    const [parked] = (await submit(hub, policeFeed, [described('STALE-1', claim)])).results;
    expect(parked.status).toBe('PENDING_MATCH');
    // The suggested duplicate is then merged into a shielded child (as mergeChildren leaves it).
    const shielded = await createChild(hub, { nhsNumber: null, ...claim, shielded: true });
    await hub.sql(`UPDATE child SET merged_into_id = $1 WHERE id = $2`, [shielded.id, duplicate.id]);
    const CANDIDATES = `query { matchQueue(first: 50) { edges { node { id candidates { score child { id detailsWithheld dateOfBirth } } } } } }`;
    type Answer = { matchQueue: { edges: Array<{ node: { id: string; candidates: Array<{ score: number | null; child: { id: string; detailsWithheld: boolean; dateOfBirth: string | null } }> } }> } };
    const res = await hub.gql<Answer>(CANDIDATES, {}, researcher);
    expect(res.errors).toBeUndefined();
    const candidates = res.data!.matchQueue.edges.find((e) => e.node.id === parked.matchId)!.node.candidates;
    // Not the duplicate's own date of birth: the survivor's name, age and gender, and no score.
    expect(candidates).toContainEqual({ score: null, child: { id: shielded.id, detailsWithheld: true, dateOfBirth: null } });
    expect(candidates.map((c) => c.child.id)).not.toContain(duplicate.id);
    expect(candidates.map((c) => c.child.id)).toContain(other.id);
  });

  it('creates a new child from a parked item when MASH staff say it is nobody known', async () => {
    await createChild(hub, { nhsNumber: null, givenName: 'Corin', familyName: 'Velloway', dateOfBirth: '2010-10-10', postcode: 'NT5 1AA' });
    await createChild(hub, { nhsNumber: null, givenName: 'Corin', familyName: 'Velloway', dateOfBirth: '2010-10-10', postcode: 'NT6 1AA' });
    const [parked] = (await submit(hub, policeFeed, [described('NEW-1', { givenName: 'Corin', familyName: 'Velloway', dateOfBirth: '2010-10-10', gender: 'FEMALE' })])).results;
    expect(parked.status).toBe('PENDING_MATCH');
    const resolved = await hub.gql<{ resolveMatch: { childId: string; filed: Array<{ status: string; childId: string }> } }>(RESOLVE, { id: parked.matchId, createNew: true }, researcher);
    expect(resolved.errors).toBeUndefined();
    const childId = resolved.data?.resolveMatch.childId;
    // A child nobody has a ground for yet: the record filed is not one MASH staff may know of, so
    // its id and version are not given (the queue showed them its agency, category and date).
    expect(resolved.data?.resolveMatch.filed).toEqual([expect.objectContaining({ sourceRef: null, status: 'CREATED', childId, recordId: null, version: null })]);
    const [filedHead] = await hub.sql<{ version: number }>(`SELECT v.version FROM shared_record r JOIN record_version v ON v.record_id = r.id WHERE r.child_id = $1`, [childId]);
    expect(filedHead.version).toBe(1);
    expect(await hub.sql(`SELECT 1 FROM child WHERE id = $1 AND given_name = 'Corin'`, [childId])).toHaveLength(1);
  });

  it('merges a duplicate child keeping every record version and audit row', async () => {
    const survivor = await createChild(hub, { givenName: 'Mercy', familyName: 'Twofold' });
    const duplicate = await createChild(hub, { nhsNumber: null, upn: upnFor(31), givenName: 'Mercy', familyName: 'Two-fold' });
    const healthFeed = hub.token('NHEALTH', ['INTEGRATION'], 'nhealth-epr');
    await submit(hub, policeFeed, [described('MERGE-1', { childId: survivor.id })]);
    const dup = incident('MERGE-2', '', { child: { childId: duplicate.id } });
    await submit(hub, healthFeed, [dup]);
    await submit(hub, healthFeed, [{ ...dup, summary: 'Second version about the duplicate' }]);
    const versionsBefore = await hub.sql<{ record_id: string; version: number; content_hash: string }>(`SELECT record_id, version, content_hash FROM record_version ORDER BY 1, 2`);
    const auditBefore = await hub.sql<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_event ORDER BY seq`);

    const notManager = await hub.gql(MERGE, { survivorId: survivor.id, duplicateId: duplicate.id, reason: 'Same child, two records' }, researcher);
    expect(errorCode(notManager)).toBe('FORBIDDEN');
    const manager = hub.token('NCSC', ['MANAGER'], 'csc-manager');
    // A basis naming social care for the survivor: once merged, the moved record is one the manager may know of.
    await createLawfulBasis(hub, { childId: survivor.id, recordedByAgencyId: county.social.id }, { recipientAgencyCodes: ['NCSC'] });
    const merged = await hub.gql<{ mergeChildren: { recordsMoved: number } }>(MERGE, { survivorId: survivor.id, duplicateId: duplicate.id, reason: 'Same child: school and police spellings differ' }, manager);
    expect(merged.errors).toBeUndefined();
    expect(merged.data?.mergeChildren.recordsMoved).toBe(1);

    const versionsAfter = await hub.sql(`SELECT record_id, version, content_hash FROM record_version ORDER BY 1, 2`);
    expect(versionsAfter).toEqual(versionsBefore);
    const auditAfter = await hub.sql<{ seq: string; hash: string; action: string }>(`SELECT seq, hash, action FROM audit_event ORDER BY seq`);
    expect(auditAfter.slice(0, auditBefore.length).map((a) => [a.seq, a.hash])).toEqual(auditBefore.map((a) => [a.seq, a.hash]));
    expect(auditAfter.slice(auditBefore.length).filter((a) => a.action === 'CHILD_MERGE')).toHaveLength(2);
    const heads = await hub.sql<{ child_id: string }>(`SELECT DISTINCT child_id FROM shared_record WHERE source_ref IN ('MERGE-1', 'MERGE-2')`);
    expect(heads).toEqual([{ child_id: survivor.id }]);
    const [survivorRow] = await hub.sql<{ upn: string }>(`SELECT upn FROM child WHERE id = $1`, [survivor.id]);
    expect(survivorRow.upn).toBe(duplicate.upn);

    // The duplicate answers as the survivor; submissions naming it are filed on the survivor.
    const seen = await hub.gql<{ child: { id: string } | null }>(`query($id: ID!) { child(id: $id) { id } }`, { id: duplicate.id }, manager);
    expect(seen.data?.child?.id).toBe(survivor.id);
    const [later] = (await submit(hub, healthFeed, [described('MERGE-3', { childId: duplicate.id })])).results;
    expect(later.childId).toBe(survivor.id);
  });
  it('counts only the moved records the manager may know of, though every one moves', async () => {
    const survivor = await createChild(hub, { givenName: 'Tamsin', familyName: 'Countless' });
    const duplicate = await createChild(hub, { nhsNumber: null, givenName: 'Tamsin', familyName: 'Count-less' });
    await submit(hub, policeFeed, [described('UNCOUNTED-1', { childId: duplicate.id }), described('UNCOUNTED-2', { childId: duplicate.id })]);
    // No consent, basis, grant or open enquiry: to this manager the records do not exist.
    const merged = await hub.gql<{ mergeChildren: { recordsMoved: number } }>(
      MERGE, { survivorId: survivor.id, duplicateId: duplicate.id, reason: 'Same child: two spellings of the family name' }, hub.token('NCSC', ['MANAGER'], 'csc-manager'),
    );
    expect(merged.errors).toBeUndefined();
    expect(merged.data?.mergeChildren.recordsMoved).toBe(0);
    expect(await hub.sql(`SELECT child_id FROM shared_record WHERE source_ref IN ('UNCOUNTED-1', 'UNCOUNTED-2')`)).toEqual([{ child_id: survivor.id }, { child_id: survivor.id }]);
    // The trail keeps the true count, for the data protection officer.
    const [event] = await hub.sql<{ moved: number }>(`SELECT (query->>'recordsMoved')::int AS moved FROM audit_event WHERE action = 'CHILD_MERGE' AND child_id = $1`, [survivor.id]);
    expect(event.moved).toBe(2);
  });

  it('files a consent recorded while a merge of its child is under way on the survivor, not the duplicate', async () => {
    const survivor = await createChild(hub, { nhsNumber: null, givenName: 'Rowan', familyName: 'Mergewait' });
    const duplicate = await createChild(hub, { nhsNumber: null, givenName: 'Rowan', familyName: 'Merge-Wait' });
    const merger = new Client({ connectionString: hub.databaseUrl });
    await merger.connect();
    try {
      // A merge under way: both children locked as mergeChildren locks them, the duplicate not yet folded in.
      await merger.query('BEGIN');
      await merger.query('SELECT id FROM child WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[survivor.id, duplicate.id]]);
      const recording = hub.gql<{ recordConsent: { childId: string } }>(
        `mutation($input: ConsentInput!) { recordConsent(input: $input) { childId } }`,
        { input: { childId: duplicate.id, givenBy: 'PARENT', givenByName: 'Sam Parent', recipientAgencyCodes: ['NHEALTH'], purpose: 'Early help assessment', givenAt: new Date(Date.now() - 3600_000).toISOString(), expiresAt: null, evidence: 'Signed form' } },
        hub.token('NCSC', ['MASH_RESEARCHER'], 'front-door'),
      );
      // The merge finishes only once the consent's transaction waits on it, however slow the machine.
      await untilSomethingWaits(merger, 'the consent');
      await merger.query('UPDATE child SET merged_into_id = $1 WHERE id = $2', [survivor.id, duplicate.id]);
      await merger.query('COMMIT');
      const recorded = await recording;
      expect(recorded.errors).toBeUndefined();
      expect(recorded.data?.recordConsent.childId).toBe(survivor.id);
    } finally {
      await merger.end();
    }
  });
});
