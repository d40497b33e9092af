import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The actions whose events the access layer writes as it releases records (release-audit.ts). */
const RELEASES = `('RECORD_LIST', 'RECORD_READ', 'CHRONOLOGY')`;

/**
 * "Who has seen this record?" no longer needs every record id of every read in an index.
 *
 * An event that releases records names them in `result_ids` and always names their child in
 * `child_id` (one event per child, owning agency, outcome and grounds). So such events are found
 * through the (child_id, seq) index, from the children the record has been filed under: its
 * current child, and each child it was filed under before, which `record_child_move` keeps.
 * A record leaves a child when a newer version names another child, or when its child is merged
 * into another; a trigger on the record head writes each such move.
 *
 * The GIN index on `result_ids` now holds only the other events that name records or other
 * things (decisions, research answers, submissions, searches). A page of records read was about
 * twenty ids entering that index, nearly two-thirds of the audit's WAL, and merging them into it
 * took PostgreSQL about 80 ms of every second under portal load.
 *
 * Moves made before this migration are read from the trail itself: every child a record was
 * released under that is not its child now.
 */
export class AuditReadsByChild1732252200000 implements MigrationInterface {
  name = 'AuditReadsByChild1732252200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE record_child_move (
        record_id uuid NOT NULL REFERENCES shared_record (id),
        child_id uuid NOT NULL REFERENCES child (id),
        PRIMARY KEY (record_id, child_id)
      )`);
    await q.query(`
      CREATE FUNCTION note_record_child_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO record_child_move (record_id, child_id) VALUES (OLD.id, OLD.child_id) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER shared_record_child_move AFTER UPDATE OF child_id ON shared_record
      FOR EACH ROW WHEN (OLD.child_id IS DISTINCT FROM NEW.child_id) EXECUTE FUNCTION note_record_child_move()`);
    await q.query(`
      INSERT INTO record_child_move (record_id, child_id)
      SELECT DISTINCT r.id, e.child_id
      FROM audit_event e CROSS JOIN LATERAL unnest(e.result_ids) AS named(id) JOIN shared_record r ON r.id = named.id
      WHERE e.action IN ${RELEASES} AND e.child_id IS NOT NULL AND e.child_id <> r.child_id
      ON CONFLICT DO NOTHING`);
    await q.query(`DROP INDEX audit_event_result_ids_idx`);
    await q.query(`
      CREATE INDEX audit_event_result_ids_idx ON audit_event USING gin (result_ids) WITH (fastupdate = on, gin_pending_list_limit = 16384)
      WHERE result_ids IS NOT NULL AND action NOT IN ${RELEASES}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_result_ids_idx`);
    await q.query(`
      CREATE INDEX audit_event_result_ids_idx ON audit_event USING gin (result_ids) WITH (fastupdate = on, gin_pending_list_limit = 16384)
      WHERE result_ids IS NOT NULL`);
    await q.query(`DROP TRIGGER shared_record_child_move ON shared_record`);
    await q.query(`DROP FUNCTION note_record_child_move()`);
    await q.query(`DROP TABLE record_child_move`);
  }
}
