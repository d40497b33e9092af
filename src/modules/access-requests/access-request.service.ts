import type { EntityManager } from 'typeorm';
import type { Purpose } from '../../access/purpose';
import { pageSize, type PageArgs } from '../../access/pagination';
import { accessRequestDeciding, mayRequestAccess, maySeeAgencyAccessRequests } from '../../policy/grounds-admin';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, notFound, requiredText } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { accessRequestById, SELECT_ACCESS_REQUEST, type AccessRequestRow } from './access-request.store';
import type { AccessRequestFilter, AccessRequestScope } from './access-request.types';
import { afterTimeCursor, timeCursor } from '../../access/time-keyset';

export const DEFAULT_GRANT_HOURS = 72;
/** An owner's release is time-boxed: at most 30 days, after which the requester asks again. */
export const MAX_GRANT_HOURS = 30 * 24;
const MIN_DECISION_REASON = 10;

// Held while one person's request for one record is looked for and made: see requestAccess.
const ACCESS_REQUEST_LOCK_CLASS = 7340102;

/**
 * Asks a record's owner for its content. Only a viewer who sees the record as a FLAG may ask;
 * a record that is absent or HIDDEN gets the same NOT_FOUND, and a DENIED audit row.
 */
export async function requestAccess(ctx: RequestContext, recordId: string, purpose: Purpose): Promise<AccessRequestRow> {
  const decided = isUuid(recordId) ? await ctx.access.recordDecision(recordId) : null;
  if (!decided || decided.decision.visibility === 'HIDDEN') {
    ctx.pendingAudit.push({ action: 'ACCESS_REQUEST', outcome: 'DENIED', childId: decided?.meta.childId ?? null, purpose, query: { recordId } });
    throw notFound('record');
  }
  if (!mayRequestAccess(decided.decision)) throw badField('recordId', 'you already see this record in full');
  const { meta } = decided;
  await ctx.access.checkPurpose(purpose, [meta.childId]);
  return ctx.services.dataSource.transaction(async (manager) => {
    // One pending request per person per record: asking twice returns the first. Two asking at
    // once queue on a lock of their own (the row to lock does not exist yet), so neither inserts
    // a second.
    await manager.query(`SELECT pg_advisory_xact_lock(${ACCESS_REQUEST_LOCK_CLASS}, hashtext($1))`, [`${meta.id}|${ctx.viewer.agencyId}|${ctx.viewer.sub}`]);
    const pending: Array<{ id: string }> = await manager.query(
      `SELECT id FROM access_request WHERE record_id = $1 AND requester_sub = $2 AND requester_agency_id = $3 AND status = 'PENDING' FOR UPDATE`,
      [meta.id, ctx.viewer.sub, ctx.viewer.agencyId],
    );
    let id = pending[0]?.id;
    if (!id) {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO access_request (record_id, child_id, owner_agency_id, requester_sub, requester_name, requester_agency_id, purpose, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [meta.id, meta.childId, meta.agencyId, ctx.viewer.sub, ctx.viewer.name, ctx.viewer.agencyId, JSON.stringify(purpose), ctx.now],
      );
      id = inserted[0].id;
      await ctx.services.auditWriter.appendWithin(manager, ctx, [
        { action: 'ACCESS_REQUEST', outcome: 'OK', childId: meta.childId, recordId: meta.id, recordAgencyId: meta.agencyId, purpose, query: { accessRequestId: id } },
      ]);
    }
    return (await accessRequestById(manager, id))!;
  });
}

export interface Decision {
  readonly approve: boolean;
  readonly reason: string;
  readonly expiresInHours: number | null | undefined;
}

