/**
 * decideRecord as a table: viewer, record, facts, expected visibility and grounds.
 * First the key cases spelled out, then every role x agency x ownership x sensitivity against
 * every state of every kind of fact, then the guard against unloaded facts.
 */
import type { AgencyKind, GroundKind, Role, Sensitivity } from '../domain/vocabulary';
import { decideRecord } from './decide';
import {
  at,
  basis,
  consent,
  facts,
  grant,
  HEALTH,
  NOW,
  OTHER_CHILD_ID,
  POLICE,
  record,
  SCHOOL,
  session,
  SOCIAL_CARE,
  viewer,
} from './test-support/builders';
import type { TestAgency } from './test-support/builders';
import { MissingFactError } from './types';
import type { ChildFacts, PolicyRecord, PolicyViewer } from './types';

type Expected = 'FULL' | 'FLAG' | 'HIDDEN';

interface Row {
  readonly name: string;
  readonly viewer: PolicyViewer;
  readonly record: PolicyRecord;
  readonly facts: ChildFacts;
  readonly visibility: Expected;
  /** `KIND:id`, in the order the policy must list them. */
  readonly grounds?: readonly string[];
  readonly reviewable?: boolean;
}

const policeOfficer = viewer(POLICE, ['PRACTITIONER']);
const nurse = viewer(HEALTH, ['PRACTITIONER']);
const policeIncident = record();
const restrictedIncident = record({ sensitivity: 'RESTRICTED' });
const schoolMentalHealth = record({ agencyId: SCHOOL.id, category: 'MENTAL_HEALTH', sensitivity: 'SENSITIVE' });
const policeHolds = facts({ agenciesHoldingRecords: [POLICE.id] });
const schoolHolds = facts({ agenciesHoldingRecords: [SCHOOL.id] });

