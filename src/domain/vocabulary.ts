/**
 * The hub's fixed vocabularies. Database check constraints, GraphQL enums and the policy all
 * draw on these lists, so a value exists in one place only.
 */

export const AGENCY_KINDS = ['POLICE', 'HEALTH', 'EDUCATION', 'SOCIAL_CARE', 'PROBATION', 'HOUSING', 'OTHER'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const ROLES = ['PRACTITIONER', 'MASH_RESEARCHER', 'MANAGER', 'DPO', 'INTEGRATION', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may read record content at all; DPO, ADMIN and INTEGRATION never read others' content. */
export const READING_ROLES: readonly Role[] = ['PRACTITIONER', 'MASH_RESEARCHER', 'MANAGER'];

export const SENSITIVITIES = ['STANDARD', 'SENSITIVE', 'RESTRICTED'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/**
 * Record categories. Special-category health data (UK GDPR Art 9) defaults to SENSITIVE:
 * mental health, sexual health and substance misuse.
 */
export const RECORD_CATEGORIES = [
  'POLICE_INCIDENT',
  'DOMESTIC_ABUSE',
  'MISSING_EPISODE',
  'EXPLOITATION',
  'ARREST_OR_CHARGE',
  'ATTENDANCE',
  'EXCLUSION',
  'EDUCATION_CONCERN',
  'SPECIAL_EDUCATIONAL_NEEDS',
  'HEALTH_CONTACT',
  'EMERGENCY_ATTENDANCE',
  'INJURY',
  'DEVELOPMENT',
  'MENTAL_HEALTH',
  'SEXUAL_HEALTH',
  'SUBSTANCE_MISUSE',
  'SOCIAL_CARE_INVOLVEMENT',
  'CHILD_PROTECTION',
  'HOUSING',
  'OTHER',
] as const;
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];

export const SENSITIVE_BY_DEFAULT: readonly RecordCategory[] = ['MENTAL_HEALTH', 'SEXUAL_HEALTH', 'SUBSTANCE_MISUSE'];

export function defaultSensitivity(category: RecordCategory): Sensitivity {
  return SENSITIVE_BY_DEFAULT.includes(category) ? 'SENSITIVE' : 'STANDARD';
}

export const GENDERS = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'] as const;
export type Gender = (typeof GENDERS)[number];

export const CONSENT_GIVERS = ['CHILD', 'PARENT', 'CARER'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

/** Sharing without consent. SIGNIFICANT_HARM is DPA 2018 Sch 1 Part 2 para 18. */
export const LAWFUL_BASIS_KINDS = [
  'SECTION_47_ENQUIRY',
  'SIGNIFICANT_HARM',
  'CHILD_PROTECTION_PLAN',
  'LOOKED_AFTER',
  'EMERGENCY_PROTECTION',
  'POLICE_PROTECTION',
  'COURT_ORDER',
] as const;
export type LawfulBasisKind = (typeof LAWFUL_BASIS_KINDS)[number];

export const GROUND_KINDS = ['OWNER', 'CONSENT', 'LAWFUL_BASIS', 'GRANT', 'BREAK_GLASS'] as const;
export type GroundKind = (typeof GROUND_KINDS)[number];

export const VISIBILITIES = ['FULL', 'FLAG'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Children in Need census: CIN factors identified at the end of assessment. */
export const CIN_FACTOR_CODES = [
  '1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C', '6A', '6B', '6C',
  '7A', '8B', '8C', '8D', '8E', '8F', '9A', '10A', '11A', '12A', '13A', '14A', '15A', '16A', '17A',
  '18B', '18C', '19B', '19C', '20', '21', '22A', '23A', '24A',
] as const;
export type CinFactorCode = (typeof CIN_FACTOR_CODES)[number];

/** Children in Need census: source of referral. */
export const REFERRAL_SOURCES = [
  '1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10',
] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

/** SQL fragment for a CHECK constraint over one of the lists above. */
export function sqlIn(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}
