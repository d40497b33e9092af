import type { DataSource, EntityManager } from 'typeorm';
import { RELEASE_ACTIONS } from '../../access/release-audit';
import { auditRowColumns, type AuditRow } from './audit-row';
import { chainHash, GENESIS_HASH, type AuditContent } from './hash';

/** Rows read per statement: memory stays bounded however long the chain grows. */
export const VERIFY_BATCH = 5000;

export interface ChainReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBrokenSeq: string | null;
  readonly firstBrokenId: string | null;
  readonly problem: string | null;
  readonly lastSeq: string | null;
  readonly lastHash: string | null;
}

interface StoredRow extends AuditRow {
  prev_hash: string;
  hash: string;
}

/** The hashed content of a row, rebuilt from its stored columns exactly as the writer built it. */
export function storedContent(row: StoredRow): AuditContent {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    requestId: row.request_id,
    actorSub: row.actor_sub,
    actorName: row.actor_name,
    actorAgencyCode: row.actor_agency_code,
    actorRoles: row.actor_roles,
    action: row.action,
    childId: row.child_id,
    recordId: row.record_id,
    recordAgencyId: row.record_agency_id,
    outcome: row.outcome,
    grounds: row.grounds,
    purpose: row.purpose,
    query: row.query,
    resultIds: row.result_ids,
    reviewable: row.reviewable,
  };
}

interface Unreachable {
  seq: string;
  id: string;
  prev_hash: string;
  record_id: string;
  child_id: string | null;
}

/**
 * The first read among seqs [from, to] that "who has seen this record?" could not find: one naming
 * a record under a child that is neither the record's child now nor one it left (record_child_move,
 * migration AuditReadsByChild), or under no child at all. The trail is intact without it; the
 * lookup would still miss the read.
 */
async function firstUnreachableRead(manager: EntityManager, from: number, to: number): Promise<Unreachable | null> {
  const [row]: Unreachable[] = await manager.query(
    `SELECT e.seq::text AS seq, e.id, e.prev_hash, r.id AS record_id, e.child_id
     FROM audit_event e CROSS JOIN LATERAL unnest(e.result_ids) AS named(id) JOIN shared_record r ON r.id = named.id
     WHERE e.seq BETWEEN $1 AND $2 AND e.action = ANY ($3::text[])
       AND (e.child_id IS NULL OR (e.child_id <> r.child_id
            AND NOT EXISTS (SELECT 1 FROM record_child_move m WHERE m.record_id = r.id AND m.child_id = e.child_id)))
     ORDER BY e.seq LIMIT 1`,
    [from, to, [...RELEASE_ACTIONS]],
  );
  return row ?? null;
}

/**
 * Walks the chain in seq order from seq 1, in batches, on one snapshot. Each row must follow its
 * predecessor without a gap, name its predecessor's hash, and hash to its stored hash. The first
 * failure is reported; a row altered, deleted or inserted out of order shows up there. Each read
 * of records must also be one that a search by record finds (firstUnreachableRead).
 */
export async function verifyAuditChain(dataSource: DataSource, batchSize = VERIFY_BATCH): Promise<ChainReport> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let lastSeq: string | null = null;
    const broken = (seq: string, id: string | null, problem: string): ChainReport => ({
      ok: false, checked, firstBrokenSeq: seq, firstBrokenId: id, problem, lastSeq, lastHash: lastSeq ? prevHash : null,
    });
    for (;;) {
      const rows: StoredRow[] = await manager.query(
        `SELECT ${auditRowColumns('e')}, e.prev_hash, e.hash
         FROM audit_event e WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`,
        [expectedSeq, batchSize],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        if (Number(row.seq) !== expectedSeq) {
          return broken(String(expectedSeq), null, `row seq ${expectedSeq} is missing: the chain jumps from seq ${expectedSeq - 1} to seq ${row.seq}`);
        }
        if (row.prev_hash !== prevHash) {
          return broken(row.seq, row.id, `prev_hash does not match the hash of seq ${expectedSeq - 1}: a row before it was removed or rewritten`);
        }
        if (chainHash(row.prev_hash, storedContent(row)) !== row.hash) {
          return broken(row.seq, row.id, 'the row content no longer matches its hash: the row was altered');
        }
        prevHash = row.hash;
        lastSeq = row.seq;
        expectedSeq += 1;
        checked += 1;
      }
      const unreachable = await firstUnreachableRead(manager, Number(rows[0].seq), expectedSeq - 1);
      if (unreachable) {
        const before = Number(unreachable.seq) - 1;
        return {
          ok: false, checked: before, firstBrokenSeq: unreachable.seq, firstBrokenId: unreachable.id,
          problem: unreachable.child_id === null
            ? `the row reads record ${unreachable.record_id} under no child, so a search by that record cannot find it`
            : `the row reads record ${unreachable.record_id} under child ${unreachable.child_id}, which is neither the record's child nor one it left (record_child_move), so a search by that record cannot find it`,
          lastSeq: before > 0 ? String(before) : null, lastHash: before > 0 ? unreachable.prev_hash : null,
        };
      }
    }
    return { ok: true, checked, firstBrokenSeq: null, firstBrokenId: null, problem: null, lastSeq, lastHash: lastSeq ? prevHash : null };
  });
}
