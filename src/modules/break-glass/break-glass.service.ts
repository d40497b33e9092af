import type { EntityManager } from 'typeorm';
import { pageSize, type PageArgs } from '../../access/pagination';
import { breakGlassFindings, breakGlassReviewing, breakGlassReviewScope, mayBreakGlass } from '../../policy/grounds-admin';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, notFound, requiredText } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { afterTimeCursor, timeCursor } from '../../access/time-keyset';
import { canonicalChildId } from '../consents/consent.service';
import { SELECT_SESSION, sessionById, type BreakGlassRow } from './break-glass.store';
import type { BreakGlassOutcome, BreakGlassReviewFilter } from './break-glass.types';

const MIN_TEXT = 10;

function statement(field: string, value: string): string {
  return requiredText(field, value, MIN_TEXT, 2000);
}

/**
 * Declares an emergency ground for one child (FHIR purpose of use BTG). It lasts
 * config.breakGlassMinutes, opens STANDARD and SENSITIVE content only (the policy decides that),
 * and every agency holding records about the child is notified in the same transaction.
 */
export async function breakGlass(manager: EntityManager, ctx: RequestContext, askedChildId: string, reason: string): Promise<BreakGlassRow> {
  if (!mayBreakGlass(ctx.viewer)) throw forbidden('break-glass is for practitioners, MASH researchers and managers');
  const why = statement('reason', reason);
  const childId = await canonicalChildId(manager, askedChildId);
  if (!childId) throw notFound('child');
  const expiresAt = new Date(ctx.now.getTime() + ctx.services.config.breakGlassMinutes * 60_000);
  const [session]: Array<{ id: string }> = await manager.query(
    `INSERT INTO break_glass_session (child_id, viewer_sub, viewer_name, viewer_agency_id, reason, started_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [childId, ctx.viewer.sub, ctx.viewer.name, ctx.viewer.agencyId, why, ctx.now, expiresAt],
  );
  await manager.query(
    `INSERT INTO break_glass_notification (session_id, agency_id)
     SELECT DISTINCT $1::uuid, r.agency_id FROM shared_record r WHERE r.child_id = $2`,
    [session.id, childId],
  );
  await ctx.services.auditWriter.appendWithin(manager, ctx, [
    { action: 'BREAK_GLASS', outcome: 'OK', childId, grounds: [{ kind: 'BREAK_GLASS', id: session.id }], purpose: { enquiryId: null, reason: why }, reviewable: true },
  ]);
  return (await sessionById(manager, session.id))!;
}

/**
 * Records a manager's finding on a session: their agency's review of the reads it allowed of that
 * agency's records and, for a social care manager, the front door's review of the session as a
 * whole. One agency's finding never closes another's: each notified agency reviews for itself.
 * Any review ends a session still open, so every finding covers every read the session allowed.
 */
export async function reviewBreakGlass(
  manager: EntityManager,
  ctx: RequestContext,
  id: string,
  outcome: BreakGlassOutcome,
  note: string,
): Promise<BreakGlassRow> {
  const why = statement('note', note);
  const locked: Array<{ viewer_sub: string; child_id: string; reviewed_at: Date | null }> = isUuid(id)
    ? await manager.query(`SELECT viewer_sub, child_id, reviewed_at FROM break_glass_session WHERE id = $1 FOR UPDATE`, [id])
    : [];
  const notified: Array<{ agency_id: string; reviewed_at: Date | null }> = locked[0]
    ? await manager.query(`SELECT agency_id, reviewed_at FROM break_glass_notification WHERE session_id = $1`, [id])
    : [];
  const notifiedAgencyIds = notified.map((n) => n.agency_id);
  const session = locked[0] ? { viewerSub: locked[0].viewer_sub, notifiedAgencyIds } : null;
  const may = breakGlassReviewing(ctx.viewer, session);
  if (may === 'FORBIDDEN') throw forbidden('a manager of a notified agency or of social care reviews break-glass, and never their own');
  if (!locked[0] || may === 'NOT_FOUND') throw notFound('break-glass session');
  const findings = breakGlassFindings(ctx.viewer, notifiedAgencyIds)!;
  // What is still to record: the front door's finding, and the reviewer's agency's own (a second
  // social care agency records its own after the front door has).
  const frontDoor = findings.frontDoor && locked[0].reviewed_at === null;
  const agencyNotice = notified.find((n) => n.agency_id === findings.agencyId && n.reviewed_at === null);
  if (!frontDoor && !agencyNotice) throw badField('id', findings.frontDoor ? 'this session has already been reviewed' : 'your agency has already reviewed this session');
  await manager.query(
    frontDoor
      ? `UPDATE break_glass_session SET reviewed_by_sub = $3, reviewed_at = $2, review_outcome = $4, review_note = $5, expires_at = least(expires_at, $2)
         WHERE id = $1`
      : `UPDATE break_glass_session SET expires_at = least(expires_at, $2) WHERE id = $1`,
    frontDoor ? [id, ctx.now, ctx.viewer.sub, outcome, why] : [id, ctx.now],
  );
  if (agencyNotice) {
    await manager.query(
      `UPDATE break_glass_notification SET reviewed_by_sub = $3, reviewed_at = $4, review_outcome = $5, review_note = $6,
         acknowledged_at = coalesce(acknowledged_at, $4), acknowledged_by_sub = coalesce(acknowledged_by_sub, $3)
       WHERE session_id = $1 AND agency_id = $2`,
      [id, agencyNotice.agency_id, ctx.viewer.sub, ctx.now, outcome, why],
    );
  }
  await ctx.services.auditWriter.appendWithin(manager, ctx, [
    {
      action: 'BREAK_GLASS_REVIEW', outcome: 'OK', childId: locked[0].child_id, grounds: [{ kind: 'BREAK_GLASS', id }],
      query: { outcome, frontDoor, forAgencyId: agencyNotice?.agency_id ?? null },
    },
  ]);
  return (await sessionById(manager, id))!;
}

/** Sessions in the manager's review scope, oldest first, keyset-paged on (started_at, id). */
export async function breakGlassReviews(
  manager: EntityManager,
  ctx: RequestContext,
  filter: BreakGlassReviewFilter | null,
  page: PageArgs,
): Promise<{ rows: BreakGlassRow[]; hasNextPage: boolean }> {
  const scope = breakGlassReviewScope(ctx.viewer);
  if (!scope) throw forbidden('break-glass reviews are for managers');
  const size = pageSize(page.first);
  const params: unknown[] = [];
  const pending = filter?.pending ?? true;
  const where: string[] = [];
  // Pending for an agency until it has reviewed the session, whoever else has; for social care
  // also until the front door has.
  params.push(scope.kind === 'ALL' ? ctx.viewer.agencyId : scope.agencyId);
  const ownDue = `EXISTS (SELECT 1 FROM break_glass_notification n WHERE n.session_id = s.id AND n.agency_id = $${params.length} AND n.reviewed_at IS NULL)`;
  if (scope.kind === 'ALL') where.push(pending ? `(s.reviewed_at IS NULL OR ${ownDue})` : `(s.reviewed_at IS NOT NULL AND NOT ${ownDue})`);
  else {
    where.push(`EXISTS (SELECT 1 FROM break_glass_notification n WHERE n.session_id = s.id AND n.agency_id = $${params.length}
      AND n.reviewed_at IS ${pending ? '' : 'NOT '}NULL)`);
  }
  if (filter?.childId) {
    if (!isUuid(filter.childId)) throw badField('filter.childId', 'is not a child id');
    params.push(filter.childId);
    where.push(`s.child_id = $${params.length}`);
  }
  if (page.after) where.push(afterTimeCursor(page.after, 's.started_at', 's.id', params));
  params.push(size + 1);
  const rows: BreakGlassRow[] = await manager.query(
    `${SELECT_SESSION} WHERE ${where.join(' AND ')} ORDER BY s.started_at, s.id LIMIT $${params.length}`,
    params,
  );
  const shown = rows.slice(0, size);
  ctx.pendingAudit.push({
    action: 'BREAK_GLASS_REVIEWS_VIEW',
    outcome: 'OK',
    query: { pending, childId: filter?.childId ?? null, first: size, after: page.after ?? null },
    resultIds: shown.map((row) => row.id),
  });
  return { rows: shown, hasNextPage: rows.length > size };
}

export function sessionCursor(row: BreakGlassRow): string {
  return timeCursor(row.started_us, row.id);
}
