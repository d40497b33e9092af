import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The record head keeps only what deciding on a record needs. Its enquiry link and recorded
 * time are read from the version with the content, so keeping copies on the head was state
 * that could only drift.
 */
export class RecordHeadTrim1732251100000 implements MigrationInterface {
  name = 'RecordHeadTrim1732251100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION move_record_heads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE shared_record r
        SET current_version = n.version, category = n.category, sensitivity = n.sensitivity, occurred_at = n.occurred_at,
            author_sub = n.author_sub, updated_at = now()
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions ORDER BY record_id, version DESC) n
        WHERE r.id = n.record_id AND (n.version > r.current_version OR r.category IS NULL);
        RETURN NULL;
      END $$`);
    await q.query(`ALTER TABLE shared_record DROP COLUMN enquiry_id, DROP COLUMN recorded_at`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shared_record ADD COLUMN enquiry_id uuid, ADD COLUMN recorded_at timestamptz`);
    await q.query(`
      UPDATE shared_record r SET enquiry_id = v.enquiry_id, recorded_at = v.created_at
      FROM record_version v WHERE v.record_id = r.id AND v.version = r.current_version`);
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
}
