import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The actions whose events the access layer writes as it releases records (release-audit.ts). */
const RELEASES = `('RECORD_LIST', 'RECORD_READ', 'CHRONOLOGY')`;

/**
 * "Who has seen this record?" no longer needs every record id of every read in an index.
 *
 * An event that releases records names them in `result_ids` and always names their child in
 * `child_id` (one event per child, owning agency, outcome and grounds); a check now holds every
 * new event to that. So such events are found through the (child_id, seq) index, from the
 * children the record has been filed under: its current child, and each child it was filed under
 * before, which `record_child_move` keeps. A record leaves a child when a newer version names
 * another child, or when its child is merged into another; a trigger on the record head writes
 * each such move. The moves are history, kept as the trail is: never changed or removed.
 *
 * Moves made before this migration are read from the trail itself: every child a record was
 * released under that is not its child now.
 *
 * The next migration (AuditIndexWithoutReads) then leaves the reads out of the GIN index on
 * `result_ids`. Run both with the hub stopped, as every migration: a record moved by a hub still
 * serving between the two could be read under a child the backfill has not seen.
 */
export class AuditReadsByChild1732252200000 implements MigrationInterface {
  name = 'AuditReadsByChild1732252200000';

  public async up(q: QueryRunner): Promise<void> {
    // No foreign keys: both ids come from a record head, and neither heads nor children can be
    // removed; checked row by row, they would lock the child for each move.
    await q.query(`CREATE TABLE record_child_move (record_id uuid NOT NULL, child_id uuid NOT NULL, PRIMARY KEY (record_id, child_id))`);
    await q.query(`CREATE TRIGGER record_child_move_no_update BEFORE UPDATE OR DELETE ON record_child_move FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
    await q.query(`CREATE TRIGGER record_child_move_no_truncate BEFORE TRUNCATE ON record_child_move FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
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
    // Held by every event from now on; earlier ones are not read again to prove it.
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_release_names_child
      CHECK (action NOT IN ${RELEASES} OR result_ids IS NULL OR child_id IS NOT NULL) NOT VALID`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_release_names_child`);
    await q.query(`DROP TRIGGER shared_record_child_move ON shared_record`);
    await q.query(`DROP FUNCTION note_record_child_move()`);
    await q.query(`DROP TABLE record_child_move`);
  }
}
