import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the sharing-ground and audit read paths: a requester's own access requests, an
 * owner's whole request history, and audit-trail filters by child or record paged on seq.
 */
export class Grounds1732250400000 implements MigrationInterface {
  name = 'Grounds1732250400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX access_request_requester_idx ON access_request (requester_sub, created_at, id)`);
    await q.query(`CREATE INDEX access_request_owner_idx ON access_request (owner_agency_id, created_at, id)`);
    await q.query(`CREATE INDEX break_glass_notification_session_idx ON break_glass_notification (session_id)`);
    await q.query(`CREATE INDEX audit_event_child_seq_idx ON audit_event (child_id, seq) WHERE child_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_event_record_seq_idx ON audit_event (record_id, seq) WHERE record_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_event_action_seq_idx ON audit_event (action, seq)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of ['audit_event_action_seq_idx', 'audit_event_record_seq_idx', 'audit_event_child_seq_idx',
      'break_glass_notification_session_idx', 'access_request_owner_idx', 'access_request_requester_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
