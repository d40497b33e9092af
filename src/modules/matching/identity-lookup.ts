import type { EntityManager } from 'typeorm';
import { arrayLiteral } from '../../db/array-literal';
import { normaliseName } from '../../domain/identifiers';
import type { Gender } from '../../domain/vocabulary';
import type { ChildClaim } from '../records/submit-validate';
import type { CandidateChild } from './match-score';

/** A child an identifier points at, already followed through any merge to the survivor. */
export interface ExactHit {
  readonly childId: string;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
}

export interface ExactIndex {
  readonly byId: ReadonlyMap<string, ExactHit>;
  readonly byNhs: ReadonlyMap<string, ExactHit>;
  readonly byUpn: ReadonlyMap<string, ExactHit>;
  readonly byLocalId: ReadonlyMap<string, ExactHit>;
}

interface ExactRow {
  kind: 'ID' | 'NHS' | 'UPN' | 'LOCAL';
  key: string;
  child_id: string;
  nhs_number: string | null;
  upn: string | null;
}

const present = (values: Array<string | null>): string[] => [...new Set(values.filter((v): v is string => v !== null))];

/**
 * Every child the claims' ids and identifiers point at, in one statement for the whole batch.
 * A local id is looked up only within the submitting agency: another agency's numbering means
 * nothing here.
 */
export async function lookupExact(manager: EntityManager, agencyId: string, claims: readonly ChildClaim[]): Promise<ExactIndex> {
  // Each identifier is probed through its unique index (LIMIT 1 keeps the probe a nested loop
  // whatever the batch size), and compared as the column's own type: char(n) against text
  // would cast the column and forgo the index. The child found answers for itself; only a child
  // merged into another is followed to the survivor, for the survivor's identifiers.
  const rows: ExactRow[] = await manager.query(
    `WITH hit AS (
       SELECT 'ID' AS kind, k.v::text AS key, c.* FROM unnest($1::uuid[]) AS k(v)
         CROSS JOIN LATERAL (SELECT c.id, c.merged_into_id, c.nhs_number, c.upn FROM child c WHERE c.id = k.v LIMIT 1) c
       UNION ALL SELECT 'NHS', k.v::text, c.* FROM unnest($2::bpchar[]) AS k(v)
         CROSS JOIN LATERAL (SELECT c.id, c.merged_into_id, c.nhs_number, c.upn FROM child c WHERE c.nhs_number = k.v LIMIT 1) c
       UNION ALL SELECT 'UPN', k.v::text, c.* FROM unnest($3::bpchar[]) AS k(v)
         CROSS JOIN LATERAL (SELECT c.id, c.merged_into_id, c.nhs_number, c.upn FROM child c WHERE c.upn = k.v LIMIT 1) c
       UNION ALL SELECT 'LOCAL', k.v, c.* FROM unnest($5::text[]) AS k(v)
         CROSS JOIN LATERAL (SELECT c.id, c.merged_into_id, c.nhs_number, c.upn FROM child_identifier i JOIN child c ON c.id = i.child_id
                             WHERE i.agency_id = $4 AND i.local_id = k.v LIMIT 1) c
     )
     SELECT hit.kind, hit.key, coalesce(hit.merged_into_id, hit.id) AS child_id,
            CASE WHEN hit.merged_into_id IS NULL THEN hit.nhs_number ELSE s.nhs_number END AS nhs_number,
            CASE WHEN hit.merged_into_id IS NULL THEN hit.upn ELSE s.upn END AS upn
     FROM hit
       LEFT JOIN LATERAL (SELECT s.nhs_number, s.upn FROM child s WHERE hit.merged_into_id IS NOT NULL AND s.id = hit.merged_into_id LIMIT 1) s ON true`,
    [
      arrayLiteral(present(claims.map((c) => c.childId))),
      arrayLiteral(present(claims.map((c) => c.nhsNumber))),
      arrayLiteral(present(claims.map((c) => c.upn))),
      agencyId,
      arrayLiteral(present(claims.map((c) => c.localId))),
    ],
  );
  const index = { byId: new Map<string, ExactHit>(), byNhs: new Map<string, ExactHit>(), byUpn: new Map<string, ExactHit>(), byLocalId: new Map<string, ExactHit>() };
  const target = { ID: index.byId, NHS: index.byNhs, UPN: index.byUpn, LOCAL: index.byLocalId };
  for (const row of rows) target[row.kind].set(row.key.trim(), { childId: row.child_id, nhsNumber: row.nhs_number, upn: row.upn });
  return index;
}

