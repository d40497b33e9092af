import type { Gender } from '../domain/vocabulary';

export interface ChildRow {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly gender: Gender;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
  readonly address: string | null;
  readonly postcode: string | null;
  readonly addressConfidential: boolean;
  readonly addressRecordedByAgencyId: string | null;
  readonly shielded: boolean;
  readonly mergedIntoId: string | null;
  readonly localIdentifiers: ReadonlyArray<{ agencyCode: string; localId: string }>;
}

export const CHILD_COLUMNS = `c.id, c.given_name AS "givenName", c.family_name AS "familyName", to_char(c.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
  c.gender, c.nhs_number AS "nhsNumber", c.upn, c.address, c.postcode, c.address_confidential AS "addressConfidential",
  c.address_recorded_by_agency_id AS "addressRecordedByAgencyId", c.shielded, c.merged_into_id AS "mergedIntoId",
  (SELECT coalesce(json_agg(json_build_object('agencyCode', a.code, 'localId', i.local_id) ORDER BY a.code, i.local_id), '[]')
     FROM child_identifier i JOIN agency a ON a.id = i.agency_id WHERE i.child_id = c.id) AS "localIdentifiers"`;

/** Whole years from a date of birth to `now`, in calendar terms. */
export function ageInYears(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  let age = now.getUTCFullYear() - y;
  const beforeBirthday = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return Math.max(0, age);
}
