import { isUuid } from '../../domain/identifiers';
import { RecordIdSource } from './record-ids';

const prefix = (id: string): string => id.slice(0, 8);

describe('RecordIdSource', () => {
  it('makes RFC 9562 version 8 UUIDs, every one different', () => {
    const source = new RecordIdSource();
    const ids = Array.from({ length: 20_000 }, (_, i) => source.next(`agency-${i % 3}`));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !isUuid(id) || id[14] !== '8' || !'89ab'.includes(id[19]))).toEqual([]);
  });

  it('gives one agency\'s ids a shared prefix for a block, then draws another', () => {
    const source = new RecordIdSource(4);
    const first = Array.from({ length: 4 }, () => source.next('a'));
    const fifth = source.next('a');
    expect(new Set(first.map(prefix)).size).toBe(1);
    expect(prefix(fifth)).not.toBe(prefix(first[0]));
    // Only the prefix is shared: the rest of each id is drawn afresh.
    expect(new Set(first.map((id) => id.slice(9))).size).toBe(4);
  });

  it('keeps each agency\'s blocks apart', () => {
    const source = new RecordIdSource();
    const a = source.next('a');
    const b = source.next('b');
    expect(prefix(b)).not.toBe(prefix(a));
    expect(prefix(source.next('a'))).toBe(prefix(a));
  });

  it('carries no time: ids made an hour apart neither sort in order nor start with the time', () => {
    jest.useFakeTimers();
    try {
      const source = new RecordIdSource(1);
      const start = Date.UTC(2026, 0, 1);
      const made = Array.from({ length: 64 }, (_, i) => {
        jest.setSystemTime(start + i * 3_600_000);
        return { id: source.next('a'), at: Date.now() };
      });
      const ids = made.map((m) => m.id);
      // Ids with the time in front (UUID version 7) would sort in the order they were made.
      expect([...ids].sort()).not.toEqual(ids);
      expect(made.filter(({ id, at }) => id.replace(/-/g, '').startsWith(at.toString(16).padStart(12, '0').slice(0, 8)))).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });
});
