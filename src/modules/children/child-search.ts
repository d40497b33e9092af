import type { EntityManager } from 'typeorm';
import { isValidNhsNumber, isValidUpn, normaliseName, normaliseNhsNumber } from '../../domain/identifiers';
import { Problems } from '../../server/errors';
import type { ChildSearchInput } from './child.types';

export interface SearchCriteria {
  readonly name: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly dateOfBirth: string | null;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
}

export function parseSearch(input: ChildSearchInput): SearchCriteria {
  const problems = new Problems();
  const text = (value: string | null | undefined, field: string): string | null => {
    const v = value ? normaliseName(value) : '';
    if (v.length === 0) return null;
    if (v.length < 2) problems.add(`input.${field}`, 'must be at least 2 characters');
    if (v.length > 100) problems.add(`input.${field}`, 'must be at most 100 characters');
    return v;
  };
  const criteria: SearchCriteria = {
    name: text(input.name, 'name'),
    givenName: text(input.givenName, 'givenName'),
    familyName: text(input.familyName, 'familyName'),
    dateOfBirth: input.dateOfBirth ?? null,
    nhsNumber: input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null,
    upn: input.upn ? input.upn.trim().toUpperCase() : null,
  };
  if (criteria.nhsNumber && !isValidNhsNumber(criteria.nhsNumber)) problems.add('input.nhsNumber', 'is not a valid NHS number (10 digits, modulus 11 check)');
  if (criteria.upn && !isValidUpn(criteria.upn)) problems.add('input.upn', 'is not a valid UPN (13 characters with a check letter)');
  if (Object.values(criteria).every((v) => v === null)) problems.add('input', 'give at least one of name, givenName, familyName, dateOfBirth, nhsNumber, upn');
  problems.throwIfAny();
  return criteria;
}

/** Whether the search used something beyond a name (shielded children are not found that way). */
export function identifying(criteria: SearchCriteria): boolean {
  return criteria.dateOfBirth !== null || criteria.nhsNumber !== null || criteria.upn !== null;
}

/** A search is for finding a known child, not for browsing: beyond this many matches, refine it. */
export const MAX_SEARCH_CANDIDATES = 200;

/**
 * Candidate ids, best match first. Names use pg_trgm (substring or similarity) on an indexed
 * generated column; merged children are left out (their records follow the survivor). Paging
 * happens after the policy has decided, so a hidden child cannot show in a count or a cursor.
 */
export async function searchChildIds(manager: EntityManager, criteria: SearchCriteria): Promise<string[]> {
  const nameTerm = [criteria.name, criteria.givenName, criteria.familyName].filter((v): v is string => v !== null).join(' ') || null;
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT c.id FROM child c
     WHERE c.merged_into_id IS NULL
       AND ($1::text IS NULL OR c.search_name ILIKE '%' || $1 || '%' OR c.search_name % $1)
       AND ($2::text IS NULL OR match_name(c.given_name) LIKE $2 || '%' OR similarity(match_name(c.given_name), $2) > 0.4)
       AND ($3::text IS NULL OR match_name(c.family_name) LIKE $3 || '%' OR similarity(match_name(c.family_name), $3) > 0.4)
       AND ($4::date IS NULL OR c.date_of_birth = $4)
       AND ($5::bpchar IS NULL OR c.nhs_number = $5::bpchar)
       AND ($6::bpchar IS NULL OR c.upn = $6::bpchar)
     ORDER BY CASE WHEN $1::text IS NULL THEN 0 ELSE similarity(c.search_name, $1) END DESC, c.family_name, c.given_name, c.id
     LIMIT $7`,
    [nameTerm, criteria.givenName, criteria.familyName, criteria.dateOfBirth, criteria.nhsNumber, criteria.upn, MAX_SEARCH_CANDIDATES],
  );
  return rows.map((r) => r.id);
}
