import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity matching: the queue where submissions wait for front-door staff to say which child
 * they are about, and the indexes batched ingest looks up by.
 */
export class Matching1732250300000 implements MigrationInterface {
  name = 'Matching1732250300000';

  public async up(q: QueryRunner): Promise<void> {
    // A parked submission keeps everything needed to file it later, exactly as it was sent.
    await q.query(`
      CREATE TABLE match_queue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agency(id),
        source_ref varchar(128) NOT NULL CHECK (length(trim(source_ref)) > 0),
        status varchar(12) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED', 'SUPERSEDED')),
        reason varchar(12) NOT NULL CHECK (reason IN ('CONFLICT', 'AMBIGUOUS', 'WEAK', 'INCOMPLETE')),
        child_key char(64) NOT NULL,
        content_hash char(64) NOT NULL,
        payload jsonb NOT NULL,
        candidates jsonb NOT NULL DEFAULT '[]',
        submitted_by_sub varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        resolved_by_sub varchar(200),
        resolved_at timestamptz,
        resolved_child_id uuid REFERENCES child(id),
        record_id uuid REFERENCES shared_record(id),
        CHECK ((status = 'OPEN') = (resolved_at IS NULL))
      )`);
    // One open entry per (agency, sourceRef): a resubmission updates it rather than queueing twice.
    await q.query(`CREATE UNIQUE INDEX match_queue_open_source_uq ON match_queue (agency_id, source_ref) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX match_queue_open_order_idx ON match_queue (submitted_at, id) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX match_queue_open_child_key_idx ON match_queue (agency_id, child_key) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX match_queue_resolved_child_idx ON match_queue (resolved_child_id) WHERE resolved_child_id IS NOT NULL`);

    // One version per distinct content of a record, enforced below every code path: a replayed
    // or concurrent submission of content already held can never add a version.
    await q.query(`CREATE UNIQUE INDEX record_version_content_uq ON record_version (record_id, content_hash)`);
    // Merging moves a child's grounds and requests; these find them.
    await q.query(`CREATE INDEX access_request_child_idx ON access_request (child_id)`);
    await q.query(`CREATE INDEX break_glass_child_idx ON break_glass_session (child_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS break_glass_child_idx`);
    await q.query(`DROP INDEX IF EXISTS access_request_child_idx`);
    await q.query(`DROP INDEX IF EXISTS record_version_content_uq`);
    await q.query(`DROP TABLE IF EXISTS match_queue`);
  }
}
