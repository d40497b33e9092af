import type { GroundKind, LawfulBasisKind, Role } from '../domain/vocabulary';
import {
  accessRequestDeciding, auditScope, breakGlassFindings, breakGlassReviewing, breakGlassReviewScope, consentRecording, lawfulBasisEnding, mayBreakGlass, mayReadBreakGlassFinding,
  mayRecordConsent, mayRecordLawfulBasis, mayRequestAccess, mayVerifyAuditChain,
} from './grounds-admin';
import { HEALTH, POLICE, SCHOOL, SOCIAL_CARE, viewer, type TestAgency } from './test-support/builders';
import type { ChildDecision, RecordDecision } from './types';

describe('who may record consent and break the glass', () => {
  const table: Array<[Role, boolean]> = [
    ['PRACTITIONER', true], ['MASH_RESEARCHER', true], ['MANAGER', true], ['DPO', false], ['ADMIN', false], ['INTEGRATION', false],
  ];
  it.each(table)('%s -> %s', (role, expected) => {
    expect(mayRecordConsent(viewer(HEALTH, [role]))).toBe(expected);
    expect(mayBreakGlass(viewer(HEALTH, [role]))).toBe(expected);
  });
});

describe('for which child a consent may be recorded', () => {
  const child = (view: ChildDecision['view'], mayKnowRecordsExist: boolean, grounds: ChildDecision['grounds'] = []): ChildDecision =>
    ({ view, address: false, grounds, mayKnowRecordsExist, reason: 'test' });
  const holding = (kind: GroundKind) => child('FULL', true, [{ kind, id: `${kind.toLowerCase()}-1` }]);
  const known = holding('OWNER');
  const unknown = child('FULL', false);
  const table: Array<[string, TestAgency, Role, ChildDecision | null, string]> = [
    ['own agency holds records', HEALTH, 'PRACTITIONER', known, 'ALLOWED'],
    ['own agency named in a consent', HEALTH, 'PRACTITIONER', holding('CONSENT'), 'ALLOWED'],
    ['own agency named in a lawful basis', HEALTH, 'PRACTITIONER', holding('LAWFUL_BASIS'), 'ALLOWED'],
    ['only a break-glass session of their own', SCHOOL, 'PRACTITIONER', holding('BREAK_GLASS'), 'FORBIDDEN'],
    ['only a grant over one record', SCHOOL, 'PRACTITIONER', holding('GRANT'), 'FORBIDDEN'],
    ['nothing held by or known to the agency', POLICE, 'PRACTITIONER', unknown, 'FORBIDDEN'],
    ['shielded, name only', POLICE, 'PRACTITIONER', child('NAME_AGE_GENDER', false), 'FORBIDDEN'],
    ['MASH researcher, nothing known', SCHOOL, 'MASH_RESEARCHER', unknown, 'ALLOWED'],
    ['social care manager, nothing known', SOCIAL_CARE, 'MANAGER', unknown, 'ALLOWED'],
    ['school manager, nothing known', SCHOOL, 'MANAGER', unknown, 'FORBIDDEN'],
    ['social care practitioner, nothing known', SOCIAL_CARE, 'PRACTITIONER', unknown, 'FORBIDDEN'],
    ['no such child', SOCIAL_CARE, 'MASH_RESEARCHER', null, 'NOT_FOUND'],
    ['child not visible at all', SOCIAL_CARE, 'MASH_RESEARCHER', child('HIDDEN', false), 'NOT_FOUND'],
    ['DPO, whatever the child', HEALTH, 'DPO', known, 'FORBIDDEN'],
    ['DPO, no such child', HEALTH, 'DPO', null, 'FORBIDDEN'],
  ];
  it.each(table)('%s: %p %s -> %s', (_case, agency, role, decision, expected) => {
    expect(consentRecording(viewer(agency, [role]), decision)).toBe(expected);
  });
});

