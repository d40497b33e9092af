/**
 * Properties of the policy over generated viewers, records and facts (fast-check). The tables
 * pin individual rules; these check what must hold whatever the combination.
 */
import fc from 'fast-check';
import { GROUND_KINDS, ROLES, SENSITIVITIES } from '../domain/vocabulary';
import type { Role } from '../domain/vocabulary';
import { decideChild, decideRecord, decideRecordsOfChild } from './decide';
import { AGENCIES, at, CHILD_ID, NOW, OTHER_CHILD_ID } from './test-support/builders';
import type {
  BreakGlassFact,
  ChildFacts,
  ConsentFact,
  GrantFact,
  LawfulBasisFact,
  PolicyChild,
  PolicyRecord,
  PolicyViewer,
  RecordDecision,
} from './types';

const RUNS = { numRuns: 1000 };
const SUBS = ['user-1', 'user-2', 'author-1'];
const RECORD_IDS = ['record-1', 'record-2'];
const CATEGORIES = ['ATTENDANCE', 'MENTAL_HEALTH', 'POLICE_INCIDENT'] as const;
const READING: readonly Role[] = ['PRACTITIONER', 'MASH_RESEARCHER', 'MANAGER'];

const time = fc.constantFrom(-48, -1, 0, 1, 48).map(at);
const maybeTime = fc.option(time, { nil: null });
const childId = fc.constantFrom(CHILD_ID, CHILD_ID, OTHER_CHILD_ID);
const agency = fc.constantFrom(...AGENCIES);
const codes = fc.subarray(AGENCIES.map((a) => a.code));

const viewerArb: fc.Arbitrary<PolicyViewer> = fc
  .record({ agency, roles: fc.subarray([...ROLES]), sub: fc.constantFrom(...SUBS) })
  .map(({ agency: a, roles, sub }) => ({ sub, agencyId: a.id, agencyCode: a.code, agencyKind: a.kind, roles }));

const recordArb: fc.Arbitrary<PolicyRecord> = fc.record({
  id: fc.constantFrom(...RECORD_IDS),
  childId: fc.constant(CHILD_ID),
  agencyId: agency.map((a) => a.id),
  category: fc.constantFrom(...CATEGORIES),
  sensitivity: fc.constantFrom(...SENSITIVITIES),
  authorSub: fc.constantFrom(...SUBS),
});

const childArb: fc.Arbitrary<PolicyChild> = fc.record({
  id: fc.constant(CHILD_ID),
  shielded: fc.boolean(),
  addressConfidential: fc.boolean(),
  addressRecordedByAgencyId: fc.option(agency.map((a) => a.id), { nil: null }),
});

const consentArb: fc.Arbitrary<ConsentFact> = fc.record({
  id: fc.constantFrom('consent-1', 'consent-2', 'consent-3'),
  childId,
  recipientAgencyCodes: codes,
  categories: fc.subarray([...CATEGORIES]),
  givenAt: time,
  expiresAt: maybeTime,
  withdrawnAt: maybeTime,
});

const basisArb: fc.Arbitrary<LawfulBasisFact> = fc.record({
  id: fc.constantFrom('basis-1', 'basis-2'),
  childId,
  kind: fc.constant('SECTION_47_ENQUIRY'),
  recipientAgencyCodes: fc.option(codes, { nil: null }),
  startsAt: time,
  endsAt: maybeTime,
  endedAt: maybeTime,
});

const grantArb: fc.Arbitrary<GrantFact> = fc.record({
  id: fc.constantFrom('grant-1', 'grant-2'),
  recordId: fc.constantFrom(...RECORD_IDS),
  agencyId: agency.map((a) => a.id),
  approvedAt: time,
  expiresAt: time,
});

const sessionArb: fc.Arbitrary<BreakGlassFact> = fc.record({
  id: fc.constantFrom('session-1', 'session-2'),
  childId,
  viewerSub: fc.constantFrom(...SUBS),
  startedAt: time,
  expiresAt: time,
});

const factsArb: fc.Arbitrary<ChildFacts> = fc.record({
  childId: fc.constant(CHILD_ID),
  consents: fc.array(consentArb, { maxLength: 3 }),
  lawfulBases: fc.array(basisArb, { maxLength: 2 }),
  grants: fc.array(grantArb, { maxLength: 2 }),
  breakGlass: fc.array(sessionArb, { maxLength: 2 }),
  openEnquiryIds: fc.subarray(['enquiry-1']),
  agenciesHoldingRecords: fc.subarray(AGENCIES.map((a) => a.id)),
});

/** Facts as the access layer builds them: the record's owner is among the holders. */
function holding(facts: ChildFacts, record: PolicyRecord): ChildFacts {
  return { ...facts, agenciesHoldingRecords: [...new Set([...facts.agenciesHoldingRecords, record.agencyId])] };
}

