import type { EntityManager } from 'typeorm';
import { dateOfBirthProblem, isUuid, isValidNhsNumber, isValidUpn, normaliseNhsNumber, normaliseUpn } from '../../domain/identifiers';
import { GENDERS, type Gender } from '../../domain/vocabulary';
import { badField, Problems } from '../../server/errors';
import { recordLearntIdentifiers } from '../matching/identify';
import { lookupCandidatesBornOn, matchName } from '../matching/identity-lookup';
import { decideFuzzy, type CandidateChild } from '../matching/match-score';
import { IDENTITY_LOCK } from '../records/submit.service';
import type { EnquiryChildInput } from './enquiry.types';

/** A child named on an enquiry: an existing id, identifiers to match, or details to create one. */
export interface ChildClaim {
  readonly field: string;
  readonly id: string | null;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
  readonly details: { givenName: string; familyName: string; dateOfBirth: string; gender: Gender } | null;
  /** The worker has checked the children the hub holds: none of those the details resemble is this one. */
  readonly newChild: boolean;
}

/** The worker opening the enquiry, as matching a described child needs them. */
export interface EnquiryWorker {
  readonly agencyId: string;
  /**
   * Which of these children the worker sees in full, decided by the access policy on the
   * enquiry's own connection (mayMatchEnquiryChild): only those may be matched by description.
   */
  seesInFull(manager: EntityManager, childIds: readonly string[]): Promise<ReadonlySet<string>>;
}

export function parseChildClaims(inputs: readonly EnquiryChildInput[], problems: Problems, now: Date): ChildClaim[] {
  if (inputs.length === 0) problems.add('input.children', 'name at least one child');
  if (inputs.length > 20) problems.add('input.children', 'at most 20 children on one enquiry');
  return inputs.map((input, i) => {
    const field = `input.children[${i}]`;
    // Ids in either case name the same child; the database answers in lower case.
    const id = input.id?.trim().toLowerCase() || null;
    if (id && !isUuid(id)) problems.add(`${field}.id`, 'is not a child id');
    const nhsNumber = input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null;
    if (nhsNumber && !isValidNhsNumber(nhsNumber)) problems.add(`${field}.nhsNumber`, 'is not a valid NHS number');
    const upn = input.upn ? normaliseUpn(input.upn) : null;
    if (upn && !isValidUpn(upn)) problems.add(`${field}.upn`, 'is not a valid UPN');
    const givenName = input.givenName?.trim() ?? '';
    const familyName = input.familyName?.trim() ?? '';
    problems.checkText(`${field}.givenName`, givenName, 100);
    problems.checkText(`${field}.familyName`, familyName, 100);
    // The same bounds as a submitted record's.
    const birthProblem = input.dateOfBirth ? dateOfBirthProblem(String(input.dateOfBirth), now) : null;
    if (birthProblem) problems.add(`${field}.dateOfBirth`, birthProblem.message);
    const complete = givenName !== '' && familyName !== '' && !!input.dateOfBirth && !!input.gender && GENDERS.includes(input.gender);
    if (!id && !nhsNumber && !upn && !complete) {
      problems.add(field, 'give an id, an NHS number or UPN, or given name, family name, date of birth and gender');
    }
    const newChild = input.newChild === true;
    if (newChild && id) problems.add(`${field}.newChild`, 'a child named by id is one the hub holds, not a new one');
    const details = complete ? { givenName, familyName, dateOfBirth: String(input.dateOfBirth), gender: input.gender as Gender } : null;
    return { field, id, nhsNumber, upn, details, newChild };
  });
}

/**
 * Resolves claims to child ids in a fixed number of statements: ids must exist; identifiers are
 * matched exactly; a child described by details alone is matched by the same scores as a
 * submitted record (docs/matching.md) among the children the worker sees in full, and a new one
 * is recorded only when none resembles it or the worker says it is new. A description that
 * resembles children without one clear match is refused, naming its field, so the worker picks
 * the child rather than the hub making a second record of it.
 */
