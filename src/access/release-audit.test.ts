import fc from 'fast-check';
import { releaseEvents, type Released } from './release-audit';

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const groundArb = fc.record({ kind: fc.constantFrom('OWNER', 'CONSENT', 'LAWFUL_BASIS', 'GRANT', 'BREAK_GLASS' as const), id: fc.integer({ min: 1, max: 3 }).map(id) });
const releasedArb = fc.uniqueArray(
  fc.record({
    recordId: fc.integer({ min: 100, max: 999 }).map(id),
    childId: fc.integer({ min: 1, max: 2 }).map(id),
    agencyId: fc.integer({ min: 10, max: 12 }).map(id),
    outcome: fc.constantFrom('FULL', 'FLAG' as const),
    grounds: fc.array(groundArb, { maxLength: 3 }),
    reviewable: fc.boolean(),
  }),
  { selector: (r) => r.recordId, maxLength: 30 },
);
const purpose = { enquiryId: null, reason: 'Checking what partners hold' };
const sameGroup = (a: Released, b: Released): boolean =>
  a.childId === b.childId && a.agencyId === b.agencyId && a.outcome === b.outcome && a.reviewable === b.reviewable &&
  JSON.stringify(a.grounds) === JSON.stringify(b.grounds);

describe('releaseEvents', () => {
  it('names every released record in exactly one event, each event covering one child, agency, outcome and ground set', () => {
    fc.assert(
      fc.property(releasedArb, (released) => {
        const events = releaseEvents('RECORD_LIST', purpose, released);
        const named = events.flatMap((e) => [...(e.resultIds ?? [])]);
        expect([...named].sort()).toEqual(released.map((r) => r.recordId).sort());
        const byId = new Map(released.map((r) => [r.recordId, r]));
        for (const event of events) {
          const members = (event.resultIds ?? []).map((rid) => byId.get(rid) as Released);
          expect(members.every((m) => sameGroup(m, members[0]))).toBe(true);
          expect(event).toMatchObject({ action: 'RECORD_LIST', outcome: members[0].outcome, childId: members[0].childId, recordAgencyId: members[0].agencyId, grounds: members[0].grounds, reviewable: members[0].reviewable, purpose });
          expect(event.recordId).toBe(members.length === 1 ? members[0].recordId : null);
        }
        // One event per group: no two events could have been one.
        for (let i = 0; i < events.length; i += 1) {
          for (let j = i + 1; j < events.length; j += 1) {
            expect(sameGroup(byId.get(events[i].resultIds![0])!, byId.get(events[j].resultIds![0])!)).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
