import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The result_ids index takes new entries into GIN's pending list again, now that the hub's audit
 * writer empties that list itself, off the request path, about once a second
 * (`gin_clean_pending_list`). Written straight into the tree, each id a page of records was shown
 * with cost an index descent inside the audited request: 200 for a chronology page, 1,000 for a
 * feed's batch, while the batch held the audit chain's lock. A backend that overflows the list
 * merges it only if no one else is already doing so, and the limit is set well above what a few
 * seconds of a county's traffic adds, so a request does not normally pay for the merge.
 */
export class AuditIndexPending1732251500000 implements MigrationInterface {
  name = 'AuditIndexPending1732251500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX audit_event_result_ids_idx SET (fastupdate = on, gin_pending_list_limit = 16384)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX audit_event_result_ids_idx RESET (gin_pending_list_limit)`);
    await q.query(`ALTER INDEX audit_event_result_ids_idx SET (fastupdate = off)`);
  }
}
