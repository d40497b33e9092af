import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new record's head can be written with its first version's metadata already in place; the
 * trigger then leaves it alone rather than rewriting every head a batch has just inserted.
 */
export class RecordHeadOnInsert1732250900000 implements MigrationInterface {
  name = 'RecordHeadOnInsert1732250900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION move_record_heads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE shared_record r
        SET current_version = n.version, category = n.category, sensitivity = n.sensitivity, occurred_at = n.occurred_at,
            author_sub = n.author_sub, enquiry_id = n.enquiry_id, recorded_at = n.created_at, updated_at = now()
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions ORDER BY record_id, version DESC) n
        WHERE r.id = n.record_id AND (n.version > r.current_version OR r.category IS NULL);
        RETURN NULL;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION move_record_heads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE shared_record r
        SET current_version = n.version, category = n.category, sensitivity = n.sensitivity, occurred_at = n.occurred_at,
            author_sub = n.author_sub, enquiry_id = n.enquiry_id, recorded_at = n.created_at, updated_at = now()
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions ORDER BY record_id, version DESC) n
        WHERE r.id = n.record_id AND n.version >= r.current_version;
        RETURN NULL;
      END $$`);
  }
}
