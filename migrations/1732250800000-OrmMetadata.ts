import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TypeORM keeps the expressions of generated columns in typeorm_metadata; without it
 * `npm run migration:generate` cannot compare the entities with the database.
 */
export class OrmMetadata1732250800000 implements MigrationInterface {
  name = 'OrmMetadata1732250800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS typeorm_metadata (
        type varchar NOT NULL, database varchar, schema varchar, "table" varchar, name varchar, value text
      )`);
    await q.query(
      `INSERT INTO typeorm_metadata (type, database, schema, "table", name, value)
       VALUES ('GENERATED_COLUMN', current_database(), current_schema(), 'child', 'search_name', $1)`,
      ["lower(given_name || ' ' || family_name)"],
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM typeorm_metadata WHERE type = 'GENERATED_COLUMN' AND "table" = 'child' AND name = 'search_name'`);
  }
}
