/**
 * Scored identity matching, pure. A candidate child (found by pg_trgm name similarity) scores
 * out of 100:
 *
 *   name            60 x trigram similarity of the normalised full names (0..1)
 *   date of birth   +30 when equal; -30 when both are known and differ
 *   postcode        +10 when equal; +5 when only the outward code (district) is equal
 *   gender          -20 when both are known (not UNKNOWN) and differ
 *   NHS number/UPN  the candidate is excluded when both hold one and they differ
 *
 * A candidate below CANDIDATE is noise and ignored. One candidate at CONFIDENT or above, leading
 * every other by MARGIN, is the child: the record is linked. Anything else that reaches
 * CANDIDATE is parked for the MASH to decide — a wrong link would show one child's history as
 * another's, which is worse than a short wait.
 */
import type { Gender } from '../../domain/vocabulary';

export const MATCH_THRESHOLDS = { confident: 80, margin: 15, candidate: 50 } as const;

export interface MatchClaim {
  readonly dateOfBirth: string | null;
  readonly postcode: string | null;
  readonly gender: Gender | null;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
}

export interface CandidateChild {
  readonly childId: string;
  /** pg_trgm similarity of the names, 0..1. */
  readonly nameSimilarity: number;
  readonly dateOfBirth: string;
  readonly postcode: string | null;
  readonly gender: Gender;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
}

export interface ScoredCandidate {
  readonly childId: string;
  readonly score: number;
}

export type FuzzyOutcome =
  | { readonly kind: 'LINK'; readonly childId: string; readonly candidates: readonly ScoredCandidate[] }
  | { readonly kind: 'QUEUE'; readonly reason: 'AMBIGUOUS' | 'WEAK'; readonly candidates: readonly ScoredCandidate[] }
  | { readonly kind: 'NONE' };

const outward = (postcode: string) => postcode.split(' ')[0];
const known = (gender: Gender | null): gender is Gender => gender !== null && gender !== 'UNKNOWN';

/** The score of one candidate, or null when an identifier proves it is someone else. */
export function scoreCandidate(claim: MatchClaim, candidate: CandidateChild): number | null {
  if (claim.nhsNumber && candidate.nhsNumber && claim.nhsNumber !== candidate.nhsNumber) return null;
  if (claim.upn && candidate.upn && claim.upn !== candidate.upn) return null;
  let score = 60 * Math.max(0, Math.min(1, candidate.nameSimilarity));
  if (claim.dateOfBirth) score += claim.dateOfBirth === candidate.dateOfBirth ? 30 : -30;
  if (claim.postcode && candidate.postcode) {
    if (claim.postcode === candidate.postcode) score += 10;
    else if (outward(claim.postcode) === outward(candidate.postcode)) score += 5;
  }
  if (known(claim.gender) && known(candidate.gender) && claim.gender !== candidate.gender) score -= 20;
  return Math.round(score);
}

/** Decides from every candidate found for one claim. */
export function decideFuzzy(claim: MatchClaim, found: readonly CandidateChild[]): FuzzyOutcome {
  const candidates = found
    .map((c) => ({ childId: c.childId, score: scoreCandidate(claim, c) }))
    .filter((c): c is ScoredCandidate => c.score !== null && c.score >= MATCH_THRESHOLDS.candidate)
    .sort((a, b) => b.score - a.score || a.childId.localeCompare(b.childId));
  if (candidates.length === 0) return { kind: 'NONE' };
  const [best, second] = candidates;
  const clearLead = !second || best.score - second.score >= MATCH_THRESHOLDS.margin;
  if (best.score >= MATCH_THRESHOLDS.confident && clearLead) return { kind: 'LINK', childId: best.childId, candidates };
  return { kind: 'QUEUE', reason: candidates.length > 1 ? 'AMBIGUOUS' : 'WEAK', candidates };
}