const keyCases: readonly Row[] = [
  // OWNER
  { name: 'police officer reads own agency STANDARD record', viewer: policeOfficer, record: policeIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'], reviewable: false },
  { name: 'police officer reads own agency SENSITIVE record', viewer: policeOfficer, record: record({ sensitivity: 'SENSITIVE' }), facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'police officer who did not write a RESTRICTED record sees it only as a flag', viewer: policeOfficer, record: restrictedIncident, facts: policeHolds, visibility: 'FLAG' },
  { name: 'police officer who wrote the RESTRICTED record reads it', viewer: viewer(POLICE, ['PRACTITIONER'], 'author-1'), record: restrictedIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'police manager reads own agency RESTRICTED record', viewer: viewer(POLICE, ['MANAGER']), record: restrictedIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'police MASH researcher reads own agency RESTRICTED record', viewer: viewer(POLICE, ['MASH_RESEARCHER']), record: restrictedIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'owner sees own RESTRICTED record as a flag even if the holding list missed its agency', viewer: policeOfficer, record: restrictedIncident, facts: facts(), visibility: 'FLAG' },
  // No ground at all: the record does not exist for the viewer
  { name: 'nurse with no ground: record does not exist', viewer: nurse, record: policeIncident, facts: policeHolds, visibility: 'HIDDEN' },
  { name: 'nurse whose agency also holds records sees the police record as a flag', viewer: nurse, record: policeIncident, facts: facts({ agenciesHoldingRecords: [HEALTH.id, POLICE.id] }), visibility: 'FLAG' },
  // CONSENT
  { name: 'consent naming health for all STANDARD categories opens a police incident', viewer: nurse, record: policeIncident, facts: facts({ consents: [consent()] }), visibility: 'FULL', grounds: ['CONSENT:consent-1'] },
  { name: 'consent that does not list a SENSITIVE category leaves a flag', viewer: nurse, record: schoolMentalHealth, facts: facts({ consents: [consent()] }), visibility: 'FLAG' },
  { name: 'consent listing MENTAL_HEALTH opens a SENSITIVE mental health record', viewer: nurse, record: schoolMentalHealth, facts: facts({ consents: [consent({ categories: ['MENTAL_HEALTH'] })] }), visibility: 'FULL', grounds: ['CONSENT:consent-1'] },
  { name: 'consent never opens RESTRICTED, even when it lists the category', viewer: nurse, record: restrictedIncident, facts: facts({ consents: [consent({ categories: ['POLICE_INCIDENT'] })] }), visibility: 'FLAG' },
  { name: 'withdrawn consent counts for nothing', viewer: nurse, record: policeIncident, facts: facts({ consents: [consent({ withdrawnAt: at(-1) })] }), visibility: 'HIDDEN' },
  { name: 'consent naming the school gives health nothing', viewer: nurse, record: policeIncident, facts: facts({ consents: [consent({ recipientAgencyCodes: [SCHOOL.code] })] }), visibility: 'HIDDEN' },
  // LAWFUL_BASIS
  { name: 'a s47 basis for every partner agency opens STANDARD content', viewer: nurse, record: policeIncident, facts: facts({ lawfulBases: [basis()] }), visibility: 'FULL', grounds: ['LAWFUL_BASIS:basis-1'] },
  { name: 'a basis opens SENSITIVE content without listing categories', viewer: nurse, record: schoolMentalHealth, facts: facts({ lawfulBases: [basis()] }), visibility: 'FULL', grounds: ['LAWFUL_BASIS:basis-1'] },
  { name: 'a basis naming only the school gives health nothing', viewer: nurse, record: policeIncident, facts: facts({ lawfulBases: [basis({ recipientAgencyCodes: [SCHOOL.code] })] }), visibility: 'HIDDEN' },
  { name: 'a basis never opens RESTRICTED content', viewer: nurse, record: restrictedIncident, facts: facts({ lawfulBases: [basis()] }), visibility: 'FLAG' },
  { name: 'an ended basis counts for nothing', viewer: nurse, record: policeIncident, facts: facts({ lawfulBases: [basis({ endedAt: at(-2) })] }), visibility: 'HIDDEN' },
  // GRANT
  { name: 'the owner’s release opens a RESTRICTED record to health', viewer: nurse, record: restrictedIncident, facts: facts({ grants: [grant()] }), visibility: 'FULL', grounds: ['GRANT:grant-1'] },
  { name: 'a grant over another record leaves this one a flag', viewer: nurse, record: restrictedIncident, facts: facts({ grants: [grant({ recordId: 'record-9' })] }), visibility: 'FLAG' },
  { name: 'an expired grant counts for nothing', viewer: nurse, record: restrictedIncident, facts: facts({ grants: [grant({ expiresAt: at(-1) })] }), visibility: 'HIDDEN' },
  // BREAK_GLASS
  { name: 'break-glass alone opens the record and marks the read for review', viewer: nurse, record: policeIncident, facts: facts({ breakGlass: [session()] }), visibility: 'FULL', grounds: ['BREAK_GLASS:session-1'], reviewable: true },
  { name: 'break-glass alongside consent is not for review', viewer: nurse, record: policeIncident, facts: facts({ consents: [consent()], breakGlass: [session()] }), visibility: 'FULL', grounds: ['CONSENT:consent-1', 'BREAK_GLASS:session-1'], reviewable: false },
  { name: 'break-glass never opens RESTRICTED content', viewer: nurse, record: restrictedIncident, facts: facts({ breakGlass: [session()] }), visibility: 'FLAG' },
  { name: 'someone else’s break-glass gives this viewer nothing', viewer: nurse, record: policeIncident, facts: facts({ breakGlass: [session({ viewerSub: 'user-2' })] }), visibility: 'HIDDEN' },
  // Open enquiry: a reason to know information is held, for front-door staff only
  { name: 'MASH researcher with an open enquiry sees the record as a flag', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), record: policeIncident, facts: facts({ openEnquiryIds: ['enquiry-1'], agenciesHoldingRecords: [POLICE.id] }), visibility: 'FLAG' },
  { name: 'social care manager with an open enquiry sees the record as a flag', viewer: viewer(SOCIAL_CARE, ['MANAGER']), record: policeIncident, facts: facts({ openEnquiryIds: ['enquiry-1'] }), visibility: 'FLAG' },
  { name: 'health manager with an open enquiry sees nothing', viewer: viewer(HEALTH, ['MANAGER']), record: policeIncident, facts: facts({ openEnquiryIds: ['enquiry-1'] }), visibility: 'HIDDEN' },
  { name: 'social care practitioner with an open enquiry sees nothing', viewer: viewer(SOCIAL_CARE, ['PRACTITIONER']), record: policeIncident, facts: facts({ openEnquiryIds: ['enquiry-1'] }), visibility: 'HIDDEN' },
  { name: 'MASH researcher with no open enquiry sees nothing', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), record: policeIncident, facts: policeHolds, visibility: 'HIDDEN' },
  // Every ground is listed, in a fixed order, once
  {
    name: 'every applicable ground is listed: kinds in order, ids sorted, duplicates once',
    viewer: policeOfficer,
    record: policeIncident,
    facts: facts({
      agenciesHoldingRecords: [POLICE.id],
      consents: [consent({ id: 'consent-b', recipientAgencyCodes: ['NPOL'] }), consent({ id: 'consent-a', recipientAgencyCodes: ['NPOL'] }), consent({ id: 'consent-a', recipientAgencyCodes: ['NPOL'] })],
      lawfulBases: [basis()],
      grants: [grant({ agencyId: POLICE.id })],
      breakGlass: [session()],
    }),
    visibility: 'FULL',
    grounds: ['OWNER:agency-npol', 'CONSENT:consent-a', 'CONSENT:consent-b', 'LAWFUL_BASIS:basis-1', 'GRANT:grant-1', 'BREAK_GLASS:session-1'],
    reviewable: false,
  },
  // Roles narrow
  { name: 'DPO never sees record content, not even its own agency’s', viewer: viewer(POLICE, ['DPO']), record: policeIncident, facts: policeHolds, visibility: 'HIDDEN' },
  { name: 'ADMIN never sees record content, even with consent', viewer: viewer(HEALTH, ['ADMIN']), record: policeIncident, facts: facts({ consents: [consent()] }), visibility: 'HIDDEN' },
  { name: 'a viewer with no roles sees nothing', viewer: viewer(POLICE, []), record: policeIncident, facts: policeHolds, visibility: 'HIDDEN' },
  { name: 'INTEGRATION reads back its own agency’s record', viewer: viewer(POLICE, ['INTEGRATION']), record: policeIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'INTEGRATION reads nothing of another agency, consent or not', viewer: viewer(HEALTH, ['INTEGRATION']), record: policeIncident, facts: facts({ consents: [consent()], agenciesHoldingRecords: [HEALTH.id, POLICE.id] }), visibility: 'HIDDEN' },
  { name: 'INTEGRATION does not read a RESTRICTED record someone else submitted', viewer: viewer(POLICE, ['INTEGRATION'], 'svc-rms'), record: restrictedIncident, facts: policeHolds, visibility: 'HIDDEN' },
  { name: 'INTEGRATION reads back the RESTRICTED record it submitted', viewer: viewer(POLICE, ['INTEGRATION'], 'author-1'), record: restrictedIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'roles add up: a DPO who is also a practitioner reads as a practitioner', viewer: viewer(POLICE, ['DPO', 'PRACTITIONER']), record: policeIncident, facts: policeHolds, visibility: 'FULL', grounds: ['OWNER:agency-npol'] },
  { name: 'a school record with the school holding it is hidden from a nurse without a ground', viewer: nurse, record: schoolMentalHealth, facts: schoolHolds, visibility: 'HIDDEN' },
];

