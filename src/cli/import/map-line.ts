import { isUuid, isValidNhsNumber, isValidPostcode, isValidUpn, normaliseNhsNumber, normalisePostcode, normaliseUpn } from '../../domain/identifiers';
import { CIN_FACTOR_CODES, GENDERS, RECORD_CATEGORIES, SENSITIVITIES, type Gender, type RecordCategory, type Sensitivity } from '../../domain/vocabulary';
import { canonicalColumn, type AgencyProfile, type CanonicalColumn } from './profiles';

/** The `RecordChildInput` of `submitRecords`. */
export interface RecordChildInput {
  childId?: string;
  nhsNumber?: string;
  upn?: string;
  localId?: string;
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  gender?: Gender;
  postcode?: string;
  address?: string;
  addressConfidential?: boolean;
}

/** The `RecordInput` of `submitRecords`. */
export interface RecordInput {
  sourceRef: string;
  child: RecordChildInput;
  category: RecordCategory;
  sensitivity?: Sensitivity;
  occurredAt: string;
  summary: string;
  detail?: string;
  factorCodes?: string[];
  enquiryId?: string;
}

/** One line of an import file: its line number and its fields under the file's own headers. */
export interface SourceLine {
  readonly line: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface LineProblem {
  readonly field: string;
  readonly message: string;
}

export type MappedLine =
  | { readonly ok: true; readonly line: number; readonly input: RecordInput }
  | { readonly ok: false; readonly line: number; readonly sourceRef: string | null; readonly problems: readonly LineProblem[] };

// Limits mirror the hub's own columns, so a line that passes here is not refused for length there.
const MAX = { source_ref: 128, given_name: 100, family_name: 100, address: 400, summary: 300, detail: 20000, local_id: 64 } as const;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant: a date, or a date and time with an optional offset (none given means UTC).
const INSTANT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const GENDER_CODES: Readonly<Record<string, Gender>> = { F: 'FEMALE', M: 'MALE', O: 'OTHER', U: 'UNKNOWN', X: 'OTHER' };
const YES = ['true', 'yes', 'y', '1'];
const NO = ['false', 'no', 'n', '0', ''];

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = (Array.isArray(value) ? value.join(';') : String(value)).trim();
  return s.length > 0 ? s : undefined;
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** ISO instant (UTC assumed when the export gives no offset), or null when it cannot be one. */
export function parseInstant(value: string): string | null {
  if (!INSTANT.test(value)) return null;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  if (!isRealDate(y, m, d)) return null;
  let iso = value.replace(' ', 'T');
  if (iso.length === 10) iso += 'T00:00:00';
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += 'Z';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * Validates one line and builds the item the hub expects. Pure: the same line and profile
 * always give the same answer, and every problem on the line is reported, not just the first.
 */
export function mapLine(source: SourceLine, profile: AgencyProfile, now: Date = new Date()): MappedLine {
  const values = new Map<CanonicalColumn, string>();
  for (const [header, raw] of Object.entries(source.fields)) {
    const column = canonicalColumn(header, profile);
    const value = text(raw);
    if (column && value !== undefined && !values.has(column)) values.set(column, value);
  }
  const problems: LineProblem[] = [];
  const problem = (field: string, message: string): undefined => {
    problems.push({ field, message });
    return undefined;
  };
  const bounded = (column: keyof typeof MAX): string | undefined => {
    const value = values.get(column);
    if (value !== undefined && value.length > MAX[column]) return problem(column, `must be at most ${MAX[column]} characters`);
    return value;
  };
  const oneOf = <T extends string>(column: CanonicalColumn, allowed: readonly T[]): T | undefined => {
    const value = values.get(column)?.toUpperCase().replace(/[\s-]+/g, '_');
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    return problem(column, `"${values.get(column)}" is not one of ${allowed.join(', ')}`);
  };

  const sourceRef = bounded('source_ref') ?? problem('source_ref', 'is required: the id of this record in your system');
  const child: RecordChildInput = {};

  const childId = values.get('child_id');
  if (childId !== undefined) child.childId = isUuid(childId) ? childId : problem('child_id', 'is not a hub child id');
  const nhs = values.get('nhs_number');
  // Ten identical digits pass the check digit but are placeholders, never a child's number.
  const nhsOk = nhs !== undefined && isValidNhsNumber(nhs) && !/^(\d)\1{9}$/.test(normaliseNhsNumber(nhs));
  if (nhs !== undefined) child.nhsNumber = nhsOk ? normaliseNhsNumber(nhs) : problem('nhs_number', 'is not a valid NHS number (10 digits, modulus 11 check)');
  const upn = values.get('upn');
  if (upn !== undefined) child.upn = isValidUpn(upn) ? normaliseUpn(upn) : problem('upn', 'is not a valid UPN (13 characters with a check letter)');
  child.localId = bounded('local_id');
  child.givenName = bounded('given_name');
  child.familyName = bounded('family_name');

  const dob = values.get('date_of_birth');
  if (dob !== undefined) {
    const parts = LOCAL_DATE.exec(dob);
    if (!parts || !isRealDate(Number(parts[1]), Number(parts[2]), Number(parts[3]))) problem('date_of_birth', 'must be a date as YYYY-MM-DD');
    else if (dob > now.toISOString().slice(0, 10)) problem('date_of_birth', 'is in the future');
    else child.dateOfBirth = dob;
  }
  const gender = values.get('gender');
  if (gender !== undefined) child.gender = GENDER_CODES[gender.toUpperCase()] ?? oneOf('gender', GENDERS);
  const postcode = values.get('postcode');
  if (postcode !== undefined) child.postcode = isValidPostcode(postcode) ? normalisePostcode(postcode) : problem('postcode', 'is not a UK postcode');
  child.address = bounded('address');
  const confidential = values.get('address_confidential')?.toLowerCase();
  if (confidential !== undefined) {
    if (YES.includes(confidential)) child.addressConfidential = true;
    else if (NO.includes(confidential)) child.addressConfidential = false;
    else problem('address_confidential', 'must be true or false');
  }
  const named = child.givenName !== undefined && child.familyName !== undefined;
  const identified = [childId, nhs, upn, child.localId].some((v) => v !== undefined);
  if (!identified && !named) {
    problem('child', 'name the child by child_id, nhs_number, upn or local_id, or by given_name and family_name (with date_of_birth to match well)');
  }

  const category = values.has('category') ? oneOf('category', RECORD_CATEGORIES) : profile.defaultCategory;
  const sensitivity = oneOf('sensitivity', SENSITIVITIES);
  const occurredRaw = values.get('occurred_at');
  let occurredAt: string | undefined;
  if (occurredRaw === undefined) problem('occurred_at', 'is required');
  else {
    occurredAt = parseInstant(occurredRaw) ?? problem('occurred_at', 'must be an ISO 8601 date or date-time (UTC unless an offset is given)');
    if (occurredAt !== undefined && Date.parse(occurredAt) > now.getTime() + 5 * 60_000) occurredAt = problem('occurred_at', 'is in the future');
  }
  const summary = bounded('summary') ?? (values.has('summary') ? undefined : problem('summary', 'is required: one line for chronologies'));
  const detail = bounded('detail');
  const factorCodes = values.get('factor_codes')?.split(/[;,]/).map((c) => c.trim().toUpperCase()).filter((c) => c.length > 0);
  for (const code of factorCodes ?? []) {
    if (!(CIN_FACTOR_CODES as readonly string[]).includes(code)) problem('factor_codes', `"${code}" is not a Children in Need census factor code`);
  }
  const enquiryId = values.get('enquiry_id');
  if (enquiryId !== undefined && !isUuid(enquiryId)) problem('enquiry_id', 'is not a hub enquiry id');

  if (problems.length > 0 || !sourceRef || !category || !occurredAt || !summary) {
    return { ok: false, line: source.line, sourceRef: sourceRef ?? null, problems };
  }
  const input: RecordInput = { sourceRef, child: withoutUndefined(child), category, occurredAt, summary };
  if (sensitivity) input.sensitivity = sensitivity;
  if (detail !== undefined) input.detail = detail;
  if (factorCodes && factorCodes.length > 0) input.factorCodes = factorCodes;
  if (enquiryId !== undefined) input.enquiryId = enquiryId;
  return { ok: true, line: source.line, input };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