function union(a: ChildFacts, b: ChildFacts): ChildFacts {
  return {
    childId: a.childId,
    consents: [...a.consents, ...b.consents],
    lawfulBases: [...a.lawfulBases, ...b.lawfulBases],
    grants: [...a.grants, ...b.grants],
    breakGlass: [...a.breakGlass, ...b.breakGlass],
    openEnquiryIds: [...a.openEnquiryIds, ...b.openEnquiryIds],
    agenciesHoldingRecords: [...a.agenciesHoldingRecords, ...b.agenciesHoldingRecords],
  };
}

function reversed(f: ChildFacts): ChildFacts {
  return {
    childId: f.childId,
    consents: [...f.consents].reverse(),
    lawfulBases: [...f.lawfulBases].reverse(),
    grants: [...f.grants].reverse(),
    breakGlass: [...f.breakGlass].reverse(),
    openEnquiryIds: [...f.openEnquiryIds].reverse(),
    agenciesHoldingRecords: [...f.agenciesHoldingRecords].reverse(),
  };
}

const recordRank = (d: RecordDecision): number => ['HIDDEN', 'FLAG', 'FULL'].indexOf(d.visibility);
const childRank = (view: string): number => ['HIDDEN', 'NAME_AGE_GENDER', 'FULL'].indexOf(view);
const reads = (v: PolicyViewer): boolean => v.roles.some((r) => READING.includes(r));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('decideRecord properties', () => {
  it('FLAG and HIDDEN carry no grounds; FULL carries ordered, distinct grounds; review means break-glass only', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, factsArb, (v, r, f) => {
        const d = decideRecord(v, r, f, NOW);
        if (d.visibility !== 'FULL') return d.grounds.length === 0 && !d.reviewable;
        const keys = d.grounds.map((g) => `${GROUND_KINDS.indexOf(g.kind)}:${g.id}`);
        const sorted = [...d.grounds].sort((a, b) => GROUND_KINDS.indexOf(a.kind) - GROUND_KINDS.indexOf(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        return (
          d.grounds.length > 0 &&
          new Set(keys).size === keys.length &&
          JSON.stringify(sorted) === JSON.stringify(d.grounds) &&
          d.reviewable === d.grounds.every((g) => g.kind === 'BREAK_GLASS')
        );
      }),
      RUNS,
    );
  });

  it('every ground names a fact that is really there and in force', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, factsArb, (v, r, f) =>
        decideRecord(v, r, f, NOW).grounds.every((g) => {
          switch (g.kind) {
            case 'OWNER':
              return g.id === v.agencyId && r.agencyId === v.agencyId;
            case 'CONSENT':
              return f.consents.some((c) => c.id === g.id && c.recipientAgencyCodes.includes(v.agencyCode));
            case 'LAWFUL_BASIS':
              return f.lawfulBases.some((b) => b.id === g.id);
            case 'GRANT':
              return f.grants.some((x) => x.id === g.id && x.recordId === r.id && x.agencyId === v.agencyId);
            case 'BREAK_GLASS':
              return f.breakGlass.some((s) => s.id === g.id && s.viewerSub === v.sub && s.childId === CHILD_ID && s.expiresAt > NOW);
          }
        }),
      ),
      RUNS,
    );
  });

  it('a RESTRICTED record is FULL only for the owner or through a grant', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, factsArb, (v, r, f) => {
        const d = decideRecord(v, { ...r, sensitivity: 'RESTRICTED' }, f, NOW);
        const ownerOrGranted =
          r.agencyId === v.agencyId ||
          f.grants.some((g) => g.recordId === r.id && g.agencyId === v.agencyId && g.approvedAt <= NOW && NOW < g.expiresAt);
        return d.visibility !== 'FULL' || (ownerOrGranted && d.grounds.every((g) => g.kind === 'OWNER' || g.kind === 'GRANT'));
      }),
      RUNS,
    );
  });

  it('DPO and ADMIN, and any viewer without a reading or integration role, see every record HIDDEN', () => {
    fc.assert(
      fc.property(viewerArb, fc.subarray<Role>(['DPO', 'ADMIN']), recordArb, factsArb, (v, roles, r, f) =>
        decideRecord({ ...v, roles }, r, holding(f, r), NOW).visibility === 'HIDDEN',
      ),
      RUNS,
    );
  });

  it('INTEGRATION without a reading role is never shown a flag and reads only its own agency', () => {
    fc.assert(
      fc.property(viewerArb, fc.subarray<Role>(['DPO', 'ADMIN']), recordArb, factsArb, (v, extra, r, f) => {
        const d = decideRecord({ ...v, roles: ['INTEGRATION', ...extra] }, r, holding(f, r), NOW);
        return d.visibility === 'HIDDEN' || (d.visibility === 'FULL' && r.agencyId === v.agencyId && d.grounds.length === 1);
      }),
      RUNS,
    );
  });

  it('adding facts never reduces what a viewer sees', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, factsArb, factsArb, (v, r, f, more) =>
        recordRank(decideRecord(v, r, f, NOW)) <= recordRank(decideRecord(v, r, union(f, more), NOW)),
      ),
      RUNS,
    );
  });

  it('adding roles never reduces what a viewer sees', () => {
    fc.assert(
      fc.property(viewerArb, fc.subarray([...ROLES]), recordArb, factsArb, (v, more, r, f) => {
        const wider = { ...v, roles: [...new Set([...v.roles, ...more])] };
        return recordRank(decideRecord(v, r, holding(f, r), NOW)) <= recordRank(decideRecord(wider, r, holding(f, r), NOW));
      }),
      RUNS,
    );
  });

  it('does not depend on the order facts were loaded in', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, factsArb, (v, r, f) => {
        expect(decideRecord(v, r, reversed(f), NOW)).toEqual(decideRecord(v, r, f, NOW));
      }),
      RUNS,
    );
  });

  it('is pure: frozen inputs, same answer twice', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, factsArb, (v, r, f) => {
        const [fv, fr, ff] = deepFreeze([v, r, f]);
        expect(decideRecord(fv, fr, ff, NOW)).toEqual(decideRecord(fv, fr, ff, NOW));
      }),
      RUNS,
    );
  });

  it('decides each of a child\'s records together exactly as alone: nothing held over one record reaches another', () => {
    fc.assert(
      fc.property(viewerArb, fc.array(recordArb, { maxLength: 6 }), factsArb, (v, rs, f) => {
        expect(decideRecordsOfChild(v, rs, f, NOW)).toEqual(rs.map((r) => decideRecordsOfChild(v, [r], f, NOW)[0]));
      }),
      RUNS,
    );
  });

  it('agrees with decideChild: a reader sees a record (FULL or FLAG) exactly when they may know records exist', () => {
    fc.assert(
      fc.property(viewerArb, recordArb, childArb, factsArb, (v, r, c, f) => {
        const facts = holding(f, r);
        const seen = decideRecord(v, r, facts, NOW).visibility !== 'HIDDEN';
        return !reads(v) || seen === decideChild(v, c, facts, NOW).mayKnowRecordsExist;
      }),
      RUNS,
    );
  });
});