function check(row: Row): void {
  const decision = decideRecord(row.viewer, row.record, row.facts, NOW);
  expect(decision.visibility).toBe(row.visibility);
  expect(decision.grounds.map((g) => `${g.kind}:${g.id}`)).toEqual(row.grounds ?? []);
  expect(decision.reviewable).toBe(row.reviewable ?? false);
  expect(decision.reason).toMatch(/\w/);
}

describe('decideRecord: key cases', () => {
  it.each(keyCases)('$name', check);
});

/*
 * The cross-product. Each fact state says, independently of the implementation, which record
 * sensitivities it opens (its ground kind then applies) and whether it gives a ground for the child.
 * The viewer's agency is POLICE or SOCIAL_CARE; "another agency" is HEALTH; a fact naming
 * "someone else" names the SCHOOL.
 */
interface FactState {
  readonly name: string;
  readonly build: (v: PolicyViewer, r: PolicyRecord) => Partial<ChildFacts>;
  readonly opens: readonly Sensitivity[];
  readonly kind?: GroundKind;
  readonly childGround: boolean;
  /** A ground for the child only for MASH staff (the open enquiry). */
  readonly mashOnly?: boolean;
}

const STANDARD_ONLY: readonly Sensitivity[] = ['STANDARD'];
const NOT_RESTRICTED: readonly Sensitivity[] = ['STANDARD', 'SENSITIVE'];
const ALL: readonly Sensitivity[] = ['STANDARD', 'SENSITIVE', 'RESTRICTED'];
const NONE: readonly Sensitivity[] = [];

