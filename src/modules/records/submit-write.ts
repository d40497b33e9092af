import type { EntityManager } from 'typeorm';
import { arrayLiteral } from '../../db/array-literal';
import type { ValidItem } from './submit-validate';
import { recordIds } from './record-ids';

/** The head of a logical record, locked for this transaction, with the content it already holds. */
export interface RecordHead {
  readonly id: string;
  readonly sourceRef: string;
  childId: string;
  currentVersion: number;
  /** content hash -> version: every content this record has ever had. */
  readonly versions: Map<string, number>;
}

/** Another writer created a head for a sourceRef this batch was creating. */
export class HeadAppeared extends Error {}

export interface Filing {
  readonly item: ValidItem;
  /** The child the record is about; for an existing record, where it should now be filed. */
  readonly childId: string;
  /** Who submitted this item, when not the caller (a parked item filed by the MASH keeps its submitter). */
  readonly authorSub?: string;
}

export interface Filed {
  readonly index: number;
  readonly status: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  readonly recordId: string;
  readonly childId: string;
  readonly version: number;
}

/**
 * Locks the heads of the named records (in id order, so two batches touching the same records
 * queue behind each other instead of deadlocking) and reads every content hash they hold.
 */
export async function lockHeads(manager: EntityManager, agencyId: string, sourceRefs: readonly string[]): Promise<Map<string, RecordHead>> {
  const heads: Array<{ id: string; source_ref: string; child_id: string; current_version: number }> = await manager.query(
    `SELECT id, source_ref, child_id, current_version FROM shared_record
     WHERE agency_id = $1 AND source_ref = ANY($2::text[]) ORDER BY id FOR UPDATE`,
    [agencyId, arrayLiteral(sourceRefs)],
  );
  const byId = new Map<string, RecordHead>(
    heads.map((h) => [h.id, { id: h.id, sourceRef: h.source_ref, childId: h.child_id, currentVersion: h.current_version, versions: new Map() }]),
  );
  if (byId.size > 0) {
    const versions: Array<{ record_id: string; version: number; content_hash: string }> = await manager.query(
      `SELECT record_id, version, content_hash FROM record_version WHERE record_id = ANY($1::uuid[])`,
      [[...byId.keys()]],
    );
    for (const v of versions) byId.get(v.record_id)?.versions.set(v.content_hash, v.version);
  }
  return new Map([...byId.values()].map((h) => [h.sourceRef, h]));
}

/**
 * Files records against locked heads: content already held is UNCHANGED; new content on an
 * existing record is a new version (the head moves forward, nothing is rewritten); a new
 * sourceRef is a new record at version 1. Each version's author is its filing's submitter, or
 * `authorSub`. Three statements whatever the number of items or authors.
 */
