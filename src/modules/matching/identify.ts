import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { hasCompleteDemographics, type ChildClaim } from '../records/submit-validate';
import { decideFuzzy, type CandidateChild, type ScoredCandidate } from './match-score';
import { lookupCandidates, lookupExact, matchName, type ExactHit, type ExactIndex } from './identity-lookup';

export type MatchReason = 'CONFLICT' | 'AMBIGUOUS' | 'WEAK' | 'INCOMPLETE' | 'UNCONFIRMED';

export type Identification =
  /** score: out of 100, as a queue candidate would show it (100 for an identifier or a new child). */
  | { readonly kind: 'LINKED'; readonly childId: string; readonly how: 'EXACT' | 'SCORED' | 'NEW'; readonly score: number }
  | { readonly kind: 'PENDING'; readonly reason: MatchReason; readonly candidates: readonly ScoredCandidate[] }
  /** Only for `exactOnly` requests: nothing certain found, so the caller keeps what it has. */
  | { readonly kind: 'UNKNOWN' }
  | { readonly kind: 'CHILD_NOT_FOUND' };

/** What the submitter may do about who its records are about (the access policy's ingest rules). */
export interface SubmitterRights {
  /**
   * Which of these existing children the submitter may have records filed on (mayLinkRecordToChild),
   * decided on the batch's own connection, in one batch for all of them.
   */
  mayLink(manager: EntityManager, childIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Whether an item about no child the hub holds makes a new one (mayCreateChildren); if not, it waits for front-door staff. */
  readonly createsChildren: boolean;
}

/**
 * Thrown before anything is written when a batch holding the identity lock only in shared mode
 * would change who is who (a new child, an NHS number or UPN learnt, an item parked): the caller
 * runs the batch again holding the lock exclusively.
 */
export class IdentityChangeNeedsExclusiveLock extends Error {
  constructor(what: string) {
    super(`the batch would ${what}, which needs the identity lock held exclusively`);
  }
}

export interface IdentifyRequest {
  readonly key: number;
  readonly claim: ChildClaim;
  /** An already filed record may move only on certain evidence: no scoring, no new child. */
  readonly exactOnly: boolean;
}

/**
 * Decides which child each claim is about, for a whole batch in a constant number of statements:
 * exact identifiers first, then scored demographics; creates the children nobody matches and
 * records any identifiers the hub learns (see docs/matching.md). Callers hold the identity lock.
 */
export async function identifyChildren(
  manager: EntityManager, agencyId: string, requests: readonly IdentifyRequest[], rights: SubmitterRights,
  /** SHARED: the caller holds the identity lock in shared mode and may only link to children as they are. */
  lockMode: 'SHARED' | 'EXCLUSIVE' = 'EXCLUSIVE',
): Promise<Map<number, Identification>> {
  const result = new Map<number, Identification>();
  const exact = await lookupExact(manager, agencyId, requests.map((r) => r.claim));
  const toScore: IdentifyRequest[] = [];
  for (const request of requests) {
    const decided = decideExact(request.claim, exact);
    if (decided) result.set(request.key, decided);
    else if (request.exactOnly) result.set(request.key, { kind: 'UNKNOWN' });
    else toScore.push(request);
  }

  const named = toScore.flatMap((r) => {
    const name = matchName(r.claim);
    return name ? [{ key: r.key, name }] : [];
  });
  const candidates = await lookupCandidates(manager, named);
  const unmatched: IdentifyRequest[] = [];
  for (const request of toScore) {
    const outcome = decideFuzzy(request.claim, candidates.get(request.key) ?? []);
    if (outcome.kind === 'LINK') {
      const score = outcome.candidates.find((c) => c.childId === outcome.childId)?.score ?? 0;
      result.set(request.key, { kind: 'LINKED', childId: outcome.childId, how: 'SCORED', score });
    }
    else if (outcome.kind === 'QUEUE') result.set(request.key, { kind: 'PENDING', reason: outcome.reason, candidates: outcome.candidates });
    else unmatched.push(request);
  }
  await withholdUnconfirmedLinks(manager, requests, result, rights);

  const newChildren = rights.createsChildren ? planNewChildren(unmatched, result) : parkUnconfirmed(unmatched, result);
  if (lockMode === 'SHARED' && newChildren.length > 0) throw new IdentityChangeNeedsExclusiveLock('create children');
  await insertChildren(manager, agencyId, newChildren);
  const links = requests.flatMap((r) => {
    const outcome = result.get(r.key);
    return outcome?.kind === 'LINKED' ? [{ claim: r.claim, childId: outcome.childId }] : [];
  });
  await recordLearntIdentifiers(manager, agencyId, links, newChildren, identifiersHeld(exact, candidates), lockMode, new Set(exact.byLocalId.keys()));
  return result;
}

/** The NHS number and UPN each child found by the lookups already holds. */
function identifiersHeld(exact: ExactIndex, candidates: ReadonlyMap<number, readonly CandidateChild[]>): Map<string, HeldIdentifiers> {
  const held = new Map<string, HeldIdentifiers>();
  for (const index of [exact.byId, exact.byNhs, exact.byUpn, exact.byLocalId]) {
    for (const hit of index.values()) held.set(hit.childId, { nhsNumber: hit.nhsNumber, upn: hit.upn });
  }
  for (const list of candidates.values()) for (const c of list) held.set(c.childId, { nhsNumber: c.nhsNumber, upn: c.upn });
  return held;
}

/**
 * A link to an existing child the submitter may not file on is not made: a new record waits in
 * the queue for front-door staff (reason WEAK: the submitter's word is not enough), a filed one
 * stays where it is. Either way the submitter learns nothing of the child, and no identifier it
 * sent is recorded against the child.
 */
async function withholdUnconfirmedLinks(
  manager: EntityManager, requests: readonly IdentifyRequest[], result: Map<number, Identification>, rights: SubmitterRights,
): Promise<void> {
  const linked = [...new Set([...result.values()].flatMap((r) => (r.kind === 'LINKED' ? [r.childId] : [])))];
  if (linked.length === 0) return;
  const permitted = await rights.mayLink(manager, linked);
  for (const request of requests) {
    const outcome = result.get(request.key);
    if (outcome?.kind !== 'LINKED' || permitted.has(outcome.childId)) continue;
    result.set(request.key, request.exactOnly ? { kind: 'UNKNOWN' } : { kind: 'PENDING', reason: 'WEAK', candidates: [{ childId: outcome.childId, score: outcome.score }] });
  }
}

/** The one child every identifier agrees on; a conflict when they point at different children. */
function decideExact(claim: ChildClaim, exact: ExactIndex): Identification | null {
  if (claim.childId && !exact.byId.has(claim.childId)) return { kind: 'CHILD_NOT_FOUND' };
  const hits: ExactHit[] = [];
  const add = (hit: ExactHit | undefined) => hit && hits.push(hit);
  if (claim.childId) add(exact.byId.get(claim.childId));
  if (claim.nhsNumber) add(exact.byNhs.get(claim.nhsNumber));
  if (claim.upn) add(exact.byUpn.get(claim.upn));
  if (claim.localId) add(exact.byLocalId.get(claim.localId));
  const ids = [...new Set(hits.map((h) => h.childId))];
  if (ids.length === 0) return null;
  const [hit] = hits;
  // A child already holding a different NHS number or UPN than the claim is someone else.
  const disagrees = (claim.nhsNumber && hit.nhsNumber && hit.nhsNumber !== claim.nhsNumber) || (claim.upn && hit.upn && hit.upn !== claim.upn);
  if (ids.length > 1 || disagrees) return { kind: 'PENDING', reason: 'CONFLICT', candidates: ids.map((childId) => ({ childId, score: 100 })) };
  return { kind: 'LINKED', childId: ids[0], how: 'EXACT', score: 100 };
}

/**
 * For a submitter who does not create children: an item about no child the hub holds waits for
 * front-door staff to say who it is (reason UNCONFIRMED), as an item whose match is withheld
 * does, so the answer never tells the two apart. Otherwise a description that matched a shielded
 * child (parked) and one that matched nobody (a new child) would answer differently, and guessed
 * dates of birth or NHS numbers could be tried until one was parked.
 */
function parkUnconfirmed(unmatched: readonly IdentifyRequest[], result: Map<number, Identification>): NewChild[] {
  for (const request of unmatched) {
    result.set(request.key, { kind: 'PENDING', reason: hasCompleteDemographics(request.claim) ? 'UNCONFIRMED' : 'INCOMPLETE', candidates: [] });
  }
  return [];
}

export interface NewChild {
  readonly id: string;
  readonly claim: ChildClaim;
}

/**
 * Unmatched claims with full demographics become new children. Claims in the same batch that
 * share an identifier, or the same name, date of birth and gender, are the same new child.
 */
function planNewChildren(unmatched: readonly IdentifyRequest[], result: Map<number, Identification>): NewChild[] {
  const byKey = new Map<string, NewChild>();
  const created: NewChild[] = [];
  const keysOf = (c: ChildClaim) => [
    c.nhsNumber && `nhs:${c.nhsNumber}`, c.upn && `upn:${c.upn}`, c.localId && `local:${c.localId}`,
    hasCompleteDemographics(c) && `person:${matchName(c)}|${c.dateOfBirth}|${c.gender}`,
  ].filter((k): k is string => typeof k === 'string');
  const compatible = (a: ChildClaim, b: ChildClaim) => (!a.nhsNumber || !b.nhsNumber || a.nhsNumber === b.nhsNumber) && (!a.upn || !b.upn || a.upn === b.upn);

  const ordered = [...unmatched].sort((a, b) => Number(hasCompleteDemographics(b.claim)) - Number(hasCompleteDemographics(a.claim)));
  for (const request of ordered) {
    const keys = keysOf(request.claim);
    const same = keys.map((k) => byKey.get(k)).find((c) => c !== undefined);
    if (same && !compatible(same.claim, request.claim)) {
      result.set(request.key, { kind: 'PENDING', reason: 'CONFLICT', candidates: [] });
      continue;
    }
    if (same) {
      result.set(request.key, { kind: 'LINKED', childId: same.id, how: 'NEW', score: 100 });
      for (const k of keys) if (!byKey.has(k)) byKey.set(k, same);
      continue;
    }
    if (!hasCompleteDemographics(request.claim)) {
      result.set(request.key, { kind: 'PENDING', reason: 'INCOMPLETE', candidates: [] });
      continue;
    }
    const child = { id: randomUUID(), claim: request.claim };
    created.push(child);
    for (const k of keys) byKey.set(k, child);
    result.set(request.key, { kind: 'LINKED', childId: child.id, how: 'NEW', score: 100 });
  }
  return created;
}

export async function insertChildren(manager: EntityManager, agencyId: string, children: readonly NewChild[]): Promise<void> {
  if (children.length === 0) return;
  const col = <T>(f: (c: ChildClaim) => T) => children.map((c) => f(c.claim));
  await manager.query(
    `INSERT INTO child (id, given_name, family_name, date_of_birth, gender, nhs_number, upn, address, postcode, address_confidential, address_recorded_by_agency_id)
     SELECT id, given_name, family_name, dob, gender, nhs, upn, address, postcode, confidential, CASE WHEN address IS NULL AND postcode IS NULL THEN NULL ELSE $11::uuid END
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[])
       AS t(id, given_name, family_name, dob, gender, nhs, upn, address, postcode, confidential)`,
    [children.map((c) => c.id), col((c) => c.givenName), col((c) => c.familyName), col((c) => c.dateOfBirth), col((c) => c.gender),
      col((c) => c.nhsNumber), col((c) => c.upn), col((c) => c.address), col((c) => c.postcode), col((c) => c.addressConfidential), agencyId],
  );
}

/**
 * What a linked claim teaches the hub: this agency's local id for the child, and an NHS number
 * or UPN the child did not have. Each identifier goes to one child only; the first claim wins.
 */
export interface HeldIdentifiers {
  readonly nhsNumber: string | null;
  readonly upn: string | null;
}

export async function recordLearntIdentifiers(
  manager: EntityManager, agencyId: string, links: ReadonlyArray<{ claim: ChildClaim; childId: string }>, created: readonly NewChild[],
  /** What the linked children are already known to hold: a child with an NHS number (or UPN) cannot learn another, so it is not sent. */
  held: ReadonlyMap<string, HeldIdentifiers> = new Map(),
  lockMode: 'SHARED' | 'EXCLUSIVE' = 'EXCLUSIVE',
  /** This agency's local ids already recorded: nothing to insert for them. */
  knownLocalIds: ReadonlySet<string> = new Set(),
): Promise<void> {
  const taken = new Set<string>(created.flatMap((c) => [c.claim.nhsNumber && `nhs:${c.claim.nhsNumber}`, c.claim.upn && `upn:${c.claim.upn}`].filter((k): k is string => Boolean(k))));
  const additions = new Map<string, { nhs: string | null; upn: string | null }>();
  const localIds = new Map<string, string>();
  const createdIds = new Set(created.map((c) => c.id));
  for (const { claim, childId } of links) {
    if (claim.localId && !knownLocalIds.has(claim.localId) && !localIds.has(claim.localId)) localIds.set(claim.localId, childId);
    if (createdIds.has(childId)) continue;
    const entry = additions.get(childId) ?? { nhs: null, upn: null };
    const has = held.get(childId);
    if (claim.nhsNumber && !entry.nhs && !has?.nhsNumber && !taken.has(`nhs:${claim.nhsNumber}`)) {
      entry.nhs = claim.nhsNumber;
      taken.add(`nhs:${claim.nhsNumber}`);
    }
    if (claim.upn && !entry.upn && !has?.upn && !taken.has(`upn:${claim.upn}`)) {
      entry.upn = claim.upn;
      taken.add(`upn:${claim.upn}`);
    }
    if (entry.nhs || entry.upn) additions.set(childId, entry);
  }
  if (additions.size > 0 && lockMode === 'SHARED') throw new IdentityChangeNeedsExclusiveLock('record an NHS number or UPN');
  if (additions.size > 0) {
    // Only fills gaps, and never takes an identifier another child already holds.
    await manager.query(
      `UPDATE child c SET nhs_number = coalesce(c.nhs_number, CASE WHEN NOT EXISTS (SELECT 1 FROM child o WHERE o.nhs_number = u.nhs) THEN u.nhs END),
              upn = coalesce(c.upn, CASE WHEN NOT EXISTS (SELECT 1 FROM child o WHERE o.upn = u.upn) THEN u.upn END),
              updated_at = now()
       FROM unnest($1::uuid[], $2::bpchar[], $3::bpchar[]) AS u(id, nhs, upn)
       WHERE c.id = u.id
         -- Only children gaining an identifier: rewriting every matched child costs a row version each.
         AND ((c.nhs_number IS NULL AND u.nhs IS NOT NULL) OR (c.upn IS NULL AND u.upn IS NOT NULL))`,
      [[...additions.keys()], [...additions.values()].map((a) => a.nhs), [...additions.values()].map((a) => a.upn)],
    );
  }
  if (localIds.size > 0) {
    // Safe under the shared lock too: the unique (agency, local id) lets the first writer win.
    await manager.query(
      `INSERT INTO child_identifier (child_id, agency_id, local_id)
       SELECT child_id, $3, local_id FROM unnest($1::uuid[], $2::text[]) AS t(child_id, local_id)
       ON CONFLICT (agency_id, local_id) DO NOTHING`,
      [[...localIds.values()], [...localIds.keys()], agencyId],
    );
  }
}
