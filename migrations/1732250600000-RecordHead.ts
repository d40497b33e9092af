import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps the current version's metadata on the record head, so listing a child's records (the
 * chronology, every portal page) reads one index range instead of joining each record to its
 * version. The versions stay the history; a statement-level trigger moves the head forward
 * whenever versions are inserted, whatever code path inserts them.
 */
export class RecordHead1732250600000 implements MigrationInterface {
  name = 'RecordHead1732250600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE shared_record
        ADD COLUMN category varchar(32),
        ADD COLUMN sensitivity varchar(16),
        ADD COLUMN occurred_at timestamptz,
        ADD COLUMN author_sub varchar(200),
        ADD COLUMN enquiry_id uuid,
        ADD COLUMN recorded_at timestamptz`);
    await q.query(`
      UPDATE shared_record r
      SET category = v.category, sensitivity = v.sensitivity, occurred_at = v.occurred_at,
          author_sub = v.author_sub, enquiry_id = v.enquiry_id, recorded_at = v.created_at
      FROM record_version v
      WHERE v.record_id = r.id AND v.version = r.current_version`);
    await q.query(`
      CREATE FUNCTION move_record_heads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE shared_record r
        SET current_version = n.version, category = n.category, sensitivity = n.sensitivity, occurred_at = n.occurred_at,
            author_sub = n.author_sub, enquiry_id = n.enquiry_id, recorded_at = n.created_at, updated_at = now()
        FROM (SELECT DISTINCT ON (record_id) * FROM new_versions ORDER BY record_id, version DESC) n
        WHERE r.id = n.record_id AND n.version >= r.current_version;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER record_version_moves_head AFTER INSERT ON record_version
      REFERENCING NEW TABLE AS new_versions FOR EACH STATEMENT EXECUTE FUNCTION move_record_heads()`);
    await q.query(`CREATE INDEX shared_record_child_occurred_idx ON shared_record (child_id, occurred_at DESC, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX shared_record_child_occurred_idx`);
    await q.query(`DROP TRIGGER record_version_moves_head ON record_version`);
    await q.query(`DROP FUNCTION move_record_heads()`);
    await q.query(`ALTER TABLE shared_record DROP COLUMN category, DROP COLUMN sensitivity, DROP COLUMN occurred_at,
      DROP COLUMN author_sub, DROP COLUMN enquiry_id, DROP COLUMN recorded_at`);
  }
}
