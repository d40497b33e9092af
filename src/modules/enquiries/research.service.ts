import type { EntityManager } from 'typeorm';
import { mayAnswerResearch, mayReadResearchRequest } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, notFound, Problems } from '../../server/errors';
import { isUuid } from '../children/child.resolver';
import { requireMashStaff } from './enquiry.service';
import type { ResearchRequest, ResearchRequestFilter, ResearchRequestInput, ResearchResponseInput } from './research.types';

const MAX_LISTED = 200;

interface RequestRow {
  id: string; enquiry_id: string; child_id: string; agency_id: string; agency_code: string; agency_name: string; agency_kind: ResearchRequest['agency']['kind'];
  requested_by_name: string; requested_at: Date; due_at: Date; answered_at: Date | null; nothing_held: boolean | null; note: string | null; record_ids: string[];
}

const SELECT_REQUESTS = `SELECT rr.id, rr.enquiry_id, rr.child_id, rr.agency_id, a.code AS agency_code, a.name AS agency_name, a.kind AS agency_kind,
    rr.requested_by_name, rr.requested_at, rr.due_at, rr.answered_at, rr.nothing_held, rr.note,
    (SELECT coalesce(array_agg(x.record_id::text), '{}') FROM research_answer_record x WHERE x.request_id = rr.id) AS record_ids
  FROM research_request rr JOIN agency a ON a.id = rr.agency_id`;

function toRequest(row: RequestRow, now: Date): ResearchRequest {
  return {
    id: row.id, enquiryId: row.enquiry_id, childId: row.child_id,
    agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name, kind: row.agency_kind },
    requestedByName: row.requested_by_name, requestedAt: row.requested_at, dueAt: row.due_at, answeredAt: row.answered_at,
    overdue: row.answered_at === null && row.due_at < now, nothingHeld: row.nothing_held, note: row.note, answerRecordIds: row.record_ids,
  };
}

/** Asks named agencies to research a child for an open enquiry; asking twice changes nothing. */
export async function requestResearch(ctx: RequestContext, input: ResearchRequestInput): Promise<ResearchRequest[]> {
  requireMashStaff(ctx);
  const problems = new Problems();
  if (!isUuid(input.enquiryId)) problems.add('input.enquiryId', 'no such open enquiry');
  if (!isUuid(input.childId)) problems.add('input.childId', 'is not a child on this enquiry');
  const codes = [...new Set(input.agencyCodes.map((c) => c.trim().toUpperCase()))];
  if (codes.length === 0) problems.add('input.agencyCodes', 'name at least one agency');
  problems.throwIfAny();
  return ctx.services.dataSource.transaction(async (manager) => {
    const [enquiry]: Array<{ research_due_at: Date | null; has_child: boolean }> = await manager.query(
      `SELECT e.research_due_at, EXISTS (SELECT 1 FROM enquiry_child ec WHERE ec.enquiry_id = e.id AND ec.child_id = $2) AS has_child
       FROM enquiry e WHERE e.id = $1 AND e.status = 'OPEN'`,
      [input.enquiryId, input.childId],
    );
    if (!enquiry) throw badField('input.enquiryId', 'no such open enquiry');
    if (!enquiry.has_child) throw badField('input.childId', 'is not a child on this enquiry');
    const agencies: Array<{ id: string; code: string }> = await manager.query(`SELECT id, code FROM agency WHERE code = ANY($1)`, [codes]);
    const unknown = codes.filter((code) => !agencies.some((a) => a.code === code));
    if (unknown.length > 0) throw badField('input.agencyCodes', `unknown agency: ${unknown.join(', ')}`);
    const dueAt = input.dueAt ?? enquiry.research_due_at;
    if (!dueAt || dueAt <= ctx.now) throw badField('input.dueAt', 'give a due time in the future');
    await manager.query(
      `INSERT INTO research_request (enquiry_id, child_id, agency_id, requested_by_sub, requested_by_name, requested_at, due_at)
       SELECT $1, $2, unnest($3::uuid[]), $4, $5, $6, $7 ON CONFLICT (enquiry_id, child_id, agency_id) DO NOTHING`,
      [input.enquiryId, input.childId, agencies.map((a) => a.id), ctx.viewer.sub, ctx.viewer.name, ctx.now, dueAt],
    );
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{
      action: 'RESEARCH_REQUEST', outcome: 'OK', childId: input.childId, purpose: { enquiryId: input.enquiryId, reason: null }, query: { agencyCodes: codes, dueAt },
    }]);
    const rows: RequestRow[] = await manager.query(`${SELECT_REQUESTS} WHERE rr.enquiry_id = $1 AND rr.child_id = $2 AND rr.agency_id = ANY($3::uuid[]) ORDER BY a.code`,
      [input.enquiryId, input.childId, agencies.map((a) => a.id)]);
    return rows.map((row) => toRequest(row, ctx.now));
  });
}

