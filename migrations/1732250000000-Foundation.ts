import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  AGENCY_KINDS,
  CONSENT_GIVERS,
  GENDERS,
  LAWFUL_BASIS_KINDS,
  RECORD_CATEGORIES,
  ROLES,
  SENSITIVITIES,
  sqlIn,
} from '../src/domain/vocabulary';

/**
 * Agencies, children, record versions, consents, lawful bases and the audit trail.
 * History is protected by the database itself: record versions and audit events refuse
 * UPDATE, DELETE and TRUNCATE whatever code path issues them.
 */
export class Foundation1732250000000 implements MigrationInterface {
  name = 'Foundation1732250000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE agency (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(16) NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_]{2,16}$'),
        name varchar(200) NOT NULL CHECK (length(trim(name)) > 0),
        kind varchar(16) NOT NULL CHECK (kind IN (${sqlIn(AGENCY_KINDS)})),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE child (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        given_name varchar(100) NOT NULL CHECK (length(trim(given_name)) > 0),
        family_name varchar(100) NOT NULL CHECK (length(trim(family_name)) > 0),
        date_of_birth date NOT NULL,
        gender varchar(8) NOT NULL CHECK (gender IN (${sqlIn(GENDERS)})),
        nhs_number char(10) UNIQUE CHECK (nhs_number ~ '^[0-9]{10}$'),
        upn char(13) UNIQUE CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$'),
        address varchar(400),
        postcode varchar(8),
        address_confidential boolean NOT NULL DEFAULT false,
        address_recorded_by_agency_id uuid REFERENCES agency(id),
        shielded boolean NOT NULL DEFAULT false,
        merged_into_id uuid REFERENCES child(id),
        search_name text GENERATED ALWAYS AS (lower(given_name || ' ' || family_name)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (merged_into_id IS NULL OR merged_into_id <> id)
      )`);
    await q.query(`CREATE INDEX child_dob_idx ON child (date_of_birth)`);
    await q.query(`CREATE INDEX child_family_name_idx ON child (lower(family_name))`);
    await q.query(`CREATE INDEX child_search_name_trgm_idx ON child USING gin (search_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX child_postcode_idx ON child (postcode)`);
    await q.query(`CREATE INDEX child_merged_into_idx ON child (merged_into_id) WHERE merged_into_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE child_identifier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        local_id varchar(64) NOT NULL CHECK (length(trim(local_id)) > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, local_id)
      )`);
    await q.query(`CREATE INDEX child_identifier_child_idx ON child_identifier (child_id)`);

    // A logical record: one per (agency, sourceRef). Its content lives in immutable versions.
    await q.query(`
      CREATE TABLE shared_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agency(id),
        source_ref varchar(128) NOT NULL CHECK (length(trim(source_ref)) > 0),
        child_id uuid NOT NULL REFERENCES child(id),
        current_version int NOT NULL DEFAULT 1 CHECK (current_version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, source_ref)
      )`);
    await q.query(`CREATE INDEX shared_record_child_idx ON shared_record (child_id, agency_id)`);

    await q.query(`
      CREATE TABLE record_version (
        record_id uuid NOT NULL REFERENCES shared_record(id),
        version int NOT NULL CHECK (version >= 1),
        category varchar(32) NOT NULL CHECK (category IN (${sqlIn(RECORD_CATEGORIES)})),
        sensitivity varchar(16) NOT NULL CHECK (sensitivity IN (${sqlIn(SENSITIVITIES)})),
        occurred_at timestamptz NOT NULL,
        summary varchar(300) NOT NULL CHECK (length(trim(summary)) > 0),
        detail text CHECK (length(detail) <= 20000),
        factor_codes text[] NOT NULL DEFAULT '{}',
        content_hash char(64) NOT NULL,
        author_sub varchar(200) NOT NULL,
        enquiry_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (record_id, version)
      )`);

    await q.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child(id),
        given_by varchar(8) NOT NULL CHECK (given_by IN (${sqlIn(CONSENT_GIVERS)})),
        given_by_name varchar(200) NOT NULL CHECK (length(trim(given_by_name)) > 0),
        recipient_agency_codes text[] NOT NULL CHECK (cardinality(recipient_agency_codes) > 0),
        categories text[] NOT NULL DEFAULT '{}' CHECK (categories <@ ARRAY[${sqlIn(RECORD_CATEGORIES)}]::text[]),
        purpose varchar(500) NOT NULL CHECK (length(trim(purpose)) > 0),
        given_at timestamptz NOT NULL,
        expires_at timestamptz CHECK (expires_at IS NULL OR expires_at > given_at),
        evidence varchar(500) NOT NULL,
        recorded_by_sub varchar(200) NOT NULL,
        recorded_by_agency_id uuid NOT NULL REFERENCES agency(id),
        withdrawn_at timestamptz,
        withdrawal_reason varchar(1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX consent_child_idx ON consent (child_id)`);

    await q.query(`
      CREATE TABLE lawful_basis (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child(id),
        kind varchar(32) NOT NULL CHECK (kind IN (${sqlIn(LAWFUL_BASIS_KINDS)})),
        recipient_agency_codes text[],
        starts_at timestamptz NOT NULL,
        ends_at timestamptz CHECK (ends_at IS NULL OR ends_at > starts_at),
        rationale varchar(4000) NOT NULL CHECK (length(trim(rationale)) >= 20),
        authorised_by_sub varchar(200) NOT NULL,
        authorised_by_name varchar(200) NOT NULL,
        recorded_by_agency_id uuid NOT NULL REFERENCES agency(id),
        ended_at timestamptz,
        end_reason varchar(1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX lawful_basis_child_idx ON lawful_basis (child_id)`);

    await q.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL,
        request_id varchar(64) NOT NULL,
        actor_sub varchar(200) NOT NULL,
        actor_name varchar(200),
        actor_agency_code varchar(16),
        actor_roles text[] NOT NULL CHECK (actor_roles <@ ARRAY[${sqlIn(ROLES)}]::text[]),
        action varchar(48) NOT NULL,
        child_id uuid,
        record_id uuid,
        record_agency_id uuid,
        outcome varchar(8) NOT NULL CHECK (outcome IN ('FULL', 'FLAG', 'DENIED', 'OK')),
        grounds jsonb NOT NULL DEFAULT '[]',
        purpose jsonb,
        query jsonb,
        result_ids uuid[],
        reviewable boolean NOT NULL DEFAULT false,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at)`);
    await q.query(`CREATE INDEX audit_event_child_idx ON audit_event (child_id) WHERE child_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_event_record_agency_idx ON audit_event (record_agency_id, seq) WHERE record_agency_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_sub, seq)`);

    // Append-only history, enforced below every code path.
    await q.query(`
      CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is not allowed: history is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['record_version', 'audit_event']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
    }
    // A logical record may only move its head forward (new version) or follow a child merge.
    await q.query(`
      CREATE FUNCTION guard_shared_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on shared_record is not allowed: history is append-only' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.id <> OLD.id OR NEW.agency_id <> OLD.agency_id OR NEW.source_ref <> OLD.source_ref
           OR NEW.created_at <> OLD.created_at OR NEW.current_version < OLD.current_version THEN
          RAISE EXCEPTION 'shared_record identity cannot change and versions only move forward' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER shared_record_guard BEFORE UPDATE OR DELETE ON shared_record FOR EACH ROW EXECUTE FUNCTION guard_shared_record()`);
    await q.query(`CREATE TRIGGER shared_record_no_truncate BEFORE TRUNCATE ON shared_record FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_event', 'lawful_basis', 'consent', 'record_version', 'shared_record', 'child_identifier', 'child', 'agency']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS guard_shared_record()`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_history_change()`);
  }
}
