// PostgreSQL stores neither a NUL nor half of a UTF-16 surrogate pair in text or jsonb: the
// first is refused, the second silently becomes U+FFFD, so what was stored would no longer be
// what the audit chain hashed.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether PostgreSQL can store the text exactly as given. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}
