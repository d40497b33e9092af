import type { MigrationInterface, QueryRunner } from 'typeorm';

const SET_FROM_VERSION = `SET current_version = n.version, category = n.category, sensitivity = n.sensitivity, occurred_at = n.occurred_at,
            author_sub = n.author_sub, updated_at = now()`;

/**
 * The head trigger looked up every head a statement's versions belong to, to find the few it had
 * to move: 9 ms for a 1,000-record batch whose heads were all written with their metadata. It now
 * asks two narrower questions with the same answer: heads that a version newer than version 1
 * moves forward, and heads written bare (without metadata, as direct loads do), which a small
 * partial index finds without visiting the others.
 */
export class RecordHeadBare1732251600000 implements MigrationInterface {
  name = 'RecordHeadBare1732251600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX shared_record_bare_idx ON shared_record (id) WHERE category IS NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION move_record_heads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A version 1 never moves a head forward: heads start at version 1.
        UPDATE shared_record r
        ${SET_FROM_VERSION}
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions WHERE version > 1 ORDER BY record_id, version DESC) n
        WHERE r.id = n.record_id AND n.version > r.current_version;
        UPDATE shared_record r
        ${SET_FROM_VERSION}
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions ORDER BY record_id, version DESC) n
        WHERE r.category IS NULL AND r.id = n.record_id;
        RETURN NULL;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION move_record_heads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE shared_record r
        ${SET_FROM_VERSION}
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions ORDER BY record_id, version DESC) n
        WHERE r.id = n.record_id AND (n.version > r.current_version OR r.category IS NULL);
        RETURN NULL;
      END $$`);
    await q.query(`DROP INDEX shared_record_bare_idx`);
  }
}