describe('who may record a lawful basis', () => {
  const table: Array<[TestAgency, Role, LawfulBasisKind, boolean]> = [
    [SOCIAL_CARE, 'MANAGER', 'SECTION_47_ENQUIRY', true],
    [SOCIAL_CARE, 'MANAGER', 'POLICE_PROTECTION', true],
    [SOCIAL_CARE, 'PRACTITIONER', 'SECTION_47_ENQUIRY', false],
    [SOCIAL_CARE, 'MASH_RESEARCHER', 'SIGNIFICANT_HARM', false],
    [POLICE, 'MANAGER', 'POLICE_PROTECTION', true],
    [POLICE, 'MANAGER', 'SECTION_47_ENQUIRY', false],
    [POLICE, 'PRACTITIONER', 'POLICE_PROTECTION', false],
    [HEALTH, 'MANAGER', 'SIGNIFICANT_HARM', false],
    [SCHOOL, 'MANAGER', 'POLICE_PROTECTION', false],
    [SOCIAL_CARE, 'DPO', 'COURT_ORDER', false],
  ];
  it.each(table)('%p %s %s -> %s', (agency, role, kind, expected) => {
    expect(mayRecordLawfulBasis(viewer(agency, [role]), kind)).toBe(expected);
  });
});

describe('ending a lawful basis', () => {
  const s47 = { kind: 'SECTION_47_ENQUIRY', recordedByAgencyId: SOCIAL_CARE.id } as const;
  const protection = { kind: 'POLICE_PROTECTION', recordedByAgencyId: POLICE.id } as const;
  const othersProtection = { kind: 'POLICE_PROTECTION', recordedByAgencyId: SOCIAL_CARE.id } as const;
  it.each([
    [SOCIAL_CARE, 'MANAGER', s47, true, 'ALLOWED'],
    // Their agency recorded it: it is never news to them, seen or not.
    [SOCIAL_CARE, 'MANAGER', s47, false, 'ALLOWED'],
    [POLICE, 'MANAGER', protection, false, 'ALLOWED'],
    [POLICE, 'MANAGER', othersProtection, true, 'ALLOWED'],
    // Recorded by another agency about a child whose arrangements they cannot see: as if missing.
    [POLICE, 'MANAGER', othersProtection, false, 'NOT_FOUND'],
    [POLICE, 'MANAGER', s47, true, 'FORBIDDEN'],
    [POLICE, 'MANAGER', s47, false, 'NOT_FOUND'],
    [POLICE, 'MANAGER', null, false, 'NOT_FOUND'],
    [HEALTH, 'MANAGER', s47, true, 'FORBIDDEN'],
    [HEALTH, 'MANAGER', null, false, 'FORBIDDEN'],
    [SOCIAL_CARE, 'PRACTITIONER', s47, true, 'FORBIDDEN'],
  ] as const)('%p %s ending %p (seen: %s) -> %s', (agency, role, basis, seen, expected) => {
    expect(lawfulBasisEnding(viewer(agency, [role]), basis, seen)).toBe(expected);
  });
});

describe('access requests', () => {
  const decision = (visibility: RecordDecision['visibility']): RecordDecision =>
    visibility === 'FULL'
      ? { visibility, grounds: [{ kind: 'OWNER', id: 'a' }], reviewable: false, reason: 'owner' }
      : { visibility, grounds: [], reviewable: false, reason: 'x' };
  it.each([['FULL', false], ['FLAG', true], ['HIDDEN', false]] as const)('a %s record may be asked for: %s', (visibility, expected) => {
    expect(mayRequestAccess(decision(visibility))).toBe(expected);
  });
  const request = { ownerAgencyId: POLICE.id, requesterSub: 'researcher-1', requesterAgencyId: SOCIAL_CARE.id };
  it.each([
    [POLICE, 'MANAGER', 'pol-m', request, 'ALLOWED'],
    [POLICE, 'PRACTITIONER', 'pol-p', request, 'FORBIDDEN'],
    [POLICE, 'PRACTITIONER', 'pol-p', null, 'FORBIDDEN'],
    [HEALTH, 'MANAGER', 'h-m', request, 'NOT_FOUND'],
    [SOCIAL_CARE, 'MANAGER', 'researcher-1', request, 'FORBIDDEN'],
    // The same subject at another agency is another person.
    [HEALTH, 'MANAGER', 'researcher-1', request, 'NOT_FOUND'],
    [POLICE, 'MANAGER', 'pol-m', null, 'NOT_FOUND'],
  ] as const)('decided for a police record by %p %s (%s): %p -> %s', (agency, role, sub, req, expected) => {
    expect(accessRequestDeciding(viewer(agency, [role], sub), req)).toBe(expected);
  });
});

