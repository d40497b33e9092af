/**
 * Generated safeguarding scenarios for the property tests: a small world of children, records and
 * sharing facts, described by indices (so fast-check can shrink it), written straight into the
 * hub's database with the factories, and turned back into the policy's facts for comparison.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ROLES, SENSITIVITIES } from '../../src/domain/vocabulary';
import type { RecordCategory, Role, Sensitivity } from '../../src/domain/vocabulary';
import type { ChildFacts, ConsentFact, LawfulBasisFact, PolicyChild, PolicyRecord, PolicyViewer } from '../../src/policy';
import {
  createBreakGlass,
  createChild,
  createConsent,
  createGrant,
  createLawfulBasis,
  createOpenEnquiry,
  createRecords,
  type AgencyRow,
  type RecordFactory,
} from '../factories';
import type { Hub } from '../support/harness';

/** STANDARD and special-category (SENSITIVE by default) categories from every agency. */
export const CATEGORIES: readonly RecordCategory[] = ['POLICE_INCIDENT', 'ATTENDANCE', 'HEALTH_CONTACT', 'MENTAL_HEALTH', 'SEXUAL_HEALTH'];
export const VIEWER_SUB = 'viewer-under-test';
const OTHER_SUB = 'someone-else';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Every boundary sits hours from the request time, so the answer cannot flip mid-request. */
type Window = 'ACTIVE' | 'OPEN_ENDED' | 'EXPIRED' | 'WITHDRAWN' | 'NOT_YET';
type GrantState = 'ACTIVE' | 'EXPIRED' | 'PENDING' | 'DECLINED';

export interface ScenarioSpec {
  children: Array<{ shielded: boolean; addressConfidential: boolean; addressRecordedBy: number | null; hasAddress: boolean }>;
  records: Array<{ child: number; owner: number; category: RecordCategory; sensitivity: Sensitivity; byViewer: boolean }>;
  consents: Array<{ child: number; recipients: number[]; categories: RecordCategory[]; window: Window }>;
  bases: Array<{ child: number; recipients: number[] | null; window: Window }>;
  grants: Array<{ record: number; requester: number; state: GrantState }>;
  sessions: Array<{ child: number; own: boolean; active: boolean }>;
  enquiry: number[] | null;
  viewer: { agency: number; roles: Role[]; sub: 'VIEWER' | 'AUTHOR' };
}

const agencyIndex = fc.integer({ min: 0, max: 3 });
const window = fc.constantFrom<Window>('ACTIVE', 'OPEN_ENDED', 'EXPIRED', 'WITHDRAWN', 'NOT_YET');

export const scenarioArb: fc.Arbitrary<ScenarioSpec> = fc
  .integer({ min: 1, max: 2 })
  .chain((childCount) => {
    const child = fc.integer({ min: 0, max: childCount - 1 });
    return fc.record({
      children: fc.array(
        fc.record({
          shielded: fc.boolean(),
          addressConfidential: fc.boolean(),
          addressRecordedBy: fc.option(agencyIndex, { nil: null }),
          hasAddress: fc.constantFrom(true, true, true, false),
        }),
        { minLength: childCount, maxLength: childCount },
      ),
      records: fc.array(
        fc.record({ child, owner: agencyIndex, category: fc.constantFrom(...CATEGORIES), sensitivity: fc.constantFrom(...SENSITIVITIES), byViewer: fc.boolean() }),
        { maxLength: 6 },
      ),
      consents: fc.array(
        fc.record({ child, recipients: fc.uniqueArray(agencyIndex, { minLength: 1, maxLength: 3 }), categories: fc.subarray([...CATEGORIES]), window }),
        { maxLength: 3 },
      ),
      bases: fc.array(fc.record({ child, recipients: fc.option(fc.uniqueArray(agencyIndex, { maxLength: 3 }), { nil: null }), window }), { maxLength: 2 }),
      grants: fc.array(
        fc.record({ record: fc.nat(5), requester: agencyIndex, state: fc.constantFrom<GrantState>('ACTIVE', 'ACTIVE', 'EXPIRED', 'PENDING', 'DECLINED') }),
        { maxLength: 2 },
      ),
      sessions: fc.array(fc.record({ child, own: fc.boolean(), active: fc.boolean() }), { maxLength: 2 }),
      enquiry: fc.option(fc.uniqueArray(child, { minLength: 1, maxLength: childCount }), { nil: null }),
      viewer: fc.record({
        agency: agencyIndex,
        // Reading roles are weighted up; DPO, ADMIN and INTEGRATION still come often enough.
        roles: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom<Role[]>(['PRACTITIONER'], ['MASH_RESEARCHER'], ['MANAGER']) },
          { weight: 2, arbitrary: fc.subarray([...ROLES], { minLength: 1 }) },
        ),
        sub: fc.constantFrom<'VIEWER' | 'AUTHOR'>('VIEWER', 'AUTHOR'),
      }),
    });
  });

