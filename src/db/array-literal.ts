const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A PostgreSQL array literal for a one-dimensional array parameter (`$1::text[]`, `::uuid[]`,
 * `::jsonb[]`, `::int[]`, `::boolean[]`): `{"a","b",NULL}`. The pg driver builds the same
 * literal from a JS array with two regular-expression replacements per element; a batch of
 * 1,000 records sends about 20,000 elements, nearly all needing no escape at all. Every string
 * is quoted, so an empty string or the text NULL stays a string; null is SQL NULL.
 */
export function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null) parts[i] = 'NULL';
    else if (typeof value !== 'string') parts[i] = String(value);
    else parts[i] = NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : `"${value}"`;
  }
  return `{${parts.join(',')}}`;
}