export async function resolveChildren(manager: EntityManager, claims: readonly ChildClaim[], worker: EnquiryWorker): Promise<string[]> {
  const problems = new Problems();
  // Deciding that nobody the hub holds is this child, and recording one, happen under the lock
  // that record batches and merges hold to change who is who: two contacts about the same new
  // child, opened at once, make one child, not two. Taken before any child is locked, as a merge
  // takes it; only a claim with details can make a child or teach one an identifier.
  if (claims.some((c) => !c.id && c.details)) await manager.query('SELECT pg_advisory_xact_lock($1)', [IDENTITY_LOCK]);
  const ids = claims.flatMap((c) => (c.id ? [c.id] : []));
  const nhs = claims.flatMap((c) => (c.nhsNumber ? [c.nhsNumber] : []));
  const upns = claims.flatMap((c) => (c.upn ? [c.upn] : []));
  const found: Array<{ id: string; nhs_number: string | null; upn: string | null }> = await manager.query(
    // Locked to the end of the transaction, like canonicalChildIds: a child being merged is read
    // after the merge, as merged, rather than given an enquiry the merge has already moved past.
    // In id order, as a merge locks its two children, so the two cannot wait on each other.
    `SELECT id, nhs_number, upn FROM child WHERE merged_into_id IS NULL AND (id = ANY($1::uuid[]) OR nhs_number = ANY($2) OR upn = ANY($3))
     ORDER BY id FOR KEY SHARE`,
    [ids, nhs, upns],
  );
  // Each claim's child as the exact lookup found it; 'described' for a claim to be matched by its
  // details or recorded new, null for one refused.
  const exact: Array<string | 'described' | null> = claims.map((claim) => {
    const matches = new Set(found
      .filter((row) => (claim.id && row.id === claim.id) || (claim.nhsNumber && row.nhs_number === claim.nhsNumber) || (claim.upn && row.upn === claim.upn))
      .map((row) => row.id));
    if (matches.size > 1) {
      problems.add(claim.field, 'its id, NHS number and UPN name different children; give the ones that belong to this child');
      return null;
    }
    const [match] = matches;
    if (match) return match;
    if (claim.id) problems.add(`${claim.field}.id`, 'no such child');
    else if (!claim.details) problems.add(claim.field, 'no child matches; give given name, family name, date of birth and gender to record a new one');
    return claim.id || !claim.details ? null : 'described';
  });
  const described = claims.filter((_c, i) => exact[i] === 'described');
  refuseNamedTwice(described, problems);
  const matched = await matchDescribed(manager, described.filter((c) => !c.newChild), problems, worker);
  problems.throwIfAny();
  const toCreate = described.filter((c) => !matched.has(c));
  // An NHS number or UPN given for a child found by description, which the child lacked, is learnt
  // as a submitted record's would be (no other claim gives it: refuseNamedTwice).
  await recordLearntIdentifiers(
    manager, worker.agencyId, [...matched].map(([claim, child]) => ({ claim: learntFrom(claim), childId: child.childId })), [],
    new Map([...matched.values()].map((child) => [child.childId, { nhsNumber: child.nhsNumber, upn: child.upn }])),
  );
  const created = new Map<ChildClaim, string>();
  if (toCreate.length > 0) {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO child (given_name, family_name, date_of_birth, gender, nhs_number, upn)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[]) RETURNING id`,
      [
        toCreate.map((c) => c.details?.givenName), toCreate.map((c) => c.details?.familyName), toCreate.map((c) => c.details?.dateOfBirth),
        toCreate.map((c) => c.details?.gender), toCreate.map((c) => c.nhsNumber), toCreate.map((c) => c.upn),
      ],
    ).catch((error: unknown) => {
      // A writer that changed an identifier without the identity lock, after the lookup above:
      // nothing is saved, and the same enquiry sent again finds the child.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw badField('input.children', 'a child with this NHS number or UPN was recorded while the enquiry was being opened; open it again');
      }
      throw error;
    });
    toCreate.forEach((claim, i) => created.set(claim, rows[i].id));
  }
  return [...new Set(claims.map((claim, i) => {
    const child = exact[i] === 'described' ? (matched.get(claim)?.childId ?? created.get(claim)) : exact[i];
    return child as string;
  }))];
}

/**
 * Children described on one enquiry are each named once: two cannot share an NHS number or UPN,
 * nor a name, date of birth and gender, whether they would be found or recorded new. Either is
 * the same child named twice, or a typing error.
 */
function refuseNamedTwice(described: readonly ChildClaim[], problems: Problems): void {
  const claimedBy = new Map<string, string>();
  for (const claim of described) {
    const details = claim.details as NonNullable<ChildClaim['details']>;
    for (const [key, what] of [
      [claim.nhsNumber && `nhs:${claim.nhsNumber}`, `NHS number ${claim.nhsNumber}`],
      [claim.upn && `upn:${claim.upn}`, `UPN ${claim.upn}`],
      [`person:${matchName(details)}|${details.dateOfBirth}|${details.gender}`, 'name, date of birth and gender'],
    ] as const) {
      if (!key) continue;
      const earlier = claimedBy.get(key);
      if (earlier) problems.add(claim.field, `gives the ${what}, as ${earlier} does; name each child once`);
      else claimedBy.set(key, claim.field);
    }
  }
}

/**
 * Children described by details alone (no identifier found them), scored against the children
 * born the same day whose names resemble theirs, all claims in one statement and one policy
 * decision. One clear match (docs/matching.md: 80 or more, leading by 15) is the child;
 * resemblance without one is refused on the claim's field (the worker may then say the child is
 * new). Returns the children found.
 */
async function matchDescribed(
  manager: EntityManager, described: readonly ChildClaim[], problems: Problems, worker: EnquiryWorker,
): Promise<Map<ChildClaim, CandidateChild>> {
  const matched = new Map<ChildClaim, CandidateChild>();
  const named = described.flatMap((claim, key) => {
    const details = claim.details as NonNullable<ChildClaim['details']>;
    const name = matchName(details);
    return name ? [{ key, name, dateOfBirth: details.dateOfBirth }] : [];
  });
  if (named.length === 0) return matched;
  const candidates = await lookupCandidatesBornOn(manager, named);
  const seen = await worker.seesInFull(manager, [...new Set([...candidates.values()].flatMap((list) => list.map((c) => c.childId)))]);
  described.forEach((claim, key) => {
    const details = claim.details as NonNullable<ChildClaim['details']>;
    const visible: CandidateChild[] = (candidates.get(key) ?? []).filter((c) => seen.has(c.childId));
    const outcome = decideFuzzy({ dateOfBirth: details.dateOfBirth, postcode: null, gender: details.gender, nhsNumber: claim.nhsNumber, upn: claim.upn }, visible);
    if (outcome.kind === 'LINK') matched.set(claim, visible.find((c) => c.childId === outcome.childId) as CandidateChild);
    else if (outcome.kind === 'QUEUE') {
      const count = outcome.candidates.length;
      problems.add(claim.field, `resembles ${count === 1 ? 'a child' : `${count} children`} the hub holds without clearly being ${count === 1 ? 'it' : 'one of them'}; name the child by id (searchChildren finds it), or set newChild if it is none of them`);
    }
  });
  return matched;
}

type LearntFrom = Parameters<typeof recordLearntIdentifiers>[2][number]['claim'];

/** A described child as the matching module's claim, for learning its identifiers. */
function learntFrom(claim: ChildClaim): LearntFrom {
  const details = claim.details as NonNullable<ChildClaim['details']>;
  return {
    childId: null, nhsNumber: claim.nhsNumber, upn: claim.upn, localId: null, givenName: details.givenName, familyName: details.familyName,
    dateOfBirth: details.dateOfBirth, gender: details.gender, postcode: null, address: null, addressConfidential: false,
  };
}
