import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every record page reads all of a child's records, newest first, with just the fields the access
 * policy decides on. One index over (child, time, id) that also carries those fields answers it
 * from the index alone, instead of visiting one table page per record (a thousand for a child with
 * a thousand records). It replaces both earlier indexes on the child: every query that filtered
 * by child, with or without the agency, reads this one.
 */
export class RecordCoveringIndex1732251300000 implements MigrationInterface {
  name = 'RecordCoveringIndex1732251300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX shared_record_child_cover_idx ON shared_record (child_id, occurred_at DESC, id DESC)
      INCLUDE (agency_id, current_version, category, sensitivity, author_sub)`);
    await q.query(`DROP INDEX shared_record_child_occurred_idx`);
    await q.query(`DROP INDEX shared_record_child_idx`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX shared_record_child_idx ON shared_record (child_id, agency_id)`);
    await q.query(`CREATE INDEX shared_record_child_occurred_idx ON shared_record (child_id, occurred_at DESC, id DESC)`);
    await q.query(`DROP INDEX shared_record_child_cover_idx`);
  }
}
