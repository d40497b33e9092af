import fc from 'fast-check';
import { canonicalContent, canonicalContentBeforeSeq, canonicalJson, type AuditContent } from './hash';

const json = fc.jsonValue({ maxDepth: 3 });
const text = fc.string({ unit: 'binary', maxLength: 40 });
const content: fc.Arbitrary<AuditContent> = fc.record({
  seq: fc.integer({ min: 1 }),
  occurredAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  requestId: text,
  actorSub: text,
  actorName: fc.option(text),
  actorAgencyCode: fc.option(text),
  actorRoles: fc.array(text, { maxLength: 3 }),
  action: text,
  childId: fc.option(fc.uuid()),
  recordId: fc.option(fc.uuid()),
  recordAgencyId: fc.option(fc.uuid()),
  outcome: text,
  grounds: json,
  purpose: json,
  query: json,
  resultIds: fc.option(fc.array(fc.uuid(), { maxLength: 4 })),
  reviewable: fc.boolean(),
});

/**
 * canonicalJson as it was before its fast paths (lists of strings, keys sorted without entries),
 * kept to show that they write exactly the same text. That the form still matches rows stored
 * earlier still, from a JSON round trip, is the "stored the old way" property below.
 */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return referenceCanonicalJson((json as () => unknown).call(value));
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${Array.from(value, referenceCanonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
}

describe('audit row hashing', () => {
  it('serialises a row exactly as the general canonical form does, so stored hashes still verify', () => {
    fc.assert(fc.property(content, (row) => canonicalContent(row) === canonicalJson(row)), { numRuns: 2000 });
  });

  const anything = fc.anything({
    withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true,
    withObjectString: true, withUnicodeString: true,
  });

  it('writes any value exactly as before its fast paths, so no hash it makes changes', () => {
    fc.assert(fc.property(anything, (v) => canonicalJson(v) === referenceCanonicalJson(v)), { numRuns: 5000 });
    fc.assert(fc.property(fc.array(fc.oneof(text, fc.uuid()), { maxLength: 30 }), (ids) => canonicalJson(ids) === referenceCanonicalJson(ids)), { numRuns: 1000 });
    fc.assert(fc.property(content, (row) => canonicalJson(row) === referenceCanonicalJson(row)), { numRuns: 1000 });
  });

  it('gives any value a text that parses back to the same canonical form, with no raw newline to split lines on', () => {
    fc.assert(
      fc.property(anything, (v) => {
        const text = canonicalJson(v);
        return !/[\u0000-\u001f]/.test(text) && canonicalJson(JSON.parse(text)) === text;
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a value stored the old way (a JSON round trip first) the canonical form it had then', () => {
    fc.assert(
      fc.property(anything, (v) => {
        const stored = JSON.stringify(v);
        fc.pre(stored !== undefined);
        return canonicalJson(v) === canonicalJson(JSON.parse(stored));
      }),
      { numRuns: 2000 },
    );
  });

  it('uses the canonical forms it is given for fields already made', () => {
    fc.assert(
      fc.property(content, ({ seq: _seq, ...rest }) =>
        canonicalContentBeforeSeq(rest, { grounds: '"given"' }) === canonicalContentBeforeSeq({ ...rest, grounds: 'given' })),
      { numRuns: 500 },
    );
  });

  it('leaves the sequence number last, for the database to append with a closing brace', () => {
    fc.assert(
      fc.property(content, ({ seq, ...rest }) => `${canonicalContentBeforeSeq(rest)}${seq}}` === canonicalJson({ ...rest, seq })),
      { numRuns: 2000 },
    );
  });
});
