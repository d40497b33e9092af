/**
 * Valid policy inputs with overrides, for the policy's tests only. One child, four agencies and a
 * fixed `now`, so a table row states only what differs from an ordinary case.
 */
import type { AgencyKind, Role } from '../../domain/vocabulary';
import type {
  BreakGlassFact,
  ChildFacts,
  ConsentFact,
  GrantFact,
  LawfulBasisFact,
  PolicyChild,
  PolicyRecord,
  PolicyViewer,
} from '../types';

export const NOW = new Date('2025-03-10T12:00:00.000Z');

/** A moment `hours` after NOW (negative: before). */
export function at(hours: number): Date {
  return new Date(NOW.getTime() + hours * 3_600_000);
}

export interface TestAgency {
  readonly id: string;
  readonly code: string;
  readonly kind: AgencyKind;
}

export const POLICE: TestAgency = { id: 'agency-npol', code: 'NPOL', kind: 'POLICE' };
export const HEALTH: TestAgency = { id: 'agency-nhs', code: 'NHS', kind: 'HEALTH' };
export const SCHOOL: TestAgency = { id: 'agency-sch', code: 'SCH', kind: 'EDUCATION' };
export const SOCIAL_CARE: TestAgency = { id: 'agency-csc', code: 'CSC', kind: 'SOCIAL_CARE' };
export const AGENCIES: readonly TestAgency[] = [POLICE, HEALTH, SCHOOL, SOCIAL_CARE];

export const CHILD_ID = 'child-1';
export const OTHER_CHILD_ID = 'child-2';

export function viewer(agency: TestAgency, roles: readonly Role[], sub = 'user-1'): PolicyViewer {
  return { sub, agencyId: agency.id, agencyCode: agency.code, agencyKind: agency.kind, roles };
}

export function record(overrides: Partial<PolicyRecord> = {}): PolicyRecord {
  return {
    id: 'record-1',
    childId: CHILD_ID,
    agencyId: POLICE.id,
    category: 'POLICE_INCIDENT',
    sensitivity: 'STANDARD',
    authorSub: 'author-1',
    ...overrides,
  };
}

export function child(overrides: Partial<PolicyChild> = {}): PolicyChild {
  return { id: CHILD_ID, shielded: false, addressConfidential: false, addressRecordedByAgencyId: null, ...overrides };
}

export function facts(overrides: Partial<ChildFacts> = {}): ChildFacts {
  return {
    childId: CHILD_ID,
    consents: [],
    lawfulBases: [],
    grants: [],
    breakGlass: [],
    openEnquiryIds: [],
    agenciesHoldingRecords: [],
    ...overrides,
  };
}

export function consent(overrides: Partial<ConsentFact> = {}): ConsentFact {
  return {
    id: 'consent-1',
    childId: CHILD_ID,
    recipientAgencyCodes: [HEALTH.code],
    categories: [],
    givenAt: at(-24),
    expiresAt: null,
    withdrawnAt: null,
    ...overrides,
  };
}

export function basis(overrides: Partial<LawfulBasisFact> = {}): LawfulBasisFact {
  return {
    id: 'basis-1',
    childId: CHILD_ID,
    kind: 'SECTION_47_ENQUIRY',
    recipientAgencyCodes: null,
    startsAt: at(-24),
    endsAt: null,
    endedAt: null,
    ...overrides,
  };
}

export function grant(overrides: Partial<GrantFact> = {}): GrantFact {
  return { id: 'grant-1', recordId: 'record-1', agencyId: HEALTH.id, approvedAt: at(-1), expiresAt: at(24), ...overrides };
}

export function session(overrides: Partial<BreakGlassFact> = {}): BreakGlassFact {
  return { id: 'session-1', childId: CHILD_ID, viewerSub: 'user-1', startedAt: at(-0.5), expiresAt: at(0.5), ...overrides };
}