describe('break-glass review', () => {
  const session = { viewerSub: 'nurse-1', notifiedAgencyIds: [POLICE.id, SCHOOL.id] };
  it.each([
    [SOCIAL_CARE, 'MANAGER', 'csc-m', session, 'ALLOWED'],
    [POLICE, 'MANAGER', 'pol-m', session, 'ALLOWED'],
    [HEALTH, 'MANAGER', 'h-m', session, 'NOT_FOUND'],
    [HEALTH, 'MANAGER', 'h-m', null, 'NOT_FOUND'],
    [POLICE, 'PRACTITIONER', 'pol-p', session, 'FORBIDDEN'],
    [POLICE, 'PRACTITIONER', 'pol-p', null, 'FORBIDDEN'],
    [SOCIAL_CARE, 'MANAGER', 'nurse-1', session, 'FORBIDDEN'],
  ] as const)('%p %s (%s) reviewing %p: %s', (agency, role, sub, s, expected) => {
    expect(breakGlassReviewing(viewer(agency, [role], sub), s)).toBe(expected);
  });
  it('scopes the review list', () => {
    expect(breakGlassReviewScope(viewer(SOCIAL_CARE, ['MANAGER']))).toEqual({ kind: 'ALL' });
    expect(breakGlassReviewScope(viewer(HEALTH, ['MANAGER']))).toEqual({ kind: 'NOTIFIED_AGENCY', agencyId: HEALTH.id });
    expect(breakGlassReviewScope(viewer(SOCIAL_CARE, ['PRACTITIONER']))).toBeNull();
  });
  it("records each agency's finding for that agency alone, and the front door's for social care", () => {
    expect(breakGlassFindings(viewer(POLICE, ['MANAGER']), session.notifiedAgencyIds)).toEqual({ frontDoor: false, agencyId: POLICE.id });
    expect(breakGlassFindings(viewer(SOCIAL_CARE, ['MANAGER']), session.notifiedAgencyIds)).toEqual({ frontDoor: true, agencyId: null });
    expect(breakGlassFindings(viewer(SOCIAL_CARE, ['MANAGER']), [SOCIAL_CARE.id])).toEqual({ frontDoor: true, agencyId: SOCIAL_CARE.id });
    expect(breakGlassFindings(viewer(POLICE, ['PRACTITIONER']), session.notifiedAgencyIds)).toBeNull();
  });
  it("reads an agency's finding in full for that agency and for the front door", () => {
    expect(mayReadBreakGlassFinding(viewer(POLICE, ['MANAGER']), POLICE.id)).toBe(true);
    expect(mayReadBreakGlassFinding(viewer(POLICE, ['MANAGER']), SCHOOL.id)).toBe(false);
    expect(mayReadBreakGlassFinding(viewer(SOCIAL_CARE, ['MANAGER']), SCHOOL.id)).toBe(true);
    expect(mayReadBreakGlassFinding(viewer(POLICE, ['PRACTITIONER']), POLICE.id)).toBe(false);
  });
});

describe('audit trail readers', () => {
  it.each([
    [HEALTH, ['DPO'], { kind: 'ALL' }],
    [HEALTH, ['MANAGER'], { kind: 'OTHERS_ON_OWN_RECORDS', agencyId: HEALTH.id, agencyCode: HEALTH.code }],
    [SOCIAL_CARE, ['MANAGER', 'DPO'], { kind: 'ALL' }],
    [HEALTH, ['PRACTITIONER'], null],
    [SOCIAL_CARE, ['MASH_RESEARCHER'], null],
    [POLICE, ['ADMIN'], null],
    [POLICE, ['INTEGRATION'], null],
  ] as const)('%p %p -> %p', (agency, roles, expected) => {
    expect(auditScope(viewer(agency, roles))).toEqual(expected);
  });
  it.each([[['DPO'], true], [['ADMIN'], true], [['MANAGER'], false], [['PRACTITIONER'], false]] as const)('%p verifies the chain: %s', (roles, expected) => {
    expect(mayVerifyAuditChain(viewer(POLICE, roles))).toBe(expected);
  });
});