/** The owning agency's MANAGER approves (a grant until `expiresInHours` from now) or declines, with reasons. */
export async function decideAccessRequest(manager: EntityManager, ctx: RequestContext, id: string, decision: Decision): Promise<AccessRequestRow> {
  const reason = requiredText('reason', decision.reason, MIN_DECISION_REASON, 2000);
  const hours = decision.expiresInHours ?? DEFAULT_GRANT_HOURS;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_GRANT_HOURS) throw badField('expiresInHours', `must be from 1 to ${MAX_GRANT_HOURS} hours`);

  const locked: Array<{ owner_agency_id: string; requester_sub: string; requester_agency_id: string; status: string; record_id: string; child_id: string }> = isUuid(id)
    ? await manager.query(`SELECT owner_agency_id, requester_sub, requester_agency_id, status, record_id, child_id FROM access_request WHERE id = $1 FOR UPDATE`, [id])
    : [];
  const request = locked[0];
  const may = accessRequestDeciding(ctx.viewer, request ? { ownerAgencyId: request.owner_agency_id, requesterSub: request.requester_sub, requesterAgencyId: request.requester_agency_id } : null);
  if (may === 'FORBIDDEN') throw forbidden('a manager of the owning agency decides this request');
  if (!request || may === 'NOT_FOUND') throw notFound('access request');
  if (request.status !== 'PENDING') throw badField('id', `this request was already ${request.status.toLowerCase()}`);

  const expiresAt = decision.approve ? new Date(ctx.now.getTime() + hours * 3_600_000) : null;
  await manager.query(
    `UPDATE access_request SET status = $2, decided_by_sub = $3, decided_by_name = $4, decided_at = $5, decision_reason = $6, expires_at = $7
     WHERE id = $1`,
    [id, decision.approve ? 'APPROVED' : 'DECLINED', ctx.viewer.sub, ctx.viewer.name, ctx.now, reason, expiresAt],
  );
  await ctx.services.auditWriter.appendWithin(manager, ctx, [
    {
      action: decision.approve ? 'ACCESS_GRANT' : 'ACCESS_DECLINE',
      outcome: 'OK',
      childId: request.child_id,
      recordId: request.record_id,
      recordAgencyId: request.owner_agency_id,
      grounds: decision.approve ? [{ kind: 'GRANT', id }] : [],
      query: { accessRequestId: id, expiresInHours: decision.approve ? hours : null },
    },
  ]);
  return (await accessRequestById(manager, id))!;
}

/** The owner's queue (managers) or the caller's own requests, oldest first, keyset-paged. */
export async function listAccessRequests(
  manager: EntityManager,
  ctx: RequestContext,
  filter: AccessRequestFilter | null,
  page: PageArgs,
): Promise<{ rows: AccessRequestRow[]; hasNextPage: boolean }> {
  const mayQueue = maySeeAgencyAccessRequests(ctx.viewer);
  const scope: AccessRequestScope = filter?.scope ?? (mayQueue ? 'TO_MY_AGENCY' : 'MADE_BY_ME');
  if (scope === 'TO_MY_AGENCY' && !mayQueue) throw forbidden("only a manager sees the requests made to the agency");
  const size = pageSize(page.first);
  // A person is a subject at an agency: two identity providers may both issue "jsmith".
  const params: unknown[] = scope === 'TO_MY_AGENCY' ? [ctx.viewer.agencyId] : [ctx.viewer.sub, ctx.viewer.agencyId];
  const where = scope === 'TO_MY_AGENCY' ? ['r.owner_agency_id = $1'] : ['r.requester_sub = $1', 'r.requester_agency_id = $2'];
  if (filter?.status) {
    params.push(filter.status);
    where.push(`r.status = $${params.length}`);
  }
  if (page.after) where.push(afterTimeCursor(page.after, 'r.created_at', 'r.id', params));
  params.push(size + 1);
  const rows: AccessRequestRow[] = await manager.query(
    `${SELECT_ACCESS_REQUEST} WHERE ${where.join(' AND ')} ORDER BY r.created_at, r.id LIMIT $${params.length}`,
    params,
  );
  const shown = rows.slice(0, size);
  ctx.pendingAudit.push({
    action: 'ACCESS_REQUESTS_VIEW',
    outcome: 'OK',
    query: { scope, status: filter?.status ?? null, first: size, after: page.after ?? null },
    resultIds: shown.map((row) => row.id),
  });
  return { rows: shown, hasNextPage: rows.length > size };
}

export function accessRequestCursor(row: AccessRequestRow): string {
  return timeCursor(row.created_us, row.id);
}