export async function fileRecords(manager: EntityManager, agencyId: string, authorSub: string, filings: readonly Filing[], heads: Map<string, RecordHead>): Promise<Filed[]> {
  const filed: Filed[] = [];
  const created: Array<{ id: string; item: ValidItem; childId: string; author: string }> = [];
  const versions: Array<{ recordId: string; version: number; item: ValidItem; author: string }> = [];
  const moved = new Map<string, RecordHead>();
  for (const { item, childId, authorSub: submitter } of filings) {
    const author = submitter ?? authorSub;
    const head = heads.get(item.sourceRef);
    const held = head?.versions.get(item.contentHash);
    if (head && held !== undefined) {
      filed.push({ index: item.index, status: 'UNCHANGED', recordId: head.id, childId: head.childId, version: held });
    } else if (head) {
      head.currentVersion += 1;
      head.childId = childId;
      head.versions.set(item.contentHash, head.currentVersion);
      moved.set(head.id, head);
      versions.push({ recordId: head.id, version: head.currentVersion, item, author });
      filed.push({ index: item.index, status: 'UPDATED', recordId: head.id, childId, version: head.currentVersion });
    } else {
      const id = recordIds.next(agencyId);
      heads.set(item.sourceRef, { id, sourceRef: item.sourceRef, childId, currentVersion: 1, versions: new Map([[item.contentHash, 1]]) });
      created.push({ id, item, childId, author });
      versions.push({ recordId: id, version: 1, item, author });
      filed.push({ index: item.index, status: 'CREATED', recordId: id, childId, version: 1 });
    }
  }

  if (created.length > 0) {
    const inserted: Array<{ id: string }> = await manager.query(
      // The head is written with version 1's metadata, so the version trigger need not revisit it.
      `INSERT INTO shared_record (id, agency_id, source_ref, child_id, current_version, category, sensitivity, occurred_at, author_sub)
       SELECT id, $4, source_ref, child_id, 1, category, sensitivity, occurred_at, author_sub
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
         AS t(id, source_ref, child_id, category, sensitivity, occurred_at, author_sub)
       ORDER BY source_ref
       ON CONFLICT (agency_id, source_ref) DO NOTHING RETURNING id`,
      [arrayLiteral(created.map((c) => c.id)), arrayLiteral(created.map((c) => c.item.sourceRef)), arrayLiteral(created.map((c) => c.childId)), agencyId,
        arrayLiteral(created.map((c) => c.item.category)), arrayLiteral(created.map((c) => c.item.sensitivity)),
        arrayLiteral(created.map((c) => c.item.occurredAt.toISOString())), arrayLiteral(created.map((c) => c.author))],
    );
    // A head for one of these sourceRefs was written by a batch running alongside (both held the
    // identity lock shared): acknowledge nothing; the caller runs the batch again exclusively.
    if (inserted.length !== created.length) throw new HeadAppeared('a record head appeared while the batch held its locks');
  }
  if (versions.length > 0) {
    const col = (f: (v: { recordId: string; version: number; item: ValidItem; author: string }) => string | number | null) => arrayLiteral(versions.map(f));
    await manager.query(
      `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, detail, factor_codes, content_hash, author_sub, enquiry_id)
       SELECT record_id, version, category, sensitivity, occurred_at, summary, detail,
              coalesce(string_to_array(nullif(factor_codes, ''), ','), '{}'), content_hash, author_sub, enquiry_id
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[])
         AS t(record_id, version, category, sensitivity, occurred_at, summary, detail, factor_codes, content_hash, author_sub, enquiry_id)`,
      [col((v) => v.recordId), col((v) => v.version), col((v) => v.item.category), col((v) => v.item.sensitivity),
        col((v) => v.item.occurredAt.toISOString()), col((v) => v.item.summary), col((v) => v.item.detail),
        col((v) => v.item.factorCodes.join(',')), col((v) => v.item.contentHash), col((v) => v.author), col((v) => v.item.enquiryId)],
    );
  }
  if (moved.size > 0) {
    const list = [...moved.values()];
    await manager.query(
      `UPDATE shared_record r SET current_version = u.version, child_id = u.child_id, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::uuid[]) AS u(id, version, child_id) WHERE r.id = u.id`,
      [arrayLiteral(list.map((h) => h.id)), arrayLiteral(list.map((h) => h.currentVersion)), arrayLiteral(list.map((h) => h.childId))],
    );
  }
  // A break-glass session open on a child opens these records too: their agency is told of it, as
  // the agencies holding records when it began were, and may review it.
  const reached = [...new Set(filed.flatMap((f) => (f.status !== 'UNCHANGED' && f.childId ? [f.childId] : [])))];
  if (reached.length > 0) {
    await manager.query(
      `INSERT INTO break_glass_notification (session_id, agency_id)
       SELECT s.id, $2::uuid FROM break_glass_session s WHERE s.child_id = ANY($1::uuid[]) AND s.expires_at > now()
       ON CONFLICT (session_id, agency_id) DO NOTHING`,
      [arrayLiteral(reached), agencyId],
    );
  }
  return filed;
}
