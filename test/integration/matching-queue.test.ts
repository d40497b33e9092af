/**
 * The match queue is front-door work: only MASH staff see it, the sending system's own ids stay
 * with the sending agency, and every look at it is on the audit trail.
 */
import { createChild, createCounty, createLawfulBasis } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { incident, submit } from './submit-support';

const RESOLVE = `mutation Resolve($id: ID!, $childId: ID) { resolveMatch(id: $id, childId: $childId) { childId filed { sourceRef status } } }`;
const QUEUE = `query Queue { matchQueue(first: 50) { totalCount edges { node { id agencyCode sourceRef givenName familyName dateOfBirth } } } }`;

interface QueueNode { id: string; agencyCode: string; sourceRef: string | null; givenName: string | null; familyName: string | null }

describe('match queue: who sees it and what is recorded', () => {
  let hub: Hub;
  let parkedIds: string[];
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
    const feed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
    // A name alone, with nobody resembling it: too little to create a child, so it is parked.
    const out = await submit(hub, feed, [
      incident('QUEUE-1', '', { child: { givenName: 'Ottoline', familyName: 'Quaysworth' } }),
      incident('QUEUE-2', '', { child: { givenName: 'Peregrine', familyName: 'Wexcombe' } }),
    ]);
    parkedIds = out.results.map((r) => r.matchId as string);
    expect(out.results.map((r) => r.status)).toEqual(['PENDING_MATCH', 'PENDING_MATCH']);
  });
  afterAll(() => hub.stop());

  it.each([
    ['a police manager', 'NPOL', 'MANAGER'],
    ['a health manager', 'NHEALTH', 'MANAGER'],
    ['a practitioner', 'NCSC', 'PRACTITIONER'],
  ] as const)('is refused to %s, who is not front-door staff', async (_name, agency, role) => {
    const res = await hub.gql(QUEUE, {}, hub.token(agency, [role]));
    expect(errorCode(res)).toBe('FORBIDDEN');
  });

  it('shows MASH staff the demographics to match on, but another agency\'s sourceRef to nobody outside it', async () => {
    for (const token of [hub.token('NCSC', ['MASH_RESEARCHER']), hub.token('NCSC', ['MANAGER'])]) {
      const res = await hub.gql<{ matchQueue: { edges: Array<{ node: QueueNode }> } }>(QUEUE, {}, token);
      expect(res.errors).toBeUndefined();
      const nodes = (res.data?.matchQueue.edges.map((e) => e.node) ?? []).sort((a, b) => String(a.givenName).localeCompare(String(b.givenName)));
      expect(nodes.map((n) => [n.id, n.agencyCode, n.sourceRef, n.givenName])).toEqual([
        [parkedIds[0], 'NPOL', null, 'Ottoline'],
        [parkedIds[1], 'NPOL', null, 'Peregrine'],
      ]);
    }
    const police = await hub.gql<{ matchQueue: { edges: Array<{ node: QueueNode }> } }>(QUEUE, {}, hub.token('NPOL', ['MASH_RESEARCHER']));
    expect(police.data?.matchQueue.edges.map((e) => e.node.sourceRef).sort()).toEqual(['QUEUE-1', 'QUEUE-2']);
  });

  it('pages entries parked in the same instant without repeating one, and refuses a forged cursor', async () => {
    // Both entries were parked by one batch, so they share submitted_at to the microsecond.
    const PAGE = `query Page($after: String) { matchQueue(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const token = hub.token('NCSC', ['MASH_RESEARCHER']);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page += 1) {
      const res: { data?: { matchQueue: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } =
        await hub.gql(PAGE, { after }, token);
      seen.push(...(res.data?.matchQueue.edges.map((e) => e.node.id) ?? []));
      if (!res.data?.matchQueue.pageInfo.hasNextPage) break;
      after = res.data.matchQueue.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([...parkedIds].sort());
    const forged = await hub.gql(PAGE, { after: Buffer.from('["2026-01-01T00:00:00.000Z","not-an-id"]').toString('base64url') }, token);
    expect(errorCode(forged)).toBe('BAD_USER_INPUT');
    expect(forged.errors?.[0].extensions?.field).toBe('after');
  });

  it('audits every read of the queue as MATCH_QUEUE_VIEW with the entries shown', async () => {
    const res = await hub.gql(QUEUE, {}, hub.token('NCSC', ['MASH_RESEARCHER'], 'queue-reader'));
    expect(res.errors).toBeUndefined();
    const rows = await hub.sql<{ action: string; result_ids: string[] }>(
      `SELECT action, result_ids FROM audit_event WHERE actor_sub = 'queue-reader' AND action = 'MATCH_QUEUE_VIEW'`,
    );
    expect(rows).toHaveLength(1);
    expect([...rows[0].result_ids].sort()).toEqual([...parkedIds].sort());
  });

  it('files a resolved entry and its siblings in the same number of statements however many people submitted them', async () => {
    const parkFrom = async (subs: string[], givenName: string) => {
      const results = [];
      for (const [i, sub] of subs.entries()) {
        const item = incident(`SIBLING-${givenName}-${i}`, '', { child: { givenName, familyName: 'Siblingsworth' } });
        results.push(...(await submit(hub, hub.token('NPOL', ['PRACTITIONER'], sub), [item])).results);
      }
      expect(results.map((r) => r.status)).toEqual(subs.map(() => 'PENDING_MATCH'));
      return results[0].matchId as string;
    };
    const oneSubmitter = await parkFrom(['officer-a', 'officer-a', 'officer-a'], 'Solus');
    const threeSubmitters = await parkFrom(['officer-a', 'officer-b', 'officer-c'], 'Trias');
    const child = await createChild(hub);
    const researcher = hub.token('NCSC', ['MASH_RESEARCHER'], 'sibling-resolver');
    const statementsFor = async (id: string) => {
      hub.queries.reset();
      const res = await hub.gql<{ resolveMatch: { filed: unknown[] } }>(RESOLVE, { id, childId: child.id }, researcher);
      expect(res.errors).toBeUndefined();
      expect(res.data?.resolveMatch.filed).toHaveLength(3);
      return hub.queries.count;
    };
    expect(await statementsFor(threeSubmitters)).toBe(await statementsFor(oneSubmitter));
    // Each version keeps the person who submitted it as its author, not the resolver.
    const authors = await hub.sql<{ author_sub: string }>(
      `SELECT v.author_sub FROM record_version v JOIN shared_record r ON r.id = v.record_id WHERE r.source_ref LIKE 'SIBLING-Trias-%' ORDER BY r.source_ref`,
    );
    expect(authors.map((a) => a.author_sub)).toEqual(['officer-a', 'officer-b', 'officer-c']);
  });
  it('withholds a candidate\'s score while its shielding withholds the child, and shows it once there is a ground', async () => {
    const shielded = await createChild(hub, { givenName: 'Tamsin', familyName: 'Vellacott', shielded: true });
    // A school practitioner may not file on a shielded child they hold no ground for: the item is parked with her as candidate.
    const parked = await submit(hub, hub.token('NSCHOOL', ['PRACTITIONER'], 'school-dsl'), [incident('SHIELD-1', '', { child: { childId: shielded.id } })]);
    expect(parked.results[0].status).toBe('PENDING_MATCH');
    const CANDIDATES = `query { matchQueue(first: 50) { edges { node { id candidates { score child { id detailsWithheld dateOfBirth } } } } } }`;
    type Answer = { matchQueue: { edges: Array<{ node: { id: string; candidates: Array<{ score: number | null; child: { id: string; detailsWithheld: boolean; dateOfBirth: string | null } }> } }> } };
    const candidatesOf = async () => {
      const res = await hub.gql<Answer>(CANDIDATES, {}, hub.token('NCSC', ['MASH_RESEARCHER'], 'matcher'));
      expect(res.errors).toBeUndefined();
      return res.data!.matchQueue.edges.find((e) => e.node.id === parked.results[0].matchId)!.node.candidates;
    };
    expect(await candidatesOf()).toEqual([{ score: null, child: { id: shielded.id, detailsWithheld: true, dateOfBirth: null } }]);
    const social = await hub.sql<{ id: string }>(`SELECT id FROM agency WHERE code = 'NCSC'`);
    await createLawfulBasis(hub, { childId: shielded.id, recordedByAgencyId: social[0].id });
    const [candidate] = await candidatesOf();
    expect(candidate.child).toEqual({ id: shielded.id, detailsWithheld: false, dateOfBirth: shielded.dateOfBirth });
    expect(candidate.score).toEqual(expect.any(Number));
  });
  it('withholds a postcode sent as part of a refuge address from MASH staff other than the sender and social care managers', async () => {
    const refuge = await submit(hub, hub.token('NHEALTH', ['INTEGRATION'], 'nhs-feed'), [
      incident('REFUGE-1', '', { category: 'HEALTH_CONTACT', child: { givenName: 'Philippa', familyName: 'Quennell', postcode: 'NT9 9ZZ', address: '1 Safe Street', addressConfidential: true } }),
      incident('ORDINARY-1', '', { category: 'HEALTH_CONTACT', child: { givenName: 'Leontyne', familyName: 'Arbuthwaite', postcode: 'NT8 8YY' } }),
    ]);
    expect(refuge.results.map((r) => r.status)).toEqual(['PENDING_MATCH', 'PENDING_MATCH']);
    const POSTCODES = `query { matchQueue(first: 50) { edges { node { id sourceRef postcode } } } }`;
    const shownTo = async (agency: string, role: 'MASH_RESEARCHER' | 'MANAGER') => {
      const res = await hub.gql<{ matchQueue: { edges: Array<{ node: { id: string; sourceRef: string | null; postcode: string | null } }> } }>(POSTCODES, {}, hub.token(agency, [role]));
      expect(res.errors).toBeUndefined();
      const { sourceRef, postcode } = res.data!.matchQueue.edges.find((e) => e.node.id === refuge.results[0].matchId)!.node;
      return { sourceRef, postcode };
    };
    expect(await shownTo('NPOL', 'MASH_RESEARCHER')).toEqual({ sourceRef: null, postcode: null });
    expect(await shownTo('NCSC', 'MASH_RESEARCHER')).toEqual({ sourceRef: null, postcode: null });
    expect(await shownTo('NCSC', 'MANAGER')).toEqual({ sourceRef: null, postcode: 'NT9 9ZZ' });
    expect(await shownTo('NHEALTH', 'MASH_RESEARCHER')).toEqual({ sourceRef: 'REFUGE-1', postcode: 'NT9 9ZZ' });
    // An ordinary address's postcode is what MASH staff match on.
    const police = await hub.gql<{ matchQueue: { edges: Array<{ node: { id: string; postcode: string | null } }> } }>(POSTCODES, {}, hub.token('NPOL', ['MASH_RESEARCHER']));
    expect(police.data!.matchQueue.edges.find((e) => e.node.id === refuge.results[1].matchId)!.node.postcode).toBe('NT8 8YY');
  });
});
