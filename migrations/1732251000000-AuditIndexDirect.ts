import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The result_ids index is written straight into its tree. With GIN's pending list the backend
 * that happens to overflow it pays for merging everyone's entries, which a request serving a
 * partner should not.
 */
export class AuditIndexDirect1732251000000 implements MigrationInterface {
  name = 'AuditIndexDirect1732251000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX audit_event_result_ids_idx SET (fastupdate = off)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX audit_event_result_ids_idx RESET (fastupdate)`);
  }
}
