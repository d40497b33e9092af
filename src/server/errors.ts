import { isStorableText } from '../domain/storable-text';
import { GraphQLError } from 'graphql';

/** The stable error codes of the public contract (DESIGN section 4). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export interface FieldProblem {
  /** Path of the input field, e.g. `input.nhsNumber` or `records[3].occurredAt`. */
  readonly field: string;
  readonly message: string;
}

export function unauthenticated(message = 'a valid bearer token is required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** "Not found" and "not allowed" deliberately share this answer for records and children. */
export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: 'NOT_FOUND' } });
}

export function badInput(problems: readonly FieldProblem[]): GraphQLError {
  const first = problems[0];
  const message = problems.length === 1 ? `${first.field}: ${first.message}` : `${problems.length} input problems; first ${first.field}: ${first.message}`;
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field: first.field, problems } });
}

export function badField(field: string, message: string): GraphQLError {
  return badInput([{ field, message }]);
}

export function rateLimited(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', http: { status: 429 } } });
}

/** Collects field problems so a caller sees all of them at once rather than one per attempt. */
export class Problems {
  private readonly list: FieldProblem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  get items(): readonly FieldProblem[] {
    return this.list;
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw badInput(this.list);
  }
  /**
   * Notes a text the database would not store as given: longer than its column (`max` characters),
   * or holding a NUL or half a surrogate pair. Checked here, so the caller gets the field, not a
   * server error from the insert.
   */
  checkText(field: string, value: string | null | undefined, max: number): void {
    if (value !== null && value !== undefined) this.text(field, value, 0, max);
  }
  /**
   * A free text, trimmed, with a problem noted on its field when shorter than `min` or longer than
   * `max` characters (counted as the database counts them), or holding what it cannot store.
   */
  text(field: string, value: string, min: number, max: number): string {
    const trimmed = value.trim();
    const length = textLength(trimmed);
    if (length < min) this.add(field, min === 1 ? 'is required' : `must be at least ${min} characters`);
    else if (length > max) this.add(field, `must be at most ${max} characters`);
    else if (!isStorableText(trimmed)) this.add(field, UNSTORABLE_TEXT);
    return trimmed;
  }
}

export const UNSTORABLE_TEXT = 'holds a character that cannot be stored (a NUL, or half a surrogate pair)';

/** A text's length as PostgreSQL counts it for varchar(n) and length(): characters, not UTF-16 units. */
export function textLength(value: string): number {
  return Array.from(value).length;
}

/**
 * A required free text, trimmed: refused on its field when shorter than `min` or longer than `max`
 * characters (counted as the database counts them), or when it holds what the database cannot store.
 */
export function requiredText(field: string, value: string, min: number, max: number): string {
  const problems = new Problems();
  const trimmed = problems.text(field, value, min, max);
  problems.throwIfAny();
  return trimmed;
}
