/**
 * The hand-built array literal must mean exactly what the pg driver's own array parameter
 * means, for any strings PostgreSQL can store: checked against PostgreSQL itself.
 */
import fc from 'fast-check';
import { arrayLiteral } from '../../src/db/array-literal';
import { startHub, type Hub } from '../support/harness';

describe('arrayLiteral', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.stop());

  // Text PostgreSQL can hold (no NUL), with the characters array syntax treats specially made likely.
  const awkward = fc.stringMatching(/^[a-z"\\{}, \tNUL'é]{0,12}$/);
  const text = fc.oneof(awkward, fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/\0/g, '')), fc.constantFrom('NULL', 'null', '', ' ', '😀 "{x}"'));

  it('gives the same text[] as the driver for any strings and nulls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 20 }), async (values) => {
        const [row] = await hub.sql<{ same: boolean; ours: (string | null)[] }>(
          'SELECT $1::text[] IS NOT DISTINCT FROM $2::text[] AS same, $1::text[] AS ours',
          [arrayLiteral(values), values],
        );
        expect(row.ours).toEqual(values);
        expect(row.same).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('carries JSON documents, numbers and booleans', async () => {
    const docs = [JSON.stringify({ reason: 'said "urgent" \\ twice', n: [1, 2] }), JSON.stringify(null), null];
    const [row] = await hub.sql<{ docs: unknown[]; ints: number[]; flags: boolean[] }>(
      'SELECT $1::jsonb[] AS docs, $2::int[] AS ints, $3::boolean[] AS flags',
      [arrayLiteral(docs), arrayLiteral([1, -2, 30]), arrayLiteral([true, false, null])],
    );
    expect(row.docs).toEqual([{ reason: 'said "urgent" \\ twice', n: [1, 2] }, null, null]);
    expect(row.ints).toEqual([1, -2, 30]);
    expect(row.flags).toEqual([true, false, null]);
  });
});
