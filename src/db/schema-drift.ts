import type { DataSource } from 'typeorm';

/**
 * Constraints, indexes, foreign keys and triggers live in the hand-written migrations, which
 * the entities do not restate; TypeORM's diff would propose dropping them all. What is left
 * after setting those aside is real drift between an entity's columns and the database.
 */
const NOT_MODELLED_UP = [/DROP CONSTRAINT/i, /DROP INDEX/i, /ADD CONSTRAINT "(UQ|FK|CHK)_/i];
/** The reverse of each of the above, as TypeORM writes it for `down`. */
const NOT_MODELLED_DOWN = [/ADD CONSTRAINT/i, /CREATE (UNIQUE )?INDEX/i, /DROP CONSTRAINT "(UQ|FK|CHK)_/i];

export async function columnDrift(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  const keep = (patterns: RegExp[]) => (query: string) => !patterns.some((pattern) => pattern.test(query));
  return {
    up: sql.upQueries.map((q) => q.query).filter(keep(NOT_MODELLED_UP)),
    down: sql.downQueries.map((q) => q.query).filter(keep(NOT_MODELLED_DOWN)),
  };
}
