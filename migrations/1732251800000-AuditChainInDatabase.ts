import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is extended by the database. `audit_append` takes the chain's lock, reads the
 * last row, and numbers and hashes the new rows after it, one by one, in the order given.
 *
 * Each row's hash is SHA-256 over the previous row's hash, a newline, and the row's canonical
 * JSON, whose last key is "seq". The writer sends that JSON up to and including `"seq":`; the
 * function appends the number it assigns and the closing brace. So the hashes are exactly those
 * the chain verifier recomputes from the stored rows, as before.
 *
 * Before this, each writer numbered and hashed its rows itself, after the last row it had
 * written. Another writer appending in between (a second server process, a write that audits
 * inside its own transaction) made the next append fail and retry after reading the tail again.
 * Now no append depends on what a writer last saw: any number of writers, and several appends
 * from one writer, can be under way at once, each one statement, queued on the lock in the
 * order they reach it.
 *
 * The lock is the one the writers took before, so writers of either kind can run side by side
 * while a deployment rolls over. Every statement inside the function takes its own snapshot,
 * so the tail it reads after the lock is the one the previous holder committed.
 */
export class AuditChainInDatabase1732251800000 implements MigrationInterface {
  name = 'AuditChainInDatabase1732251800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_append(
        occurred_at timestamptz[], request_id text[], actor_sub text[], actor_name text[], actor_agency_code text[], actor_roles text[],
        action text[], child_id uuid[], record_id uuid[], record_agency_id uuid[], outcome text[], grounds jsonb[], purpose jsonb[],
        query jsonb[], result_ids text[], reviewable boolean[], content_before_seq text[]
      ) RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $fn$
      DECLARE
        n_rows integer := cardinality(content_before_seq);
        last_seq bigint;
        last_hash text;
        seqs bigint[] := '{}';
        prev_hashes text[] := '{}';
        hashes text[] := '{}';
      BEGIN
        IF n_rows IS NULL OR n_rows = 0 THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(7340001);
        SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1;
        IF NOT FOUND THEN
          last_seq := 0;
          last_hash := repeat('0', 64);
        END IF;
        FOR i IN 1 .. n_rows LOOP
          last_seq := last_seq + 1;
          seqs[i] := last_seq;
          prev_hashes[i] := last_hash;
          last_hash := encode(sha256(convert_to(last_hash || E'\\n' || content_before_seq[i] || last_seq || '}', 'UTF8')), 'hex');
          hashes[i] := last_hash;
        END LOOP;
        INSERT INTO audit_event (seq, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles, action,
          child_id, record_id, record_agency_id, outcome, grounds, purpose, query, result_ids, reviewable, prev_hash, hash)
        SELECT t.seq, t.occurred_at, t.request_id, t.actor_sub, t.actor_name, t.actor_agency_code, t.actor_roles::text[], t.action,
          t.child_id, t.record_id, t.record_agency_id, t.outcome, t.grounds, t.purpose, t.query, t.result_ids::uuid[], t.reviewable,
          t.prev_hash, t.hash
        FROM unnest(seqs, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles, action, child_id, record_id,
          record_agency_id, outcome, grounds, purpose, query, result_ids, reviewable, prev_hashes, hashes)
          AS t(seq, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles, action, child_id, record_id,
               record_agency_id, outcome, grounds, purpose, query, result_ids, reviewable, prev_hash, hash);
        RETURN last_seq;
      END
      $fn$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_append(timestamptz[], text[], text[], text[], text[], text[], text[], uuid[], uuid[], uuid[], text[],
      jsonb[], jsonb[], jsonb[], text[], boolean[], text[])`);
  }
}
