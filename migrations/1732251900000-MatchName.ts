import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_EXPRESSION = "lower(given_name || ' ' || family_name)";
export const SEARCH_NAME_EXPRESSION = "match_name(given_name) || ' ' || match_name(family_name)";

/**
 * match_name for a UTF-8 database, from its name on: `from` and `to` are the single letters folded
 * (translate), `kept` the bracket class of what is not turned into a space (in SQL quoting).
 */
export function matchNameUtf8(from: string, to: string, kept: string): string {
  return `match_name(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN normalize(btrim(
        regexp_replace(regexp_replace(regexp_replace(
          translate(
            replace(replace(replace(replace(
              translate(
                regexp_replace(normalize(lower(regexp_replace(normalize(s, NFKD), '[\\u0300-\\u036f]', '', 'g')), NFKD), '[\\u0300-\\u036f]', '', 'g'),
                '${from}', '${to}'),
              'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'),
            U&'\\2018\\2019\\02bc\\0060\\00b4\\2010\\2011\\2012\\2013\\2014\\2015\\2212', repeat(chr(39), 5) || '-------'),
          '[^${kept}]', ' ', 'g'),
        '\\s*-\\s*', '-', 'g'),
        '\\s+', ' ', 'g'),
      ' '), NFC)`;
}

/** Rebuilds child.search_name (and its trigram index) from the given expression. */
export async function rebuildSearchName(q: QueryRunner, expression: string): Promise<void> {
  await q.query(`DROP INDEX child_search_name_trgm_idx`);
  await q.query(`ALTER TABLE child DROP COLUMN search_name`);
  await q.query(`ALTER TABLE child ADD COLUMN search_name text GENERATED ALWAYS AS (${expression}) STORED`);
  await q.query(`CREATE INDEX child_search_name_trgm_idx ON child USING gin (search_name gin_trgm_ops)`);
  await q.query(
    `UPDATE typeorm_metadata SET value = $1 WHERE type = 'GENERATED_COLUMN' AND "table" = 'child' AND name = 'search_name'`,
    [expression],
  );
}

/**
 * `child.search_name`, which name matching and search compare with trigrams, is built by the same
 * rules as the key the hub makes of a submitted or searched name (`normaliseName`): accents
 * removed, letters without a combining form folded (ß → ss, ł → l, ...), typographic apostrophes
 * and hyphens unified, other punctuation a space, whitespace collapsed. Before, it was only
 * lower-cased, so "Zoë Brontë" as stored never matched "zoe bronte" as submitted in full, and a
 * name such as "Jörg Süß" fell below the trigram threshold against itself, which parked its
 * records or made a second child.
 *
 * Each step follows normaliseName in order: NFKD and the combining accents removed, lower case,
 * the same again, the folds, apostrophes and hyphens, punctuation, spaces around hyphens, runs
 * of whitespace, the ends, and NFC. A test compares the two on generated names.
 */
export class MatchName1732251900000 implements MigrationInterface {
  name = 'MatchName1732251900000';

  public async up(q: QueryRunner): Promise<void> {
    const [{ utf8 }]: Array<{ utf8: boolean }> = await q.query(
      `SELECT pg_encoding_to_char(encoding) = 'UTF8' AS utf8 FROM pg_database WHERE datname = current_database()`,
    );
    if (!utf8) {
      // Unicode normalisation needs a UTF-8 database (the embedded one is made so, and so is the
      // docker image's). Elsewhere names are matched lower-cased, with runs of spaces collapsed,
      // as before this migration.
      await q.query(`CREATE FUNCTION match_name(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN btrim(regexp_replace(lower(s), '\\s+', ' ', 'g'))`);
      await rebuildSearchName(q, SEARCH_NAME_EXPRESSION);
      return;
    }
    await q.query(`CREATE FUNCTION ${matchNameUtf8('øłđðıħ', 'olddih', "[:alnum:][:space:]''-")}`);
    await rebuildSearchName(q, SEARCH_NAME_EXPRESSION);
  }

  public async down(q: QueryRunner): Promise<void> {
    await rebuildSearchName(q, OLD_EXPRESSION);
    await q.query(`DROP FUNCTION match_name(text)`);
  }
}
