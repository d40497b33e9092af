import type { EntityManager } from 'typeorm';
import type { ResearchRequest, ResearchRequestStatus } from './research.types';

export interface RequestRow {
  id: string; enquiry_id: string; child_id: string; agency_id: string; agency_code: string; agency_name: string; agency_kind: ResearchRequest['agency']['kind'];
  requested_by_name: string; requested_at: Date; due_at: Date; answered_at: Date | null; withdrawn_at: Date | null;
  nothing_held: boolean | null; note: string | null; record_ids: string[];
  /** The due time to the microsecond, for cursors: a JavaScript Date keeps only milliseconds. */
  due_key: string;
}

export const SELECT_REQUESTS = `SELECT rr.id, rr.enquiry_id, rr.child_id, rr.agency_id, a.code AS agency_code, a.name AS agency_name, a.kind AS agency_kind,
    rr.requested_by_name, rr.requested_at, rr.due_at, rr.answered_at, rr.withdrawn_at, rr.nothing_held, rr.note,
    to_char(rr.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS due_key,
    (SELECT coalesce(array_agg(x.record_id::text), '{}') FROM research_answer_record x WHERE x.request_id = rr.id) AS record_ids
  FROM research_request rr JOIN agency a ON a.id = rr.agency_id`;

function statusOf(row: Pick<RequestRow, 'answered_at' | 'withdrawn_at'>): ResearchRequestStatus {
  if (row.answered_at) return 'ANSWERED';
  return row.withdrawn_at ? 'WITHDRAWN' : 'OPEN';
}

export function toRequest(row: RequestRow, now: Date): ResearchRequest {
  const status = statusOf(row);
  return {
    id: row.id, enquiryId: row.enquiry_id, childId: row.child_id,
    agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name, kind: row.agency_kind },
    status, requestedByName: row.requested_by_name, requestedAt: row.requested_at, dueAt: row.due_at, answeredAt: row.answered_at,
    withdrawnAt: row.withdrawn_at, overdue: status === 'OPEN' && row.due_at < now, nothingHeld: row.nothing_held, note: row.note,
    answerRecordIds: row.record_ids,
  };
}

export interface RequestQuery {
  /** Only this agency's requests; null: every agency's. */
  readonly agencyId: string | null;
  readonly enquiryId: string | null;
  readonly status: ResearchRequestStatus | null;
  readonly overdue: boolean | null;
  /** Keyset: the (due time, id) of the last request seen. */
  readonly after: readonly [string, string] | null;
  readonly size: number;
}

/**
 * One page of research requests, soonest due first, and how many match the filter, in one
 * statement: the filter is a CTE counted once and paged by keyset on (due_at, id).
 */
export async function requestPage(manager: EntityManager, query: RequestQuery, now: Date): Promise<{ rows: RequestRow[]; totalCount: number }> {
  const found: Array<RequestRow & { total_count: number }> = await manager.query(
    `WITH f AS (
       SELECT rr.id, rr.due_at FROM research_request rr
       WHERE ($1::uuid IS NULL OR rr.agency_id = $1) AND ($2::uuid IS NULL OR rr.enquiry_id = $2)
         AND ($3::text IS NULL OR $3 = CASE WHEN rr.answered_at IS NOT NULL THEN 'ANSWERED' WHEN rr.withdrawn_at IS NOT NULL THEN 'WITHDRAWN' ELSE 'OPEN' END)
         AND ($4::boolean IS NULL OR $4 = (rr.answered_at IS NULL AND rr.withdrawn_at IS NULL AND rr.due_at < $5))),
     page AS (SELECT f.id FROM f WHERE $6::timestamptz IS NULL OR (f.due_at, f.id) > ($6, $7::uuid) ORDER BY f.due_at, f.id LIMIT $8)
     SELECT t.total_count, r.* FROM (SELECT count(*)::int AS total_count FROM f) t
       LEFT JOIN LATERAL (${SELECT_REQUESTS} WHERE rr.id IN (SELECT id FROM page)) r ON true
     ORDER BY r.due_at, r.id`,
    [query.agencyId, query.enquiryId, query.status, query.overdue, now, query.after?.[0] ?? null, query.after?.[1] ?? null, query.size + 1],
  );
  return { rows: found.filter((row) => row.id !== null), totalCount: found[0]?.total_count ?? 0 };
}

/** The research requests of any number of enquiries, soonest due first then by agency code, in one statement. */
export async function requestsByEnquiry(manager: EntityManager, enquiryIds: readonly string[]): Promise<Map<string, RequestRow[]>> {
  const rows: RequestRow[] = await manager.query(`${SELECT_REQUESTS} WHERE rr.enquiry_id = ANY($1::uuid[]) ORDER BY rr.due_at, a.code, rr.id`, [enquiryIds]);
  const byEnquiry = new Map<string, RequestRow[]>(enquiryIds.map((id) => [id, []]));
  for (const row of rows) byEnquiry.get(row.enquiry_id)?.push(row);
  return byEnquiry;
}
