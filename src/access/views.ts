import type { AgencyKind, Gender, GroundKind, RecordCategory, Sensitivity, Visibility } from '../domain/vocabulary';

/**
 * The shapes that leave the server. Only the access layer builds them, field by field, so a new
 * column in the database cannot reach a caller by default.
 */
export interface AgencyRef {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: AgencyKind;
}

export interface GroundView {
  readonly kind: GroundKind;
  readonly id: string;
}

export interface RecordView {
  readonly id: string;
  readonly childId: string;
  readonly agency: AgencyRef;
  readonly category: RecordCategory;
  /** Withheld from a FLAG: "RESTRICTED" alone would tell of a live police investigation. */
  readonly sensitivity: Sensitivity | null;
  readonly occurredAt: Date;
  readonly recordedAt: Date | null;
  readonly version: number | null;
  readonly visibility: Visibility;
  readonly grounds: readonly GroundView[];
  /** The owner's reference: withheld from a FLAG, since it can identify an investigation. */
  readonly sourceRef: string | null;
  readonly summary: string | null;
  readonly detail: string | null;
  readonly factorCodes: readonly string[] | null;
  readonly enquiryId: string | null;
  /** Set when the read relied on break-glass alone; such reads are reviewed. */
  readonly underBreakGlass: boolean;
}

export interface ChildView {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly ageYears: number;
  readonly gender: Gender;
  /** True when only name, age and gender may be shown (a shielded child, no ground). */
  readonly detailsWithheld: boolean;
  readonly dateOfBirth: string | null;
  readonly nhsNumber: string | null;
  readonly upn: string | null;
  readonly address: string | null;
  readonly postcode: string | null;
  readonly addressWithheld: boolean;
  readonly localIdentifiers: Array<{ agencyCode: string; localId: string }>;
}
