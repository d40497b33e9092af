import type { MigrationInterface, QueryRunner } from 'typeorm';

const RELEASES = `('RECORD_LIST', 'RECORD_READ', 'CHRONOLOGY')`;
const OPTIONS = `WITH (fastupdate = on, gin_pending_list_limit = 16384)`;

/**
 * The GIN index on `result_ids` now holds only the events that name records (or children, or
 * enquiries) without releasing them: decisions, research answers, submissions, searches. Reads
 * are found through their child (migration AuditReadsByChild). A page of records read was about
 * twenty ids entering this index, half the WAL such a read wrote, and merging them into it took
 * PostgreSQL about 80 ms of every second under portal load.
 *
 * Built beside the old index without a transaction (CONCURRENTLY), so neither appends nor reads
 * of the trail wait while a long trail is indexed, then swapped in under the old name, which the
 * audit writer's tidying uses. Each step can be run again after a failure part-way.
 */
async function swapIndex(q: QueryRunner, predicate: string): Promise<void> {
  await q.query(`DROP INDEX CONCURRENTLY IF EXISTS audit_event_result_ids_next`);
  await q.query(`CREATE INDEX CONCURRENTLY audit_event_result_ids_next ON audit_event USING gin (result_ids) ${OPTIONS} WHERE ${predicate}`);
  await q.query(`DROP INDEX CONCURRENTLY IF EXISTS audit_event_result_ids_idx`);
  await q.query(`ALTER INDEX audit_event_result_ids_next RENAME TO audit_event_result_ids_idx`);
}

export class AuditIndexWithoutReads1732252300000 implements MigrationInterface {
  name = 'AuditIndexWithoutReads1732252300000';
  transaction = false;

  public async up(q: QueryRunner): Promise<void> {
    await swapIndex(q, `result_ids IS NOT NULL AND action NOT IN ${RELEASES}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await swapIndex(q, `result_ids IS NOT NULL`);
  }
}
