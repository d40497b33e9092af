/**
 * Keyset paging on (timestamptz, id), oldest first, for the access-request queue, the
 * break-glass review list and the match queue. The cursor carries the time in microseconds since the epoch, exactly
 * as PostgreSQL stores it: a JavaScript Date keeps only milliseconds, and two rows a few
 * microseconds apart would otherwise repeat or vanish between pages.
 */
import { decodeCursor, encodeCursor } from './pagination';
import { badField } from '../server/errors';
import { isUuid } from '../domain/identifiers';

/** Select-list expression for a row's time key, read back as text (bigint exceeds a JS number's exact range). */
export function microsSql(column: string): string {
  return `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
}

export function timeCursor(micros: string, id: string): string {
  return encodeCursor([micros, id]);
}

/**
 * The WHERE condition for rows after `after`, its two values pushed onto `params`. A cursor this
 * API did not issue is BAD_USER_INPUT on `after`.
 */
export function afterTimeCursor(after: string, timeColumn: string, idColumn: string, params: unknown[]): string {
  const [micros, id] = decodeCursor(after);
  if (typeof micros !== 'string' || !/^\d{1,18}$/.test(micros) || typeof id !== 'string' || !isUuid(id)) {
    throw badField('after', 'is not a cursor this API issued');
  }
  params.push(micros, id);
  return `(${timeColumn}, ${idColumn}) > ('epoch'::timestamptz + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`;
}
