import { hash } from 'node:crypto';

/** The content of an audit row that its hash covers, in a fixed shape. */
export interface AuditContent {
  readonly seq: number;
  readonly occurredAt: string;
  readonly requestId: string;
  readonly actorSub: string;
  readonly actorName: string | null;
  readonly actorAgencyCode: string | null;
  readonly actorRoles: readonly string[];
  readonly action: string;
  readonly childId: string | null;
  readonly recordId: string | null;
  readonly recordAgencyId: string | null;
  readonly outcome: string;
  readonly grounds: unknown;
  readonly purpose: unknown;
  readonly query: unknown;
  readonly resultIds: readonly string[] | null;
  readonly reviewable: boolean;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash.
 * Values are read much as JSON.stringify reads them (a Date by its toJSON, a boxed primitive as
 * its value, an undefined or function member left out, NaN and holes as null). What matters, and
 * what the tests check, is that the text parses back to a value with the same canonical form, so
 * a row stored from this text verifies, and that, like JSON.stringify's, it never holds a raw
 * control character.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return canonicalJson((json as () => unknown).call(value));
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  if (Array.isArray(value)) {
    // Most arrays here are ids: JSON.stringify writes a list of strings exactly as this would.
    if (value.every((item) => typeof item === 'string')) return JSON.stringify(value);
    return `[${Array.from(value, canonicalJson).join(',')}]`;
  }
  const object = value as Record<string, unknown>;
  // Sorted as the code units compare, which is what the default sort does with strings; most
  // objects here come with their keys in order already, and are not sorted again.
  const keys = Object.keys(object);
  if (!inOrder(keys)) keys.sort();
  let text = '';
  for (const key of keys) {
    const member = object[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    text += `${text === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `{${text}}`;
}

function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i += 1) if (keys[i - 1] > keys[i]) return false;
  return true;
}

// Every field of AuditContent (the compiler refuses a missing one), in canonical key order.
const CONTENT_FIELDS: Record<keyof AuditContent, true> = {
  seq: true, occurredAt: true, requestId: true, actorSub: true, actorName: true, actorAgencyCode: true, actorRoles: true, action: true,
  childId: true, recordId: true, recordAgencyId: true, outcome: true, grounds: true, purpose: true, query: true, resultIds: true, reviewable: true,
};
const CONTENT_KEYS = (Object.keys(CONTENT_FIELDS) as Array<keyof AuditContent>)
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  .map((key) => ({ key, prefix: `${JSON.stringify(key)}:` }));

/** canonicalJson of an audit row's content, without sorting its keys again for every row. */
export function canonicalContent(content: AuditContent): string {
  const parts: string[] = [];
  for (const { key, prefix } of CONTENT_KEYS) {
    const value = content[key];
    if (value !== undefined) parts.push(prefix + canonicalJson(value));
  }
  return `{${parts.join(',')}}`;
}

// "seq" sorts after every other key, so a row's canonical JSON ends with its sequence number.
const SEQ_KEY = CONTENT_KEYS[CONTENT_KEYS.length - 1];
if (SEQ_KEY.key !== 'seq') throw new Error('the audit row\'s canonical form must end with its sequence number');

/**
 * canonicalContent up to and including `"seq":`, for the database to complete with the number it
 * assigns and a closing brace (migration AuditChainInDatabase): `before + seq + '}'` is the
 * row's canonical JSON. `known` holds fields whose canonicalJson the caller has already made
 * (several sets, so a caller need not merge them for each row).
 */
export function canonicalContentBeforeSeq(
  content: Omit<AuditContent, 'seq'>,
  ...known: ReadonlyArray<Partial<Record<keyof AuditContent, string>>>
): string {
  const parts: string[] = [];
  for (const { key, prefix } of CONTENT_KEYS) {
    if (key === 'seq') continue;
    const value = content[key];
    if (value !== undefined) parts.push(prefix + (knownText(known, key) ?? canonicalJson(value)));
  }
  parts.push(SEQ_KEY.prefix);
  return `{${parts.join(',')}`;
}

function knownText(known: ReadonlyArray<Partial<Record<keyof AuditContent, string>>>, key: keyof AuditContent): string | undefined {
  for (const texts of known) {
    const text = texts[key];
    if (text !== undefined) return text;
  }
  return undefined;
}

/** SHA-256 over the previous row's hash and this row's canonical content. */
export function chainHash(prevHash: string, content: AuditContent): string {
  return hash('sha256', `${prevHash}\n${canonicalContent(content)}`, 'hex');
}

/** PostgreSQL returns uuids in lower case whatever case they were written in. */
export function asStoredUuid(value: string | null | undefined): string | null {
  return value ? value.toLowerCase() : null;
}
