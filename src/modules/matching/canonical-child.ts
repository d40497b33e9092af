import type { EntityManager } from 'typeorm';

/**
 * The child each id stands for now: a child merged as a duplicate answers as its survivor
 * (merging points every earlier duplicate straight at the final survivor, so one step is
 * enough). Ids of no child are absent from the map. Anything written about a child — a record,
 * consent, basis or break-glass session — goes to the survivor, never to a merged duplicate.
 * One statement for any number of ids; callers pass well-formed UUIDs.
 *
 * The rows stay locked (FOR KEY SHARE) to the end of the caller's transaction, so the caller
 * writes against what it read: a merge under way (it locks both children FOR UPDATE) finishes
 * first, and the duplicate is then read as merged. Without the lock a consent recorded during a
 * merge went to the duplicate, where no ground is looked for. Rows are locked in id order, as a
 * merge locks its two children, so the two cannot wait on each other.
 */
export async function canonicalChildIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows: Array<{ id: string; canonical_id: string }> = await manager.query(
    `SELECT id, coalesce(merged_into_id, id) AS canonical_id FROM child WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.id, r.canonical_id]));
}
