import type { EntityManager } from 'typeorm';
import { dateOfBirthProblem, isUuid, isValidNhsNumber, isValidUpn, normaliseNhsNumber, normaliseUpn } from '../../domain/identifiers';
import { GENDERS, type Gender } from '../../domain/vocabulary';
import { badField, Problems } from '../../server/errors';
import type { EnquiryChildInput } from './enquiry.types';

/** A child named on an enquiry: an existing id, identifiers to match, or details to create one. */
export interface ChildClaim {
  readonly field: string;
  readonly id: string | null;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
  readonly details: { givenName: string; familyName: string; dateOfBirth: string; gender: Gender } | null;
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
    const details = complete ? { givenName, familyName, dateOfBirth: String(input.dateOfBirth), gender: input.gender as Gender } : null;
    return { field, id, nhsNumber, upn, details };
  });
}

/**
 * Resolves claims to child ids in a fixed number of statements: ids must exist; identifiers are
 * matched exactly; a child matched by neither is created from the details given.
 */
export async function resolveChildren(manager: EntityManager, claims: readonly ChildClaim[]): Promise<string[]> {
  const problems = new Problems();
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
  const resolved: Array<string | null> = claims.map((claim) => {
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
    return null;
  });
  // Two new children cannot share an NHS number or UPN: the same child named twice, or a typing error.
  const claimedBy = new Map<string, string>();
  claims.forEach((claim, i) => {
    if (resolved[i] !== null) return;
    for (const key of [claim.nhsNumber && `NHS number ${claim.nhsNumber}`, claim.upn && `UPN ${claim.upn}`]) {
      if (!key) continue;
      const earlier = claimedBy.get(key);
      if (earlier) problems.add(claim.field, `gives the ${key}, as ${earlier} does; name each child once`);
      else claimedBy.set(key, claim.field);
    }
  });
  problems.throwIfAny();
  const toCreate = claims.filter((_c, i) => resolved[i] === null);
  if (toCreate.length > 0) {
    const created: Array<{ id: string }> = await manager.query(
      `INSERT INTO child (given_name, family_name, date_of_birth, gender, nhs_number, upn)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[]) RETURNING id`,
      [
        toCreate.map((c) => c.details?.givenName), toCreate.map((c) => c.details?.familyName), toCreate.map((c) => c.details?.dateOfBirth),
        toCreate.map((c) => c.details?.gender), toCreate.map((c) => c.nhsNumber), toCreate.map((c) => c.upn),
      ],
    ).catch((error: unknown) => {
      // A merge committing while this waited moved the NHS number or UPN to the survivor, which the
      // lookup above did not see: nothing is saved, and the same enquiry sent again finds it.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw badField('input.children', 'a child with this NHS number or UPN was recorded while the enquiry was being opened; open it again');
      }
      throw error;
    });
    let next = 0;
    for (let i = 0; i < resolved.length; i += 1) if (resolved[i] === null) resolved[i] = created[next++].id;
  }
  return [...new Set(resolved as string[])];
}
