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

  it('orders ids by nothing it was given: a later block may sort before an earlier one', () => {
    const source = new RecordIdSource(1);
    const ids = Array.from({ length: 64 }, () => source.next('a'));
    const sorted = [...ids].sort();
    expect(sorted).not.toEqual(ids);
  });
});
