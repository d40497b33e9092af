/**
 * The policy decides only on facts loaded beforehand. A missing or mismatched fact set is a bug in
 * the caller, and deciding anyway would be a silent deny or a silent allow, so it throws instead.
 */
import { isValidDate } from './in-force';
import { MissingFactError } from './types';
import type { ChildFacts } from './types';

export function requireFacts(
  facts: ChildFacts | null | undefined,
  childId: string | null,
  now: Date,
): asserts facts is ChildFacts {
  if (facts === null || facts === undefined) throw new MissingFactError(`facts for child ${childId ?? '(unknown)'}`);
  if (childId !== null && facts.childId !== childId) {
    throw new MissingFactError(`facts for child ${childId} (got facts for child ${facts.childId})`);
  }
  if (!isValidDate(now)) throw new MissingFactError('a valid `now`');
}
