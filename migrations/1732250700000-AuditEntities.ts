import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit event may name several records, as a FHIR AuditEvent names several entities: one
 * event per child, owning agency, outcome and exact set of grounds in a request. "Who saw this
 * record" then searches result_ids. Indexes that served no query are dropped: every audit row
 * pays for each index on the way in.
 */
export class AuditEntities1732250700000 implements MigrationInterface {
  name = 'AuditEntities1732250700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_event_result_ids_idx ON audit_event USING gin (result_ids) WHERE result_ids IS NOT NULL`);
    // Superseded by audit_event_child_seq_idx (child_id, seq).
    await q.query(`DROP INDEX audit_event_child_idx`);
    // The chain, not an index, proves each hash; and no query looks an event up by its uuid.
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_hash_key`);
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_id_key`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_id_key UNIQUE (id)`);
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_hash_key UNIQUE (hash)`);
    await q.query(`CREATE INDEX audit_event_child_idx ON audit_event (child_id) WHERE child_id IS NOT NULL`);
    await q.query(`DROP INDEX audit_event_result_ids_idx`);
  }
}
