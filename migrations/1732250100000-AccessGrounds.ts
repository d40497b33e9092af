import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The grounds the policy reads besides consent and lawful basis: access requests (owner
 * releases), break-glass sessions, and the core of front-door enquiries (an open enquiry gives
 * MASH staff sight of which agencies hold information).
 */
export class AccessGrounds1732250100000 implements MigrationInterface {
  name = 'AccessGrounds1732250100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        record_id uuid NOT NULL REFERENCES shared_record(id),
        child_id uuid NOT NULL REFERENCES child(id),
        owner_agency_id uuid NOT NULL REFERENCES agency(id),
        requester_sub varchar(200) NOT NULL,
        requester_name varchar(200) NOT NULL,
        requester_agency_id uuid NOT NULL REFERENCES agency(id),
        purpose jsonb NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED')),
        decided_by_sub varchar(200),
        decided_by_name varchar(200),
        decided_at timestamptz,
        decision_reason varchar(2000),
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'PENDING') = (decided_at IS NULL)),
        CHECK (status <> 'APPROVED' OR expires_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX access_request_child_agency_idx ON access_request (child_id, requester_agency_id) WHERE status = 'APPROVED'`);
    await q.query(`CREATE INDEX access_request_owner_pending_idx ON access_request (owner_agency_id, created_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX access_request_record_idx ON access_request (record_id)`);

    await q.query(`
      CREATE TABLE break_glass_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child(id),
        viewer_sub varchar(200) NOT NULL,
        viewer_name varchar(200) NOT NULL,
        viewer_agency_id uuid NOT NULL REFERENCES agency(id),
        reason varchar(2000) NOT NULL CHECK (length(trim(reason)) >= 10),
        started_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL CHECK (expires_at > started_at),
        reviewed_by_sub varchar(200),
        reviewed_at timestamptz,
        review_outcome varchar(16) CHECK (review_outcome IN ('JUSTIFIED', 'NOT_JUSTIFIED')),
        review_note varchar(2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((reviewed_at IS NULL) = (review_outcome IS NULL))
      )`);
    await q.query(`CREATE INDEX break_glass_viewer_child_idx ON break_glass_session (viewer_sub, child_id, expires_at)`);
    await q.query(`CREATE INDEX break_glass_unreviewed_idx ON break_glass_session (started_at) WHERE reviewed_at IS NULL`);

    // Each agency whose records a break-glass session could open is told about it.
    await q.query(`
      CREATE TABLE break_glass_notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES break_glass_session(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by_sub varchar(200),
        reviewed_by_sub varchar(200),
        reviewed_at timestamptz,
        review_outcome varchar(16) CHECK (review_outcome IN ('JUSTIFIED', 'NOT_JUSTIFIED')),
        review_note varchar(2000),
        UNIQUE (session_id, agency_id)
      )`);
    await q.query(`CREATE INDEX break_glass_notification_agency_idx ON break_glass_notification (agency_id, created_at)`);

    await q.query(`
      CREATE TABLE enquiry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status varchar(10) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DECIDED', 'CLOSED')),
        received_at timestamptz NOT NULL,
        opened_by_sub varchar(200) NOT NULL,
        opened_by_agency_id uuid NOT NULL REFERENCES agency(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE enquiry_child (
        enquiry_id uuid NOT NULL REFERENCES enquiry(id),
        child_id uuid NOT NULL REFERENCES child(id),
        PRIMARY KEY (enquiry_id, child_id)
      )`);
    await q.query(`CREATE INDEX enquiry_child_child_idx ON enquiry_child (child_id)`);
    await q.query(`CREATE INDEX enquiry_open_idx ON enquiry (id) WHERE status = 'OPEN'`);
    await q.query(`ALTER TABLE record_version ADD CONSTRAINT record_version_enquiry_fk FOREIGN KEY (enquiry_id) REFERENCES enquiry(id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE record_version DROP CONSTRAINT record_version_enquiry_fk`);
    for (const table of ['enquiry_child', 'enquiry', 'break_glass_notification', 'break_glass_session', 'access_request']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
