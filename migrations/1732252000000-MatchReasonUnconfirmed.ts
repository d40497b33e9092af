import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's submission about a child the hub does not hold waits for front-door staff as
 * UNCONFIRMED, rather than making a child (policy mayCreateChildren): the match queue accepts the
 * reason.
 */
export class MatchReasonUnconfirmed1732252000000 implements MigrationInterface {
  name = 'MatchReasonUnconfirmed1732252000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE match_queue DROP CONSTRAINT match_queue_reason_check`);
    await q.query(`ALTER TABLE match_queue ADD CONSTRAINT match_queue_reason_check CHECK (reason IN ('CONFLICT', 'AMBIGUOUS', 'WEAK', 'INCOMPLETE', 'UNCONFIRMED'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The nearest earlier reason: one the submitter's word alone could not settle.
    await q.query(`UPDATE match_queue SET reason = 'WEAK' WHERE reason = 'UNCONFIRMED'`);
    await q.query(`ALTER TABLE match_queue DROP CONSTRAINT match_queue_reason_check`);
    await q.query(`ALTER TABLE match_queue ADD CONSTRAINT match_queue_reason_check CHECK (reason IN ('CONFLICT', 'AMBIGUOUS', 'WEAK', 'INCOMPLETE'))`);
  }
}