const consentTo = (v: PolicyViewer, o: Parameters<typeof consent>[0]): Partial<ChildFacts> => ({
  consents: [consent({ recipientAgencyCodes: [v.agencyCode], ...o })],
});
const basisTo = (v: PolicyViewer, o: Parameters<typeof basis>[0]): Partial<ChildFacts> => ({
  lawfulBases: [basis({ recipientAgencyCodes: [v.agencyCode], ...o })],
});
const grantTo = (v: PolicyViewer, r: PolicyRecord, o: Parameters<typeof grant>[0]): Partial<ChildFacts> => ({
  grants: [grant({ agencyId: v.agencyId, recordId: r.id, ...o })],
});
const sessionOf = (v: PolicyViewer, o: Parameters<typeof session>[0]): Partial<ChildFacts> => ({
  breakGlass: [session({ viewerSub: v.sub, ...o })],
});

const factStates: readonly FactState[] = [
  { name: 'no facts', build: () => ({}), opens: NONE, childGround: false },
  { name: 'consent active, all STANDARD categories', build: (v) => consentTo(v, {}), opens: STANDARD_ONLY, kind: 'CONSENT', childGround: true },
  { name: 'consent active, lists the record category', build: (v, r) => consentTo(v, { categories: [r.category] }), opens: NOT_RESTRICTED, kind: 'CONSENT', childGround: true },
  { name: 'consent active, category not listed', build: (v) => consentTo(v, { categories: ['HOUSING'] }), opens: NONE, childGround: true },
  { name: 'consent given exactly now', build: (v) => consentTo(v, { givenAt: NOW }), opens: STANDARD_ONLY, kind: 'CONSENT', childGround: true },
  { name: 'consent with a withdrawal still to come', build: (v) => consentTo(v, { withdrawnAt: at(1) }), opens: STANDARD_ONLY, kind: 'CONSENT', childGround: true },
  { name: 'consent expired', build: (v) => consentTo(v, { expiresAt: at(-1) }), opens: NONE, childGround: false },
  { name: 'consent expiring exactly now', build: (v) => consentTo(v, { expiresAt: NOW }), opens: NONE, childGround: false },
  { name: 'consent withdrawn', build: (v) => consentTo(v, { withdrawnAt: at(-1) }), opens: NONE, childGround: false },
  { name: 'consent withdrawn exactly now', build: (v) => consentTo(v, { withdrawnAt: NOW }), opens: NONE, childGround: false },
  { name: 'consent not yet given', build: (v) => consentTo(v, { givenAt: at(1) }), opens: NONE, childGround: false },
  { name: 'consent naming someone else', build: () => ({ consents: [consent({ recipientAgencyCodes: [SCHOOL.code] })] }), opens: NONE, childGround: false },
  { name: 'consent about another child', build: (v) => consentTo(v, { childId: OTHER_CHILD_ID }), opens: NONE, childGround: false },
  { name: 'basis active naming the viewer', build: (v) => basisTo(v, {}), opens: NOT_RESTRICTED, kind: 'LAWFUL_BASIS', childGround: true },
  { name: 'basis active for every partner', build: () => ({ lawfulBases: [basis({ recipientAgencyCodes: null })] }), opens: NOT_RESTRICTED, kind: 'LAWFUL_BASIS', childGround: true },
  { name: 'basis ended early', build: (v) => basisTo(v, { endedAt: at(-1) }), opens: NONE, childGround: false },
  { name: 'basis ended exactly now', build: (v) => basisTo(v, { endedAt: NOW }), opens: NONE, childGround: false },
  { name: 'basis past its end date', build: (v) => basisTo(v, { endsAt: at(-1) }), opens: NONE, childGround: false },
  { name: 'basis not yet started', build: (v) => basisTo(v, { startsAt: at(1) }), opens: NONE, childGround: false },
  { name: 'basis naming someone else', build: () => ({ lawfulBases: [basis({ recipientAgencyCodes: [SCHOOL.code] })] }), opens: NONE, childGround: false },
  { name: 'grant active', build: (v, r) => grantTo(v, r, {}), opens: ALL, kind: 'GRANT', childGround: true },
  { name: 'grant expired', build: (v, r) => grantTo(v, r, { expiresAt: at(-1) }), opens: NONE, childGround: false },
  { name: 'grant expiring exactly now', build: (v, r) => grantTo(v, r, { expiresAt: NOW }), opens: NONE, childGround: false },
  { name: 'grant not yet approved', build: (v, r) => grantTo(v, r, { approvedAt: at(1) }), opens: NONE, childGround: false },
  { name: 'grant to someone else', build: (v, r) => grantTo(v, r, { agencyId: SCHOOL.id }), opens: NONE, childGround: false },
  { name: 'grant over another record', build: (v, r) => grantTo(v, r, { recordId: 'record-9' }), opens: NONE, childGround: true },
  { name: 'own break-glass active', build: (v) => sessionOf(v, {}), opens: NOT_RESTRICTED, kind: 'BREAK_GLASS', childGround: true },
  { name: 'own break-glass expired', build: (v) => sessionOf(v, { startedAt: at(-2), expiresAt: at(-1) }), opens: NONE, childGround: false },
  { name: 'own break-glass for another child', build: (v) => sessionOf(v, { childId: OTHER_CHILD_ID }), opens: NONE, childGround: false },
  { name: 'someone else’s break-glass', build: () => ({ breakGlass: [session({ viewerSub: 'user-2' })] }), opens: NONE, childGround: false },
  { name: 'open enquiry', build: () => ({ openEnquiryIds: ['enquiry-1'] }), opens: NONE, childGround: false, mashOnly: true },
];

