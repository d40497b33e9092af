/**
 * Inputs and outputs of the access policy. Everything here is plain data: the access layer
 * loads it in batches, the policy decides on it without I/O.
 */
import type { AgencyKind, GroundKind, LawfulBasisKind, RecordCategory, Role, Sensitivity } from '../domain/vocabulary';

export interface PolicyViewer {
  readonly sub: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly agencyKind: AgencyKind;
  readonly roles: readonly Role[];
}

export interface PolicyRecord {
  readonly id: string;
  readonly childId: string;
  /** Owning agency. */
  readonly agencyId: string;
  readonly category: RecordCategory;
  readonly sensitivity: Sensitivity;
  /** `sub` of whoever submitted the current version. */
  readonly authorSub: string;
}

export interface PolicyChild {
  readonly id: string;
  readonly shielded: boolean;
  readonly addressConfidential: boolean;
  /** Agency that recorded the address; the only agency besides social care managers that may see a confidential one. */
  readonly addressRecordedByAgencyId: string | null;
}

export interface ConsentFact {
  readonly id: string;
  readonly childId: string;
  readonly recipientAgencyCodes: readonly string[];
  /** Empty: every STANDARD category. A SENSITIVE category is covered only when listed. */
  readonly categories: readonly RecordCategory[];
  readonly givenAt: Date;
  readonly expiresAt: Date | null;
  readonly withdrawnAt: Date | null;
}

export interface LawfulBasisFact {
  readonly id: string;
  readonly childId: string;
  readonly kind: LawfulBasisKind;
  /** null: every partner agency. */
  readonly recipientAgencyCodes: readonly string[] | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly endedAt: Date | null;
}

/** An approved access request: one record, for one agency, until it expires. */
export interface GrantFact {
  readonly id: string;
  readonly recordId: string;
  readonly agencyId: string;
  readonly approvedAt: Date;
  readonly expiresAt: Date;
}

export interface BreakGlassFact {
  readonly id: string;
  readonly childId: string;
  readonly viewerSub: string;
  readonly startedAt: Date;
  readonly expiresAt: Date;
}

/**
 * Everything the policy needs to know about one child for one viewer. The access layer builds
 * one per child in a request; a missing one is a bug and the policy throws.
 */
export interface ChildFacts {
  readonly childId: string;
  readonly consents: readonly ConsentFact[];
  readonly lawfulBases: readonly LawfulBasisFact[];
  /** Grants held by the viewer's agency over this child's records. */
  readonly grants: readonly GrantFact[];
  /** Break-glass sessions declared by the viewer for this child. */
  readonly breakGlass: readonly BreakGlassFact[];
  /** Ids of enquiries about this child that are still open. */
  readonly openEnquiryIds: readonly string[];
  /** Agencies that own at least one record about this child. */
  readonly agenciesHoldingRecords: readonly string[];
}

export interface GroundRef {
  readonly kind: GroundKind;
  /** The consent, basis, grant or session id; the agency id for OWNER. */
  readonly id: string;
}

export type RecordDecision =
  | { readonly visibility: 'FULL'; readonly grounds: readonly GroundRef[]; readonly reviewable: boolean; readonly reason: string }
  | { readonly visibility: 'FLAG'; readonly grounds: readonly []; readonly reviewable: false; readonly reason: string }
  | { readonly visibility: 'HIDDEN'; readonly grounds: readonly []; readonly reviewable: false; readonly reason: string };

/** What of a child's own details a viewer may see. */
export type ChildView = 'FULL' | 'NAME_AGE_GENDER' | 'HIDDEN';

export interface ChildDecision {
  readonly view: ChildView;
  /** Whether the address may be shown (false whenever view is not FULL). */
  readonly address: boolean;
  /** Grounds the viewer holds for the child as a whole (FULL-grade ones only). */
  readonly grounds: readonly GroundRef[];
  /** True when the viewer may see that records exist (a FULL-grade ground or an open enquiry for MASH staff). */
  readonly mayKnowRecordsExist: boolean;
  readonly reason: string;
}

export class MissingFactError extends Error {
  constructor(what: string) {
    super(`access policy called without ${what}: facts must be loaded before deciding`);
    this.name = 'MissingFactError';
  }
}
