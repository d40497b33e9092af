import { hash } from 'node:crypto';
import {
  dateOfBirthProblem, isUuid, isValidNhsNumber, isValidPostcode, isValidUpn, normaliseNhsNumber, normalisePostcode, normaliseUpn,
} from '../../domain/identifiers';
import { CIN_FACTOR_CODES, defaultSensitivity, type Gender, type RecordCategory, type Sensitivity } from '../../domain/vocabulary';
import type { ItemError } from './submit-outcome';

/** One item as it arrives (the GraphQL RecordInput, or a parked payload). */
export interface RecordSubmission {
  readonly sourceRef: string;
  readonly child: ChildSubmission;
  readonly category: RecordCategory;
  readonly sensitivity?: Sensitivity | null;
  readonly occurredAt: Date;
  readonly summary: string;
  readonly detail?: string | null;
  readonly factorCodes?: readonly string[] | null;
  readonly enquiryId?: string | null;
}

export interface ChildSubmission {
  readonly childId?: string | null;
  readonly nhsNumber?: string | null;
  readonly upn?: string | null;
  readonly localId?: string | null;
  readonly givenName?: string | null;
  readonly familyName?: string | null;
  readonly dateOfBirth?: string | null;
  readonly gender?: Gender | null;
  readonly postcode?: string | null;
  readonly address?: string | null;
  readonly addressConfidential?: boolean | null;
}

/** Who the item says the child is, normalised; every field present (null when not given). */
export interface ChildClaim {
  readonly childId: string | null;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
  readonly localId: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly dateOfBirth: string | null;
  readonly gender: Gender | null;
  readonly postcode: string | null;
  readonly address: string | null;
  readonly addressConfidential: boolean;
}

/** A valid item, normalised, with the hash that makes resubmission idempotent. */
export interface ValidItem {
  readonly index: number;
  readonly sourceRef: string;
  readonly child: ChildClaim;
  readonly category: RecordCategory;
  readonly sensitivity: Sensitivity;
  readonly occurredAt: Date;
  readonly summary: string;
  readonly detail: string | null;
  readonly factorCodes: readonly string[];
  readonly enquiryId: string | null;
  readonly contentHash: string;
  /** Hash of the child claim alone: parked items about the same described child share it. */
  readonly childKey: string;
}

export const MAX_BATCH = 1000;
/** Clocks of partner systems drift; a few minutes ahead is not "in the future". */
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST = new Date(Date.UTC(1900, 0, 1));
const LIMITS = { sourceRef: 128, summary: 300, detail: 20000, localId: 64, name: 100, address: 400 } as const;
const FACTOR_CODES: ReadonlySet<string> = new Set(CIN_FACTOR_CODES);

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 ? trimmed : null;
}

// The one-shot hash: about half the cost of a Hash object for inputs this small.
function sha256(value: unknown): string {
  return hash('sha256', JSON.stringify(value), 'hex');
}

/** Checks one item. Returns the normalised item, or every problem found in it. */
export function validateItem(input: RecordSubmission, index: number, now: Date): { ok: true; item: ValidItem } | { ok: false; errors: ItemError[] } {
  const errors: ItemError[] = [];
  const at = (field: string) => `records[${index}].${field}`;
  const problem = (field: string, code: string, message: string) => errors.push({ field: at(field), code, message });

  const sourceRef = text(input.sourceRef);
  if (!sourceRef) problem('sourceRef', 'REQUIRED', 'sourceRef is required');
  else if (sourceRef.length > LIMITS.sourceRef) problem('sourceRef', 'TOO_LONG', `at most ${LIMITS.sourceRef} characters`);

  const summary = text(input.summary);
  if (!summary) problem('summary', 'REQUIRED', 'a one-line summary is required');
  else if (summary.length > LIMITS.summary) problem('summary', 'TOO_LONG', `at most ${LIMITS.summary} characters`);

  const detail = text(input.detail);
  if (detail && detail.length > LIMITS.detail) problem('detail', 'TOO_LONG', `at most ${LIMITS.detail} characters`);

  const occurredAt = input.occurredAt;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) problem('occurredAt', 'INVALID_DATE', 'not a valid date and time');
  else if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problem('occurredAt', 'IN_FUTURE', 'a record cannot describe something that has not happened yet');
  else if (occurredAt < EARLIEST) problem('occurredAt', 'TOO_EARLY', 'must be on or after 1900-01-01');

  const factorCodes = [...new Set(input.factorCodes ?? [])].sort();
  (input.factorCodes ?? []).forEach((code, i) => {
    if (!FACTOR_CODES.has(code)) problem(`factorCodes[${i}]`, 'UNKNOWN_FACTOR_CODE', `${code} is not a Children in Need census factor code`);
  });

  const enquiryId = text(input.enquiryId);
  if (enquiryId && !isUuid(enquiryId)) problem('enquiryId', 'ENQUIRY_NOT_FOUND', 'no such enquiry');

  const child = validateChild(input.child, now, problem);
  if (errors.length > 0 || !sourceRef || !summary || !child) return { ok: false, errors };

  const sensitivity = input.sensitivity ?? defaultSensitivity(input.category);
  const childKey = sha256(Object.values(child));
  const contentHash = sha256([input.category, sensitivity, occurredAt.toISOString(), summary, detail, factorCodes, enquiryId?.toLowerCase() ?? null, childKey]);
  return {
    ok: true,
    item: {
      index, sourceRef, child, category: input.category, sensitivity, occurredAt, summary, detail, factorCodes,
      enquiryId: enquiryId?.toLowerCase() ?? null, contentHash, childKey,
    },
  };
}