const roleSets: readonly (readonly Role[])[] = [
  ['PRACTITIONER'],
  ['MASH_RESEARCHER'],
  ['MANAGER'],
  ['DPO'],
  ['INTEGRATION'],
  ['ADMIN'],
  ['DPO', 'ADMIN'],
  ['INTEGRATION', 'PRACTITIONER'],
];
const viewerAgencies: readonly TestAgency[] = [POLICE, SOCIAL_CARE];
const ownerships = ['own agency, viewer wrote it', 'own agency, someone else wrote it', 'another agency'] as const;
type Ownership = (typeof ownerships)[number];
const sensitivities: readonly Sensitivity[] = ['STANDARD', 'SENSITIVE', 'RESTRICTED'];
const CATEGORY_BY_SENSITIVITY = { STANDARD: 'ATTENDANCE', SENSITIVE: 'MENTAL_HEALTH', RESTRICTED: 'POLICE_INCIDENT' } as const;

interface Expectation {
  readonly visibility: Expected;
  readonly kinds: readonly GroundKind[];
}

/** The rules of DESIGN.md section 3, restated for one fact state at a time. */
function expectedFor(roles: readonly Role[], agencyKind: AgencyKind, ownership: Ownership, s: Sensitivity, state: FactState): Expectation {
  const reader = roles.some((r) => r === 'PRACTITIONER' || r === 'MASH_RESEARCHER' || r === 'MANAGER');
  const hidden: Expectation = { visibility: 'HIDDEN', kinds: [] };
  if (!reader && !roles.includes('INTEGRATION')) return hidden;
  const owner = ownership !== 'another agency';
  const ownerOpens =
    owner && (s !== 'RESTRICTED' || roles.includes('MANAGER') || roles.includes('MASH_RESEARCHER') || ownership === 'own agency, viewer wrote it');
  if (!reader) return ownerOpens ? { visibility: 'FULL', kinds: ['OWNER'] } : hidden;
  const kinds: GroundKind[] = [];
  if (ownerOpens) kinds.push('OWNER');
  if (state.kind && state.opens.includes(s)) kinds.push(state.kind);
  if (kinds.length > 0) return { visibility: 'FULL', kinds };
  const mashStaff = roles.includes('MASH_RESEARCHER') || (roles.includes('MANAGER') && agencyKind === 'SOCIAL_CARE');
  return owner || state.childGround || (state.mashOnly === true && mashStaff) ? { visibility: 'FLAG', kinds: [] } : hidden;
}