/** What was written for one scenario, in the policy's own terms. */
export interface Scenario {
  readonly familyName: string;
  readonly viewer: PolicyViewer;
  readonly children: Array<PolicyChild & { dateOfBirth: string; nhsNumber: string | null; address: string | null }>;
  readonly records: Array<PolicyRecord & { agencyCode: string; sourceRef: string; summary: string; detail: string | null }>;
  readonly facts: Map<string, ChildFacts>;
}

/** Start and ends of a time-boxed fact in the given state, relative to `now`. */
function timesOf(state: Window, now: number): { start: Date; end: Date | null; stopped: Date | null } {
  switch (state) {
    case 'ACTIVE':
      return { start: new Date(now - 2 * DAY), end: new Date(now + 2 * DAY), stopped: null };
    case 'OPEN_ENDED':
      return { start: new Date(now - 2 * DAY), end: null, stopped: null };
    case 'EXPIRED':
      return { start: new Date(now - 10 * DAY), end: new Date(now - 2 * DAY), stopped: null };
    case 'WITHDRAWN':
      return { start: new Date(now - 10 * DAY), end: null, stopped: new Date(now - DAY) };
    case 'NOT_YET':
      return { start: new Date(now + 2 * DAY), end: null, stopped: null };
  }
}

const letters = (n: number): string =>
  [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

/** Writes a fresh set of rows for the scenario and returns the facts the policy should decide on. */
export async function materialise(hub: Hub, agencies: readonly AgencyRow[], spec: ScenarioSpec): Promise<Scenario> {
  const now = Date.now();
  // A random surname, so a search finds this scenario's children and nobody else's.
  const familyName = `Q${letters(11)}`;
  const viewerAgency = agencies[spec.viewer.agency];
  const authorSub = spec.viewer.sub === 'AUTHOR' ? 'record-author' : 'another-author';
  const viewerSub = spec.viewer.sub === 'AUTHOR' ? 'record-author' : VIEWER_SUB;

  const children: Scenario['children'] = [];
  for (const c of spec.children) {
    const recordedBy = c.addressRecordedBy === null ? null : agencies[c.addressRecordedBy].id;
    const row = await createChild(hub, {
      familyName,
      shielded: c.shielded,
      addressConfidential: c.addressConfidential && c.hasAddress,
      addressRecordedByAgencyId: recordedBy,
      ...(c.hasAddress ? {} : { address: null, postcode: null }),
    });
    children.push({ ...row, addressRecordedByAgencyId: recordedBy });
  }

  const records: RecordFactory[] = spec.records.map((r, i) => ({
    id: randomUUID(),
    agencyId: agencies[r.owner].id,
    childId: children[r.child].id,
    sourceRef: `PROP-${randomUUID()}`,
    category: r.category,
    sensitivity: r.sensitivity,
    occurredAt: new Date(now - (i + 1) * DAY),
    summary: `Summary ${i} ${letters(6)}`,
    detail: i % 3 === 2 ? null : `Detail ${i} ${letters(6)}`,
    authorSub: r.byViewer ? viewerSub : authorSub,
  }));
  await createRecords(hub, records);

  const facts = new Map<string, ChildFacts>(
    children.map((c) => [c.id, {
      childId: c.id, consents: [], lawfulBases: [], grants: [], breakGlass: [], openEnquiryIds: [],
      agenciesHoldingRecords: [...new Set(records.filter((r) => r.childId === c.id).map((r) => r.agencyId))],
    }]),
  );
  const factsOf = (childId: string) => facts.get(childId) as { -readonly [K in keyof ChildFacts]: ChildFacts[K] };
  const social = agencies.find((a) => a.kind === 'SOCIAL_CARE') ?? agencies[0];

  for (const k of spec.consents) {
    const childId = children[k.child].id;
    const t = timesOf(k.window, now);
    const recipientAgencyCodes = k.recipients.map((i) => agencies[i].code);
    const { id } = await createConsent(hub, { childId, recordedByAgencyId: social.id, recipientAgencyCodes },
      { categories: k.categories, givenAt: t.start, expiresAt: t.end, withdrawnAt: t.stopped });
    const fact: ConsentFact = { id, childId, recipientAgencyCodes, categories: k.categories, givenAt: t.start, expiresAt: t.end, withdrawnAt: t.stopped };
    factsOf(childId).consents = [...factsOf(childId).consents, fact];
  }
  for (const b of spec.bases) {
    const childId = children[b.child].id;
    const t = timesOf(b.window, now);
    const recipientAgencyCodes = b.recipients === null ? null : b.recipients.map((i) => agencies[i].code);
    const { id } = await createLawfulBasis(hub, { childId, recordedByAgencyId: social.id },
      { recipientAgencyCodes, startsAt: t.start, endsAt: t.end, endedAt: t.stopped });
    const fact: LawfulBasisFact = { id, childId, kind: 'SECTION_47_ENQUIRY', recipientAgencyCodes, startsAt: t.start, endsAt: t.end, endedAt: t.stopped };
    factsOf(childId).lawfulBases = [...factsOf(childId).lawfulBases, fact];
  }
  for (const g of spec.grants) {
    const record = records[g.record];
    if (!record) continue;
    const approved = g.state === 'ACTIVE' || g.state === 'EXPIRED';
    const expiresAt = new Date(g.state === 'EXPIRED' ? now - HOUR : now + DAY);
    const { id } = await createGrant(hub,
      { recordId: record.id, childId: record.childId, ownerAgencyId: record.agencyId, requesterAgencyId: agencies[g.requester].id },
      { status: approved ? 'APPROVED' : g.state === 'PENDING' ? 'PENDING' : 'DECLINED', expiresAt });
    if (!approved) continue;
    // The factory approves a minute before the insert; any time well before the request decides alike.
    const fact = { id, recordId: record.id, agencyId: agencies[g.requester].id, approvedAt: new Date(now - 60_000), expiresAt };
    factsOf(record.childId).grants = [...factsOf(record.childId).grants, fact];
  }
  for (const s of spec.sessions) {
    const childId = children[s.child].id;
    const startedAt = new Date(s.active ? now - 10 * 60_000 : now - 3 * HOUR);
    const expiresAt = new Date(startedAt.getTime() + HOUR);
    const sub = s.own ? viewerSub : OTHER_SUB;
    const { id } = await createBreakGlass(hub, { childId, viewerSub: sub, viewerAgencyId: viewerAgency.id }, { startedAt, expiresAt });
    factsOf(childId).breakGlass = [...factsOf(childId).breakGlass, { id, childId, viewerSub: sub, startedAt, expiresAt }];
  }
  if (spec.enquiry) {
    const childIds = spec.enquiry.map((i) => children[i].id);
    const { id } = await createOpenEnquiry(hub, { childIds, openedByAgencyId: social.id });
    for (const childId of childIds) factsOf(childId).openEnquiryIds = [...factsOf(childId).openEnquiryIds, id];
  }

  return {
    familyName,
    viewer: { sub: viewerSub, agencyId: viewerAgency.id, agencyCode: viewerAgency.code, agencyKind: viewerAgency.kind, roles: spec.viewer.roles },
    children,
    records: records.map((r) => ({ ...r, agencyCode: agencies.find((a) => a.id === r.agencyId)?.code ?? '?' })),
    facts,
  };
}
