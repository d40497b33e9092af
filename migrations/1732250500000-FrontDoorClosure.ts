import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closing an enquiry: who closed it, when and why. Closing withdraws the research requests still
 * unanswered, so a partner agency is no longer chased for a case the front door has finished
 * with. Indexes for the paged research request queues (soonest due first, per agency or all).
 */
export class FrontDoorClosure1732250500000 implements MigrationInterface {
  name = 'FrontDoorClosure1732250500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE enquiry
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closed_by_sub varchar(200),
        ADD COLUMN closed_by_name varchar(200),
        ADD COLUMN closed_by_agency_id uuid REFERENCES agency(id),
        ADD COLUMN close_reason varchar(2000) CHECK (close_reason IS NULL OR length(trim(close_reason)) >= 10)`);
    // Enquiries marked CLOSED before closure details were kept: closed when last touched.
    await q.query(`
      UPDATE enquiry SET closed_at = coalesce(decided_at, created_at), closed_by_sub = opened_by_sub, closed_by_name = opened_by_sub, closed_by_agency_id = opened_by_agency_id,
        close_reason = 'Closed before closure details were recorded' WHERE status = 'CLOSED' AND closed_at IS NULL`);
    await q.query(`
      ALTER TABLE enquiry
        ADD CONSTRAINT enquiry_closure_complete CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL)
          AND (closed_at IS NULL) = (closed_by_sub IS NULL) AND (closed_at IS NULL) = (closed_by_agency_id IS NULL) AND (closed_at IS NULL) = (close_reason IS NULL)),
        -- Working Together 2023: every contact gets a decision; an enquiry is closed only after one.
        -- NOT VALID: enforced for every closure from now on, not for rows closed before it existed.
        ADD CONSTRAINT enquiry_closed_after_decision CHECK (closed_at IS NULL OR decided_at IS NOT NULL) NOT VALID`);

    await q.query(`ALTER TABLE research_request ADD COLUMN withdrawn_at timestamptz,
      ADD CONSTRAINT research_request_answered_or_withdrawn CHECK (answered_at IS NULL OR withdrawn_at IS NULL)`);
    await q.query(`CREATE INDEX research_request_due_idx ON research_request (due_at, id)`);
    await q.query(`CREATE INDEX research_request_agency_due_idx ON research_request (agency_id, due_at, id)`);

    // A record submitted for the enquiry answers only requests still outstanding, never withdrawn ones.
    await q.query(`
      CREATE OR REPLACE FUNCTION answer_research_with_record() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        IF NEW.enquiry_id IS NULL THEN RETURN NEW; END IF;
        FOR r IN
          SELECT rr.id FROM research_request rr JOIN shared_record s ON s.id = NEW.record_id
          WHERE rr.enquiry_id = NEW.enquiry_id AND rr.child_id = s.child_id AND rr.agency_id = s.agency_id AND rr.withdrawn_at IS NULL
        LOOP
          UPDATE research_request SET answered_at = coalesce(answered_at, NEW.created_at),
            answered_by_sub = coalesce(answered_by_sub, NEW.author_sub), nothing_held = false
          WHERE id = r.id;
          INSERT INTO research_answer_record (request_id, record_id) VALUES (r.id, NEW.record_id) ON CONFLICT DO NOTHING;
        END LOOP;
        RETURN NEW;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION answer_research_with_record() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        IF NEW.enquiry_id IS NULL THEN RETURN NEW; END IF;
        FOR r IN
          SELECT rr.id FROM research_request rr JOIN shared_record s ON s.id = NEW.record_id
          WHERE rr.enquiry_id = NEW.enquiry_id AND rr.child_id = s.child_id AND rr.agency_id = s.agency_id
        LOOP
          UPDATE research_request SET answered_at = coalesce(answered_at, NEW.created_at),
            answered_by_sub = coalesce(answered_by_sub, NEW.author_sub), nothing_held = false
          WHERE id = r.id;
          INSERT INTO research_answer_record (request_id, record_id) VALUES (r.id, NEW.record_id) ON CONFLICT DO NOTHING;
        END LOOP;
        RETURN NEW;
      END $$`);
    await q.query(`DROP INDEX IF EXISTS research_request_agency_due_idx`);
    await q.query(`DROP INDEX IF EXISTS research_request_due_idx`);
    await q.query(`ALTER TABLE research_request DROP CONSTRAINT research_request_answered_or_withdrawn, DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE enquiry DROP CONSTRAINT enquiry_closed_after_decision, DROP CONSTRAINT enquiry_closure_complete,
      DROP COLUMN close_reason, DROP COLUMN closed_by_agency_id, DROP COLUMN closed_by_name, DROP COLUMN closed_by_sub, DROP COLUMN closed_at`);
  }
}
