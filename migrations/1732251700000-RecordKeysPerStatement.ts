import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The three foreign keys every shared record meets on the way in (its head's agency and child,
 * its version's head) were checked row by row: a lookup and a KEY SHARE lock per row, and the
 * lock marks the child's heap tuple, so a batch of 1,000 records wrote to up to 1,000 child pages
 * (with a full-page image of each after a checkpoint) only to prove the children existed. About
 * 60 ms of a batch's 170 ms of inserts.
 *
 * The same rules are now kept per statement:
 *
 * - after an insert or update of heads (a transition table cannot be kept for an update of
 *   named columns only, so every update of heads is checked), one set-based query finds
 *   any head whose child or agency does not exist and fails the statement with
 *   foreign_key_violation under the old constraint's name;
 * - after an insert of versions, the same for any version whose head does not exist;
 * - the rows they point at cannot go away, which is what the row locks were for: a child or an
 *   agency can no longer be deleted, re-keyed or truncated (a duplicate child is merged, never
 *   removed), and heads already refuse all three.
 *
 * A check sees committed rows and the statement's own transaction's, as the hub's writers need:
 * a batch files only on children that are committed or that its own transaction created.
 */
const NAMED_FOREIGN_KEYS = [
  { table: 'shared_record', name: 'shared_record_agency_id_fkey', definition: 'FOREIGN KEY (agency_id) REFERENCES agency(id)' },
  { table: 'shared_record', name: 'shared_record_child_id_fkey', definition: 'FOREIGN KEY (child_id) REFERENCES child(id)' },
  { table: 'record_version', name: 'record_version_record_id_fkey', definition: 'FOREIGN KEY (record_id) REFERENCES shared_record(id)' },
];

/** The RAISE a foreign-key check makes when `key` is not in `referenced`: same code, message, fields and detail. */
function raiseMissingKey(table: string, column: string, referenced: string, key: string): string {
  const constraint = `${table}_${column}_fkey`;
  return `RAISE EXCEPTION 'insert or update on table "${table}" violates foreign key constraint "${constraint}"'
            USING ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = '${table}', COLUMN = '${column}',
              CONSTRAINT = '${constraint}', DETAIL = format('Key (${column})=(%s) is not present in table "${referenced}".', ${key});`;
}

export class RecordKeysPerStatement1732251700000 implements MigrationInterface {
  name = 'RecordKeysPerStatement1732251700000';

  public async up(q: QueryRunner): Promise<void> {
    // Each key is probed through its index (LATERAL … LIMIT 1): left to itself the planner answers
    // NOT EXISTS for a thousand new heads by hashing every child, which costs more than the locks.
    // The functions keep the schema search path they were created with, as the constraints'
    // own checks named their tables exactly, and raise what those checks raised.
    await q.query(`
      CREATE FUNCTION check_record_head_keys() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        head record;
      BEGIN
        SELECT n.id, n.child_id INTO head
          FROM new_heads n
          LEFT JOIN LATERAL (SELECT true AS found FROM child c WHERE c.id = n.child_id LIMIT 1) k ON true
         WHERE k.found IS NULL
         LIMIT 1;
        IF FOUND THEN
          ${raiseMissingKey('shared_record', 'child_id', 'child', 'head.child_id')}
        END IF;
        SELECT n.id, n.agency_id INTO head
          FROM new_heads n
         WHERE n.agency_id IN (SELECT d.agency_id FROM (SELECT DISTINCT agency_id FROM new_heads) d
                               WHERE NOT EXISTS (SELECT 1 FROM agency a WHERE a.id = d.agency_id))
         LIMIT 1;
        IF FOUND THEN
          ${raiseMissingKey('shared_record', 'agency_id', 'agency', 'head.agency_id')}
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION check_record_version_keys() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        orphan uuid;
      BEGIN
        SELECT n.record_id INTO orphan
          FROM new_versions n
          LEFT JOIN LATERAL (SELECT true AS found FROM shared_record r WHERE r.id = n.record_id LIMIT 1) k ON true
         WHERE k.found IS NULL
         LIMIT 1;
        IF FOUND THEN
          ${raiseMissingKey('record_version', 'record_id', 'shared_record', 'orphan')}
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION refuse_identity_removal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '% of a row of % is not allowed: records and the audit trail name it', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);

    for (const { table, name } of NAMED_FOREIGN_KEYS) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
    await q.query(`CREATE TRIGGER shared_record_keys_on_insert AFTER INSERT ON shared_record
      REFERENCING NEW TABLE AS new_heads FOR EACH STATEMENT EXECUTE FUNCTION check_record_head_keys()`);
    await q.query(`CREATE TRIGGER shared_record_keys_on_update AFTER UPDATE ON shared_record
      REFERENCING NEW TABLE AS new_heads FOR EACH STATEMENT EXECUTE FUNCTION check_record_head_keys()`);
    await q.query(`CREATE TRIGGER record_version_keys_on_insert AFTER INSERT ON record_version
      REFERENCING NEW TABLE AS new_versions FOR EACH STATEMENT EXECUTE FUNCTION check_record_version_keys()`);
    for (const table of ['child', 'agency']) {
      await q.query(`CREATE TRIGGER ${table}_kept BEFORE DELETE OR UPDATE OF id ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_identity_removal()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['child', 'agency']) {
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_kept ON ${table}`);
    }
    await q.query(`DROP TRIGGER record_version_keys_on_insert ON record_version`);
    await q.query(`DROP TRIGGER shared_record_keys_on_update ON shared_record`);
    await q.query(`DROP TRIGGER shared_record_keys_on_insert ON shared_record`);
    for (const { table, name, definition } of NAMED_FOREIGN_KEYS) await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${definition}`);
    await q.query(`DROP FUNCTION refuse_identity_removal()`);
    await q.query(`DROP FUNCTION check_record_version_keys()`);
    await q.query(`DROP FUNCTION check_record_head_keys()`);
  }
}
