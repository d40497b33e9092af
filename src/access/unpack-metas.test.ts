import fc from 'fast-check';
import { RECORD_CATEGORIES, SENSITIVITIES } from '../domain/vocabulary';
import { unpackMetas } from './record-store';

const CHILD = '00000000-0000-4000-8000-0000000000c1';
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const packed = (n: number, sensitivity = 'STANDARD', at = 1_700_000_000_000 + n): string =>
  [id(n), id(90), String(n), 'POLICE_INCIDENT', sensitivity, String(at)].join(',');

describe('unpackMetas', () => {
  it('decodes each record with its own fields and its own author, in order', () => {
    const metas = [packed(1), packed(2, 'RESTRICTED', -1), packed(3, 'SENSITIVE')].join(';');
    expect(unpackMetas(CHILD, metas, ['a,b;c', 'author-2', ''])).toEqual([
      { id: id(1), childId: CHILD, agencyId: id(90), version: 1, category: 'POLICE_INCIDENT', sensitivity: 'STANDARD', occurredAt: new Date(1_700_000_000_001), authorSub: 'a,b;c' },
      { id: id(2), childId: CHILD, agencyId: id(90), version: 2, category: 'POLICE_INCIDENT', sensitivity: 'RESTRICTED', occurredAt: new Date(-1), authorSub: 'author-2' },
      { id: id(3), childId: CHILD, agencyId: id(90), version: 3, category: 'POLICE_INCIDENT', sensitivity: 'SENSITIVE', occurredAt: new Date(1_700_000_000_003), authorSub: '' },
    ]);
    expect(unpackMetas(CHILD, null, null)).toEqual([]);
  });

  it.each([
    ['a head written bare, its missing fields dropped by concat_ws', [packed(1), `${id(2)},${id(90)},1`, packed(3)].join(';'), ['x', 'y', 'z']],
    ['more authors than records', [packed(1), packed(2)].join(';'), ['x', 'y', 'z']],
    ['fewer authors than records', [packed(1), packed(2)].join(';'), ['x']],
    ['an extra field', `${packed(1)},7`, ['x']],
    ['an empty field', packed(1).replace('POLICE_INCIDENT', ''), ['x']],
    ['an unknown sensitivity', packed(1, 'OPEN'), ['x']],
    ['a time that is not a number', packed(1, 'STANDARD', Number.NaN), ['x']],
    ['nothing at all', '', ['x']],
    ['a trailing separator', `${packed(1)};`, ['x', 'y']],
    ['a head written bare as the last record', [packed(1), `${id(2)},${id(90)},1`].join(';'), ['x', 'y']],
    ['an extra field in a middle record', [packed(1), `${packed(2)},7`, packed(3)].join(';'), ['x', 'y', 'z']],
  ])('refuses %s, rather than deciding on fields that are not the record\'s own', (_what, metas, authors) => {
    expect(() => unpackMetas(CHILD, metas, authors)).toThrow(/malformed/);
  });

  it('gives back exactly the records packed, whatever their fields and authors (fast-check)', () => {
    const recordArb = fc.record({
      id: fc.uuid(), agencyId: fc.uuid(), version: fc.integer({ min: 1, max: 10_000 }),
      category: fc.constantFrom(...RECORD_CATEGORIES), sensitivity: fc.constantFrom(...SENSITIVITIES),
      occurredAt: fc.integer({ min: -8_640_000_000_000, max: 8_640_000_000_000 }).map((ms) => new Date(ms)), authorSub: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 20 }), (records) => {
        const metas = records.map((r) => [r.id, r.agencyId, r.version, r.category, r.sensitivity, r.occurredAt.getTime()].join(',')).join(';');
        expect(unpackMetas(CHILD, metas, records.map((r) => r.authorSub))).toEqual(records.map((r) => ({ ...r, childId: CHILD })));
      }),
      { numRuns: 300 },
    );
  });
});