interface CrossRow {
  readonly title: string;
  readonly viewer: PolicyViewer;
  readonly record: PolicyRecord;
  readonly facts: ChildFacts;
  readonly expected: Expectation;
}

const crossRows: CrossRow[] = roleSets.flatMap((roles) =>
  viewerAgencies.flatMap((agency) =>
    ownerships.flatMap((ownership) =>
      sensitivities.flatMap((sensitivity) =>
        factStates.map((state): CrossRow => {
          const v = viewer(agency, roles, 'user-1');
          const ownerAgency = ownership === 'another agency' ? HEALTH : agency;
          const r = record({
            agencyId: ownerAgency.id,
            sensitivity,
            category: CATEGORY_BY_SENSITIVITY[sensitivity],
            authorSub: ownership === 'own agency, viewer wrote it' ? v.sub : 'author-1',
          });
          return {
            title: `${roles.join('+')} of ${agency.kind} | ${ownership} | ${sensitivity} | ${state.name}`,
            viewer: v,
            record: r,
            facts: facts({ agenciesHoldingRecords: [ownerAgency.id], ...state.build(v, r) }),
            expected: expectedFor(roles, agency.kind, ownership, sensitivity, state),
          };
        }),
      ),
    ),
  ),
);

describe('decideRecord: every role, ownership and sensitivity against every fact state', () => {
  it.each(crossRows)('$title', ({ viewer: v, record: r, facts: f, expected }) => {
    const decision = decideRecord(v, r, f, NOW);
    expect(decision.visibility).toBe(expected.visibility);
    expect(decision.grounds.map((g) => g.kind)).toEqual(expected.kinds);
    expect(decision.reviewable).toBe(expected.kinds.length > 0 && expected.kinds.every((k) => k === 'BREAK_GLASS'));
  });

  it('covers each outcome many times over', () => {
    const count = (vis: Expected): number => crossRows.filter((row) => row.expected.visibility === vis).length;
    expect([count('FULL'), count('FLAG'), count('HIDDEN')].every((n) => n > 100)).toBe(true);
  });
});

describe('decideRecord: facts must be loaded first', () => {
  const missing: readonly [string, ChildFacts | null | undefined, Date][] = [
    ['facts undefined', undefined, NOW],
    ['facts null', null, NOW],
    ['facts for another child', facts({ childId: OTHER_CHILD_ID }), NOW],
    ['an invalid date for now', policeHolds, new Date('not a date')],
    ['a string for now', policeHolds, '2025-03-10' as unknown as Date],
  ];
  it.each(missing)('throws MissingFactError for %s', (_name, f, now) => {
    expect(() => decideRecord(policeOfficer, policeIncident, f, now)).toThrow(MissingFactError);
  });

  it('throws before looking at roles, so a viewer who could see nothing still exposes the bug', () => {
    expect(() => decideRecord(viewer(POLICE, ['ADMIN']), policeIncident, undefined, NOW)).toThrow(MissingFactError);
  });
});