function validateChild(input: ChildSubmission, now: Date, problem: (field: string, code: string, message: string) => void): ChildClaim | null {
  let ok = true;
  const fail = (field: string, code: string, message: string) => {
    ok = false;
    problem(field ? `child.${field}` : 'child', code, message);
  };

  const childId = text(input.childId);
  if (childId && !isUuid(childId)) fail('childId', 'CHILD_NOT_FOUND', 'no such child');

  const rawNhs = text(input.nhsNumber);
  const nhsNumber = rawNhs ? normaliseNhsNumber(rawNhs) : null;
  // Ten identical digits pass modulus 11 but are placeholders that identify nobody.
  if (nhsNumber && (!isValidNhsNumber(nhsNumber) || /^(\d)\1{9}$/.test(nhsNumber))) fail('nhsNumber', 'INVALID_NHS_NUMBER', 'not a valid NHS number (10 digits, modulus 11 check digit)');

  const rawUpn = text(input.upn);
  const upn = rawUpn ? normaliseUpn(rawUpn) : null;
  if (upn && !isValidUpn(upn)) fail('upn', 'INVALID_UPN', 'not a valid unique pupil number (13 characters, check letter)');

  const localId = text(input.localId);
  if (localId && localId.length > LIMITS.localId) fail('localId', 'TOO_LONG', `at most ${LIMITS.localId} characters`);

  const givenName = text(input.givenName);
  if (givenName && givenName.length > LIMITS.name) fail('givenName', 'TOO_LONG', `at most ${LIMITS.name} characters`);
  const familyName = text(input.familyName);
  if (familyName && familyName.length > LIMITS.name) fail('familyName', 'TOO_LONG', `at most ${LIMITS.name} characters`);

  const dateOfBirth = text(input.dateOfBirth);
  const birthProblem = dateOfBirth ? dateOfBirthProblem(dateOfBirth, now) : null;
  if (birthProblem) fail('dateOfBirth', birthProblem.code, birthProblem.message);

  const rawPostcode = text(input.postcode);
  const postcode = rawPostcode ? normalisePostcode(rawPostcode) : null;
  if (postcode && !isValidPostcode(postcode)) fail('postcode', 'INVALID_POSTCODE', 'not a UK postcode');

  const address = text(input.address);
  if (address && address.length > LIMITS.address) fail('address', 'TOO_LONG', `at most ${LIMITS.address} characters`);

  const identified = childId || nhsNumber || upn || localId || (givenName && familyName);
  if (ok && !identified) fail('', 'CHILD_UNIDENTIFIED', 'name the child by childId, NHS number, UPN, local id, or given and family name');
  if (!ok) return null;
  return {
    childId: childId?.toLowerCase() ?? null, nhsNumber, upn, localId, givenName, familyName, dateOfBirth,
    gender: input.gender ?? null, postcode, address, addressConfidential: input.addressConfidential ?? false,
  };
}

/** True when the claim carries enough to create a child: the columns the child table requires. */
export function hasCompleteDemographics(claim: ChildClaim): boolean {
  return Boolean(claim.givenName && claim.familyName && claim.dateOfBirth && claim.gender);
}