/** Research requests the caller may see: an agency its own, MASH staff any; soonest due first. */
export async function listResearchRequests(ctx: RequestContext, filter: ResearchRequestFilter | null): Promise<ResearchRequest[]> {
  if (filter?.enquiryId && !isUuid(filter.enquiryId)) throw badField('filter.enquiryId', 'is not an enquiry id');
  const ownOnly = !mayReadResearchRequest(ctx.viewer, { agencyId: '' });
  const rows: RequestRow[] = await ctx.services.dataSource.query(
    `${SELECT_REQUESTS}
     WHERE ($1::text IS NULL OR a.code = $1) AND ($2::uuid IS NULL OR rr.agency_id = $2) AND ($3::uuid IS NULL OR rr.enquiry_id = $3)
       AND ($4::boolean IS NOT TRUE OR rr.answered_at IS NULL) AND ($5::boolean IS NOT TRUE OR (rr.answered_at IS NULL AND rr.due_at < $6))
     ORDER BY rr.due_at, rr.id LIMIT ${MAX_LISTED}`,
    [filter?.agencyCode?.trim().toUpperCase() || null, ownOnly ? ctx.viewer.agencyId : null, filter?.enquiryId ?? null,
      filter?.open ?? null, filter?.overdue ?? null, ctx.now],
  );
  const visible = rows.filter((row) => mayReadResearchRequest(ctx.viewer, { agencyId: row.agency_id }));
  ctx.pendingAudit.push({ action: 'RESEARCH_REQUEST_LIST', outcome: 'OK', query: filter ?? {}, resultIds: visible.map((r) => r.id) });
  return visible.map((row) => toRequest(row, ctx.now));
}

async function requestRow(manager: EntityManager, id: string): Promise<RequestRow | null> {
  const rows: RequestRow[] = await manager.query(`${SELECT_REQUESTS} WHERE rr.id = $1 FOR UPDATE OF rr`, [id]);
  return rows[0] ?? null;
}

/** The asked agency answers with its own records about the child, or that it holds nothing. */
export async function respondToResearch(ctx: RequestContext, id: string, input: ResearchResponseInput): Promise<ResearchRequest> {
  const recordIds = [...new Set(input.recordIds ?? [])];
  const note = input.note?.trim() || null;
  const problems = new Problems();
  if (input.nothingHeld && recordIds.length > 0) problems.add('input.recordIds', 'an answer of nothing held gives no records');
  if (!input.nothingHeld && recordIds.length === 0) problems.add('input.recordIds', 'give the records that answer the request, or answer nothingHeld');
  recordIds.forEach((rid, i) => { if (!isUuid(rid)) problems.add(`input.recordIds[${i}]`, 'is not a record id'); });
  if (note && note.length > 2000) problems.add('input.note', 'must be at most 2000 characters');
  problems.throwIfAny();
  if (!isUuid(id)) throw notFound('research request');
  return ctx.services.dataSource.transaction(async (manager) => {
    const row = await requestRow(manager, id);
    if (!row || !mayAnswerResearch(ctx.viewer, { agencyId: row.agency_id })) throw notFound('research request');
    if (row.answered_at) throw badField('id', 'this request has already been answered');
    const owned: Array<{ id: string }> = await manager.query(
      `SELECT id FROM shared_record WHERE id = ANY($1::uuid[]) AND agency_id = $2 AND child_id = $3`, [recordIds, row.agency_id, row.child_id]);
    recordIds.forEach((rid, i) => { if (!owned.some((o) => o.id === rid)) problems.add(`input.recordIds[${i}]`, "is not one of your agency's records about this child"); });
    problems.throwIfAny();
    await manager.query(
      `UPDATE research_request SET answered_at = $2, answered_by_sub = $3, nothing_held = $4, note = $5 WHERE id = $1`,
      [id, ctx.now, ctx.viewer.sub, input.nothingHeld, note]);
    await manager.query(`INSERT INTO research_answer_record (request_id, record_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, recordIds]);
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{
      action: 'RESEARCH_ANSWER', outcome: 'OK', childId: row.child_id, purpose: { enquiryId: row.enquiry_id, reason: null },
      query: { requestId: id, nothingHeld: input.nothingHeld }, resultIds: recordIds,
    }]);
    const answered = await requestRow(manager, id);
    if (!answered) throw notFound('research request');
    return toRequest(answered, ctx.now);
  });
}
