import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REFERRAL_SOURCES, sqlIn } from '../src/domain/vocabulary';
import { DECISION_OUTCOMES, PUBLIC_REFERRAL_SOURCES, RAG_RATINGS } from '../src/modules/enquiries/front-door-vocabulary';

/**
 * The front door: enquiry details (referrer, CIN referral source, concern, RAG rating and
 * deadlines), re-ratings, partner research requests and their answers, managers' decisions with
 * what was shared and why, strategy discussions with their actions.
 */
export class FrontDoor1732250200000 implements MigrationInterface {
  name = 'FrontDoor1732250200000';

  public async up(q: QueryRunner): Promise<void> {
    // Nullable so enquiries opened before these details were kept remain valid; the service
    // always sets them.
    await q.query(`
      ALTER TABLE enquiry
        ADD COLUMN referral_source varchar(3) CHECK (referral_source IN (${sqlIn(REFERRAL_SOURCES)})),
        ADD COLUMN referrer_professional boolean,
        ADD COLUMN referrer_name varchar(200),
        ADD COLUMN referrer_role varchar(200),
        ADD COLUMN referrer_contact varchar(200),
        ADD COLUMN referrer_anonymous boolean NOT NULL DEFAULT false,
        ADD COLUMN concern varchar(4000) CHECK (concern IS NULL OR length(trim(concern)) >= 10),
        ADD COLUMN rag_rating varchar(5) CHECK (rag_rating IN (${sqlIn(RAG_RATINGS)})),
        ADD COLUMN research_due_at timestamptz,
        ADD COLUMN decision_due_at timestamptz,
        ADD COLUMN re_referral boolean NOT NULL DEFAULT false,
        ADD COLUMN previous_enquiry_id uuid REFERENCES enquiry(id),
        ADD COLUMN referrals_in_last_12_months int NOT NULL DEFAULT 0,
        ADD COLUMN decided_at timestamptz,
        -- A professional referrer can never be anonymous; a member of the public may ask to be.
        ADD CONSTRAINT enquiry_anonymous_public_only CHECK (
          NOT referrer_anonymous OR (referrer_professional IS FALSE AND referral_source IN (${sqlIn(PUBLIC_REFERRAL_SOURCES)}))),
        ADD CONSTRAINT enquiry_named_referrer CHECK (referrer_anonymous OR referrer_professional IS NULL OR referrer_name IS NOT NULL)`);
    await q.query(`CREATE INDEX enquiry_received_idx ON enquiry (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX enquiry_decision_due_idx ON enquiry (decision_due_at) WHERE status = 'OPEN'`);

    await q.query(`
      CREATE TABLE enquiry_rating (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enquiry_id uuid NOT NULL REFERENCES enquiry(id),
        rating varchar(5) NOT NULL CHECK (rating IN (${sqlIn(RAG_RATINGS)})),
        reason varchar(2000) NOT NULL CHECK (length(trim(reason)) >= 10),
        research_due_at timestamptz NOT NULL,
        rated_by_sub varchar(200) NOT NULL,
        rated_by_name varchar(200) NOT NULL,
        rated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX enquiry_rating_enquiry_idx ON enquiry_rating (enquiry_id, rated_at)`);

    await q.query(`
      CREATE TABLE research_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enquiry_id uuid NOT NULL REFERENCES enquiry(id),
        child_id uuid NOT NULL REFERENCES child(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        requested_by_sub varchar(200) NOT NULL,
        requested_by_name varchar(200) NOT NULL,
        requested_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL CHECK (due_at > requested_at),
        answered_at timestamptz,
        answered_by_sub varchar(200),
        nothing_held boolean,
        note varchar(2000),
        UNIQUE (enquiry_id, child_id, agency_id),
        FOREIGN KEY (enquiry_id, child_id) REFERENCES enquiry_child (enquiry_id, child_id),
        CHECK ((answered_at IS NULL) = (answered_by_sub IS NULL))
      )`);
    await q.query(`CREATE INDEX research_request_agency_open_idx ON research_request (agency_id, due_at) WHERE answered_at IS NULL`);
    await q.query(`CREATE INDEX research_request_child_idx ON research_request (child_id)`);
    await q.query(`
      CREATE TABLE research_answer_record (
        request_id uuid NOT NULL REFERENCES research_request(id),
        record_id uuid NOT NULL REFERENCES shared_record(id),
        PRIMARY KEY (request_id, record_id)
      )`);

    // A record submitted by the asked agency with the enquiry's id answers the request, whichever
    // path submitted it.
    await q.query(`
      CREATE FUNCTION answer_research_with_record() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(`CREATE TRIGGER record_version_answers_research AFTER INSERT ON record_version FOR EACH ROW EXECUTE FUNCTION answer_research_with_record()`);

    await q.query(`
      CREATE TABLE enquiry_decision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enquiry_id uuid NOT NULL UNIQUE REFERENCES enquiry(id),
        outcome varchar(32) NOT NULL CHECK (outcome IN (${sqlIn(DECISION_OUTCOMES)})),
        rationale varchar(8000) NOT NULL CHECK (length(trim(rationale)) >= 50),
        relied_on_record_ids uuid[] NOT NULL DEFAULT '{}',
        decided_by_sub varchar(200) NOT NULL,
        decided_by_name varchar(200) NOT NULL,
        decided_by_agency_id uuid NOT NULL REFERENCES agency(id),
        decided_at timestamptz NOT NULL
      )`);
    // Golden rule seven: what was shared, with whom and why, and decisions not to share.
    await q.query(`
      CREATE TABLE decision_sharing (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        decision_id uuid NOT NULL REFERENCES enquiry_decision(id),
        recipient varchar(200) NOT NULL CHECK (length(trim(recipient)) > 0),
        shared boolean NOT NULL,
        what varchar(2000),
        reason varchar(2000) NOT NULL CHECK (length(trim(reason)) >= 10),
        CHECK (NOT shared OR what IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX decision_sharing_decision_idx ON decision_sharing (decision_id)`);
    await q.query(`CREATE TABLE decision_lawful_basis (
        decision_id uuid NOT NULL REFERENCES enquiry_decision(id),
        lawful_basis_id uuid NOT NULL REFERENCES lawful_basis(id),
        PRIMARY KEY (decision_id, lawful_basis_id)
      )`);

    await q.query(`
      CREATE TABLE strategy_discussion (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enquiry_id uuid NOT NULL REFERENCES enquiry(id),
        held_at timestamptz NOT NULL,
        rationale varchar(8000),
        decision varchar(4000),
        status varchar(5) NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'FINAL')),
        created_by_sub varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finalised_by_sub varchar(200),
        finalised_at timestamptz,
        CHECK ((status = 'FINAL') = (finalised_at IS NOT NULL)),
        CHECK (status = 'DRAFT' OR (rationale IS NOT NULL AND decision IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX strategy_discussion_enquiry_idx ON strategy_discussion (enquiry_id)`);
    await q.query(`
      CREATE TABLE strategy_attendee (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        discussion_id uuid NOT NULL REFERENCES strategy_discussion(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        role varchar(200) NOT NULL CHECK (length(trim(role)) > 0),
        name varchar(200)
      )`);
    await q.query(`CREATE INDEX strategy_attendee_discussion_idx ON strategy_attendee (discussion_id)`);
    // The exact version shared, so what the meeting saw is identified even after later edits.
    await q.query(`
      CREATE TABLE strategy_record_shared (
        discussion_id uuid NOT NULL REFERENCES strategy_discussion(id),
        record_id uuid NOT NULL,
        version int NOT NULL,
        PRIMARY KEY (discussion_id, record_id),
        FOREIGN KEY (record_id, version) REFERENCES record_version (record_id, version)
      )`);
    await q.query(`
      CREATE TABLE strategy_risk (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        discussion_id uuid NOT NULL REFERENCES strategy_discussion(id),
        description varchar(2000) NOT NULL CHECK (length(trim(description)) > 0)
      )`);
    await q.query(`CREATE INDEX strategy_risk_discussion_idx ON strategy_risk (discussion_id)`);
    await q.query(`
      CREATE TABLE strategy_action (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        discussion_id uuid NOT NULL REFERENCES strategy_discussion(id),
        description varchar(2000) NOT NULL CHECK (length(trim(description)) > 0),
        owner_agency_id uuid REFERENCES agency(id),
        owner_name varchar(200),
        due_at timestamptz,
        completed_at timestamptz,
        completed_by_sub varchar(200),
        completion_note varchar(2000),
        CHECK ((completed_at IS NULL) = (completed_by_sub IS NULL))
      )`);
    await q.query(`CREATE INDEX strategy_action_discussion_idx ON strategy_action (discussion_id)`);
    await q.query(`CREATE INDEX strategy_action_open_due_idx ON strategy_action (due_at) WHERE completed_at IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'strategy_action', 'strategy_risk', 'strategy_record_shared', 'strategy_attendee', 'strategy_discussion',
      'decision_lawful_basis', 'decision_sharing', 'enquiry_decision', 'research_answer_record', 'research_request', 'enquiry_rating',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP TRIGGER IF EXISTS record_version_answers_research ON record_version`);
    await q.query(`DROP FUNCTION IF EXISTS answer_research_with_record()`);
    await q.query(`
      ALTER TABLE enquiry DROP CONSTRAINT enquiry_named_referrer, DROP CONSTRAINT enquiry_anonymous_public_only,
        DROP COLUMN decided_at, DROP COLUMN referrals_in_last_12_months, DROP COLUMN previous_enquiry_id, DROP COLUMN re_referral,
        DROP COLUMN decision_due_at, DROP COLUMN research_due_at, DROP COLUMN rag_rating, DROP COLUMN concern, DROP COLUMN referrer_anonymous,
        DROP COLUMN referrer_contact, DROP COLUMN referrer_role, DROP COLUMN referrer_name, DROP COLUMN referrer_professional, DROP COLUMN referral_source`);
  }
}
