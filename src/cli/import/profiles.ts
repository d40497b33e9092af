import type { AgencyKind, RecordCategory } from '../../domain/vocabulary';

/**
 * How an agency's export maps onto the hub's record columns. Every kind reads the same
 * canonical columns (docs/integration.md); a kind adds the names its usual systems export under
 * (police RMS, health EPR, school MIS, social care case systems) and a default category for
 * lines that leave `category` empty.
 */
export const CANONICAL_COLUMNS = [
  'source_ref',
  'child_id',
  'nhs_number',
  'upn',
  'local_id',
  'given_name',
  'family_name',
  'date_of_birth',
  'gender',
  'postcode',
  'address',
  'address_confidential',
  'category',
  'sensitivity',
  'occurred_at',
  'summary',
  'detail',
  'factor_codes',
  'enquiry_id',
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

export interface AgencyProfile {
  readonly kind: AgencyKind;
  readonly defaultCategory: RecordCategory;
  /** Alternative column name → canonical column. */
  readonly aliases: Readonly<Record<string, CanonicalColumn>>;
}

const COMMON_ALIASES: Readonly<Record<string, CanonicalColumn>> = {
  forename: 'given_name',
  first_name: 'given_name',
  surname: 'family_name',
  last_name: 'family_name',
  dob: 'date_of_birth',
  sex: 'gender',
  nhs_no: 'nhs_number',
  pupil_upn: 'upn',
  factors: 'factor_codes',
  cin_factors: 'factor_codes',
};

const PROFILES: Readonly<Partial<Record<AgencyKind, AgencyProfile>>> = {
  POLICE: {
    kind: 'POLICE',
    defaultCategory: 'POLICE_INCIDENT',
    aliases: { ...COMMON_ALIASES, incident_ref: 'source_ref', occurrence_ref: 'source_ref', person_id: 'local_id', incident_date: 'occurred_at' },
  },
  HEALTH: {
    kind: 'HEALTH',
    defaultCategory: 'HEALTH_CONTACT',
    aliases: { ...COMMON_ALIASES, contact_id: 'source_ref', patient_id: 'local_id', mrn: 'local_id', contact_date: 'occurred_at' },
  },
  EDUCATION: {
    kind: 'EDUCATION',
    defaultCategory: 'EDUCATION_CONCERN',
    aliases: { ...COMMON_ALIASES, concern_id: 'source_ref', pupil_id: 'local_id', mis_id: 'local_id', concern_date: 'occurred_at' },
  },
  SOCIAL_CARE: {
    kind: 'SOCIAL_CARE',
    defaultCategory: 'SOCIAL_CARE_INVOLVEMENT',
    aliases: { ...COMMON_ALIASES, case_ref: 'source_ref', episode_ref: 'source_ref', lcs_id: 'local_id', event_date: 'occurred_at' },
  },
};

/** The profile for an agency kind; kinds without their own (housing, probation…) use the common names and OTHER. */
export function profileFor(kind: AgencyKind): AgencyProfile {
  return PROFILES[kind] ?? { kind, defaultCategory: 'OTHER', aliases: COMMON_ALIASES };
}

/** "Date of Birth", "date-of-birth" and "DOB " all become one key before aliases are applied. */
export function columnKey(header: string): string {
  return header.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The canonical column a header names under this profile, or null when the hub does not read it. */
export function canonicalColumn(header: string, profile: AgencyProfile): CanonicalColumn | null {
  const key = columnKey(header);
  if ((CANONICAL_COLUMNS as readonly string[]).includes(key)) return key as CanonicalColumn;
  return profile.aliases[key] ?? null;
}
