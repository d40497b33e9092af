import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize } from '../../access/pagination';
import { mayAnswerResearch, mayReadResearchRequest, researchRequestScope } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, notFound, Problems } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { requireMashStaff } from './enquiry.service';
import { agenciesWithCodes } from '../agencies/agency.service';
import { requestPage, SELECT_REQUESTS, toRequest, type RequestRow } from './research.store';
import type { ResearchRequest, ResearchRequestConnection, ResearchRequestFilter, ResearchRequestInput, ResearchResponseInput } from './research.types';

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
    // The enquiry held against a decision or close under way, as opening a strategy discussion holds it.
    const [enquiry]: Array<{ research_due_at: Date | null; has_child: boolean }> = await manager.query(
      `SELECT e.research_due_at, EXISTS (SELECT 1 FROM enquiry_child ec WHERE ec.enquiry_id = e.id AND ec.child_id = $2) AS has_child
       FROM enquiry e WHERE e.id = $1 AND e.status = 'OPEN' FOR SHARE OF e`,
      [input.enquiryId, input.childId],
    );
    if (!enquiry) throw badField('input.enquiryId', 'no such open enquiry');
    if (!enquiry.has_child) throw badField('input.childId', 'is not a child on this enquiry');
    const agencies = await agenciesWithCodes(manager, codes);
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

function parseAfter(after: string | null): [string, string] | null {
  if (!after) return null;
  const key = decodeCursor(after);
  if (key.length !== 2 || typeof key[0] !== 'string' || Number.isNaN(Date.parse(key[0])) || typeof key[1] !== 'string' || !isUuid(key[1])) {
    throw badField('after', 'is not a cursor this API issued');
  }
  return [key[0], key[1]];
}

/**
 * Research requests the caller may see, soonest due first, by keyset: an agency its own (the
 * queue it works from, open and overdue ones included), MASH staff any agency's.
 */
export async function listResearchRequests(
  ctx: RequestContext, filter: ResearchRequestFilter | null, first: number | null, after: string | null,
): Promise<ResearchRequestConnection> {
  const scope = researchRequestScope(ctx.viewer);
  const refuse = (why: string): never => {
    ctx.pendingAudit.push({ action: 'RESEARCH_REQUEST_LIST', outcome: 'DENIED', query: { filter, first, after } });
    throw forbidden(why);
  };
  if (scope === 'NONE') refuse('research requests are seen by the agencies asked and by MASH staff');
  const size = pageSize(first);
  const key = parseAfter(after);
  if (filter?.enquiryId && !isUuid(filter.enquiryId)) throw badField('filter.enquiryId', 'is not an enquiry id');
  const code = filter?.agencyCode?.trim().toUpperCase() || null;
  let agencyId: string | null = scope === 'OWN_AGENCY' ? ctx.viewer.agencyId : null;
  if (code && scope === 'OWN_AGENCY' && code !== ctx.viewer.agencyCode) refuse("an agency sees only its own research requests");
  if (code && scope === 'ALL') {
    const [agency]: Array<{ id: string }> = await ctx.services.dataSource.query(`SELECT id FROM agency WHERE code = $1`, [code]);
    if (!agency) throw badField('filter.agencyCode', 'unknown agency');
    agencyId = agency.id;
  }
  const { rows, totalCount } = await requestPage(ctx.services.dataSource.manager, {
    agencyId, enquiryId: filter?.enquiryId ?? null, status: filter?.status ?? null, overdue: filter?.overdue ?? null, after: key, size,
  }, ctx.now);
  const page = rows.slice(0, size).filter((row) => mayReadResearchRequest(ctx.viewer, { agencyId: row.agency_id }));
  const edges = page.map((row) => ({ node: toRequest(row, ctx.now), cursor: encodeCursor([row.due_key, row.id]) }));
  ctx.pendingAudit.push({ action: 'RESEARCH_REQUEST_LIST', outcome: 'OK', query: { filter, first, after }, resultIds: page.map((r) => r.id) });
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null } };
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
  problems.checkText('input.note', note, 2000);
  problems.throwIfAny();
  if (!isUuid(id)) throw notFound('research request');
  return ctx.services.dataSource.transaction(async (manager) => {
    const row = await requestRow(manager, id);
    if (!row || !mayAnswerResearch(ctx.viewer, { agencyId: row.agency_id })) throw notFound('research request');
    if (row.answered_at) throw badField('id', 'this request has already been answered');
    if (row.withdrawn_at) throw badField('id', 'this request was withdrawn when the enquiry was closed');
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