/** The full name as matched: normalised, given name first, as child.search_name is built. */
export function matchName(claim: Pick<ChildClaim, 'givenName' | 'familyName'>): string | null {
  if (!claim.givenName || !claim.familyName) return null;
  return `${normaliseName(claim.givenName)} ${normaliseName(claim.familyName)}`;
}

const CANDIDATES_PER_CLAIM = 8;

interface CandidateRow {
  idx: number;
  id: string;
  sim: number;
  dob: string;
  postcode: string | null;
  gender: Gender;
  nhs_number: string | null;
  upn: string | null;
}

/**
 * Children whose names resemble each claim's (pg_trgm `%`, served by the trigram index on
 * child.search_name), best first, for all claims in one statement.
 */
export async function lookupCandidates(manager: EntityManager, claims: ReadonlyArray<{ key: number; name: string }>): Promise<Map<number, CandidateChild[]>> {
  const found = new Map<number, CandidateChild[]>(claims.map((c) => [c.key, []]));
  if (claims.length === 0) return found;
  const rows: CandidateRow[] = await manager.query(
    `SELECT q.idx, m.id, m.sim, to_char(m.date_of_birth, 'YYYY-MM-DD') AS dob, m.postcode, m.gender, m.nhs_number, m.upn
     FROM unnest($1::int[], $2::text[]) AS q(idx, name)
     CROSS JOIN LATERAL (
       SELECT c.id, similarity(c.search_name, q.name) AS sim, c.date_of_birth, c.postcode, c.gender, c.nhs_number, c.upn
       FROM child c
       WHERE c.search_name % q.name AND c.merged_into_id IS NULL
       ORDER BY similarity(c.search_name, q.name) DESC, c.id
       LIMIT ${CANDIDATES_PER_CLAIM}
     ) m`,
    [claims.map((c) => c.key), claims.map((c) => c.name)],
  );
  return gathered(found, rows);
}

/**
 * At most this many children born on one day with names resembling one claim's: a bound for a
 * pathological day only. A county's births on one day are a few dozen, and those with names this
 * close a handful, so in practice every such child is found.
 */
const BORN_ON_CANDIDATES_PER_CLAIM = 100;

/**
 * Children born on each claim's date of birth whose names resemble its name, for all claims in
 * one statement. For a caller that knows the date of birth and will see only some of the children
 * found: a child born on another day can never score as a candidate (docs/matching.md), and
 * taking every child born that day, rather than the best few names of any birth date, lets the
 * caller leave children out without others it would have seen being crowded out by them.
 */
export async function lookupCandidatesBornOn(
  manager: EntityManager, claims: ReadonlyArray<{ key: number; name: string; dateOfBirth: string }>,
): Promise<Map<number, CandidateChild[]>> {
  const found = new Map<number, CandidateChild[]>(claims.map((c) => [c.key, []]));
  if (claims.length === 0) return found;
  const rows: CandidateRow[] = await manager.query(
    `SELECT q.idx, m.id, m.sim, to_char(m.date_of_birth, 'YYYY-MM-DD') AS dob, m.postcode, m.gender, m.nhs_number, m.upn
     FROM unnest($1::int[], $2::text[], $3::date[]) AS q(idx, name, dob)
     CROSS JOIN LATERAL (
       SELECT c.id, similarity(c.search_name, q.name) AS sim, c.date_of_birth, c.postcode, c.gender, c.nhs_number, c.upn
       FROM child c
       WHERE c.date_of_birth = q.dob AND c.search_name % q.name AND c.merged_into_id IS NULL
       ORDER BY similarity(c.search_name, q.name) DESC, c.id
       LIMIT ${BORN_ON_CANDIDATES_PER_CLAIM}
     ) m`,
    [claims.map((c) => c.key), claims.map((c) => c.name), claims.map((c) => c.dateOfBirth)],
  );
  return gathered(found, rows);
}

function gathered(found: Map<number, CandidateChild[]>, rows: readonly CandidateRow[]): Map<number, CandidateChild[]> {
  for (const row of rows) {
    found.get(row.idx)?.push({
      childId: row.id, nameSimilarity: Number(row.sim), dateOfBirth: row.dob, postcode: row.postcode?.trim() ?? null,
      gender: row.gender, nhsNumber: row.nhs_number, upn: row.upn,
    });
  }
  return found;
}
