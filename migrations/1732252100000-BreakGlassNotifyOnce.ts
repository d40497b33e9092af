import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agency is notified of a break-glass session once: when the session begins, if it holds
 * records about the child, or when its records reach the child while the session is open. The
 * writes that notify late do so with ON CONFLICT on this key.
 */
export class BreakGlassNotifyOnce1732252100000 implements MigrationInterface {
  name = 'BreakGlassNotifyOnce1732252100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX break_glass_notification_session_agency_idx ON break_glass_notification (session_id, agency_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX break_glass_notification_session_agency_idx`);
  }
}
