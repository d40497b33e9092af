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

describe('audit row hashing', () => {
  it('serialises a row exactly as the general canonical form does, so stored hashes still verify', () => {
    fc.assert(fc.property(content, (row) => canonicalContent(row) === canonicalJson(row)), { numRuns: 2000 });
  });

  it('leaves the sequence number last, for the database to append with a closing brace', () => {
    fc.assert(
      fc.property(content, ({ seq, ...rest }) => `${canonicalContentBeforeSeq(rest)}${seq}}` === canonicalJson({ ...rest, seq })),
      { numRuns: 2000 },
    );
  });
});
