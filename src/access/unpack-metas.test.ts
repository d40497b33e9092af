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
  ])('refuses %s, rather than deciding on fields that are not the record\'s own', (_what, metas, authors) => {
    expect(() => unpackMetas(CHILD, metas, authors)).toThrow(/malformed/);
  });
});