describe('decideChild properties', () => {
  it('an address is shown only in the full view, on a ground, and a confidential one only to its agency or social care managers', () => {
    fc.assert(
      fc.property(viewerArb, childArb, factsArb, (v, c, f) => {
        const d = decideChild(v, c, f, NOW);
        const socialCareManager = v.agencyKind === 'SOCIAL_CARE' && v.roles.includes('MANAGER');
        return (
          !d.address ||
          (d.view === 'FULL' &&
            d.grounds.length > 0 &&
            reads(v) &&
            (!c.addressConfidential || c.addressRecordedByAgencyId === v.agencyId || socialCareManager))
        );
      }),
      RUNS,
    );
  });

  it('without a ground a shielded child shows at most name, age and gender', () => {
    fc.assert(
      fc.property(viewerArb, childArb, factsArb, (v, c, f) => {
        const d = decideChild(v, { ...c, shielded: true }, f, NOW);
        return d.view !== 'FULL' || d.mayKnowRecordsExist;
      }),
      RUNS,
    );
  });

  it('DPO and ADMIN hold no ground and never see an address', () => {
    fc.assert(
      fc.property(viewerArb, fc.subarray<Role>(['DPO', 'ADMIN']), childArb, factsArb, (v, roles, c, f) => {
        const d = decideChild({ ...v, roles }, c, f, NOW);
        return !d.address && d.grounds.length === 0 && !d.mayKnowRecordsExist;
      }),
      RUNS,
    );
  });

  it('adding facts or roles never narrows the view, the address or the knowledge that records exist', () => {
    fc.assert(
      fc.property(viewerArb, fc.subarray([...ROLES]), childArb, factsArb, factsArb, (v, more, c, f, extra) => {
        const before = decideChild(v, c, f, NOW);
        const after = decideChild({ ...v, roles: [...new Set([...v.roles, ...more])] }, c, union(f, extra), NOW);
        return (
          childRank(before.view) <= childRank(after.view) &&
          (!before.address || after.address) &&
          (!before.mayKnowRecordsExist || after.mayKnowRecordsExist)
        );
      }),
      RUNS,
    );
  });
});
