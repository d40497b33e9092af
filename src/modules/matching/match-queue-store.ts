import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ValidItem } from '../records/submit-validate';
import type { MatchReason } from './identify';
import type { ScoredCandidate } from './match-score';

export interface OpenEntry {
  readonly id: string;
  readonly contentHash: string;
}

export interface Parking {
  readonly item: ValidItem;
  readonly reason: MatchReason;
  readonly candidates: readonly ScoredCandidate[];
  /** The open entry this sourceRef already has, which newer content replaces. */
  readonly existingId: string | null;
}

/** A parked item as stored: the validated item with its date as ISO text. */
export type ParkedPayload = Omit<ValidItem, 'occurredAt'> & { readonly occurredAt: string };

export function revive(payload: ParkedPayload): ValidItem {
  return { ...payload, occurredAt: new Date(payload.occurredAt) };
}

/** Open queue entries of the named records, locked so a resolution cannot race a resubmission. */
export async function lockOpenEntries(manager: EntityManager, agencyId: string, sourceRefs: readonly string[]): Promise<Map<string, OpenEntry>> {
  const rows: Array<{ id: string; source_ref: string; content_hash: string }> = await manager.query(
    `SELECT id, source_ref, content_hash FROM match_queue
     WHERE agency_id = $1 AND source_ref = ANY($2::text[]) AND status = 'OPEN' ORDER BY id FOR UPDATE`,
    [agencyId, sourceRefs],
  );
  return new Map(rows.map((r) => [r.source_ref, { id: r.id, contentHash: r.content_hash }]));
}

/** Parks items for the MASH; returns the entry id of each (by batch index). Two statements at most. */
export async function parkItems(manager: EntityManager, agencyId: string, authorSub: string, parkings: readonly Parking[]): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  const fresh = parkings.filter((p) => p.existingId === null).map((p) => ({ ...p, id: randomUUID() }));
  const replaced = parkings.filter((p): p is Parking & { existingId: string } => p.existingId !== null);
  for (const p of fresh) ids.set(p.item.index, p.id);
  for (const p of replaced) ids.set(p.item.index, p.existingId);
  const payload = (item: ValidItem) => JSON.stringify({ ...item, occurredAt: item.occurredAt.toISOString() });
  if (fresh.length > 0) {
    await manager.query(
      `INSERT INTO match_queue (id, agency_id, source_ref, reason, child_key, content_hash, payload, candidates, submitted_by_sub)
       SELECT id, $8, source_ref, reason, child_key, content_hash, payload, candidates, $9
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[])
         AS t(id, source_ref, reason, child_key, content_hash, payload, candidates)`,
      [fresh.map((p) => p.id), fresh.map((p) => p.item.sourceRef), fresh.map((p) => p.reason), fresh.map((p) => p.item.childKey),
        fresh.map((p) => p.item.contentHash), fresh.map((p) => payload(p.item)), fresh.map((p) => JSON.stringify(p.candidates)), agencyId, authorSub],
    );
  }
  if (replaced.length > 0) {
    await manager.query(
      `UPDATE match_queue q SET reason = u.reason, child_key = u.child_key, content_hash = u.content_hash, payload = u.payload,
              candidates = u.candidates, submitted_by_sub = $7, submitted_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[]) AS u(id, reason, child_key, content_hash, payload, candidates)
       WHERE q.id = u.id`,
      [replaced.map((p) => p.existingId), replaced.map((p) => p.reason), replaced.map((p) => p.item.childKey), replaced.map((p) => p.item.contentHash),
        replaced.map((p) => payload(p.item)), replaced.map((p) => JSON.stringify(p.candidates)), authorSub],
    );
  }
  return ids;
}

/** Closes open entries whose records were filed (resolved by the MASH, or resubmitted identifiably). */
export async function closeEntries(
  manager: EntityManager, status: 'RESOLVED' | 'SUPERSEDED', bySub: string, closures: ReadonlyArray<{ id: string; childId: string; recordId: string }>,
): Promise<void> {
  if (closures.length === 0) return;
  await manager.query(
    `UPDATE match_queue q SET status = $4, resolved_at = now(), resolved_by_sub = $5, resolved_child_id = u.child_id, record_id = u.record_id
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS u(id, child_id, record_id) WHERE q.id = u.id AND q.status = 'OPEN'`,
    [closures.map((c) => c.id), closures.map((c) => c.childId), closures.map((c) => c.recordId), status, bySub],
  );
}
