import { mayCloseEnquiry } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, Problems, textLength } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { closureProblem } from './closure-rules';
import { MIN_REASON, type DecisionOutcome, type EnquiryStatus } from './front-door-vocabulary';

const MAX_REASON = 2000;

/**
 * A manager closes a decided enquiry with a reason. Research still unanswered is withdrawn in the
 * same transaction, so partners are no longer chased for it; the closure is audited for every
 * child on the enquiry and appears in their chronologies.
 */
export async function closeEnquiry(ctx: RequestContext, id: string, reason: string): Promise<void> {
  if (!mayCloseEnquiry(ctx.viewer)) throw forbidden('enquiries are closed by a social care manager');
  const why = reason.trim();
  const problems = new Problems();
  if (!isUuid(id)) problems.add('id', 'no such enquiry');
  if (textLength(why) < MIN_REASON || textLength(why) > MAX_REASON) problems.add('reason', `give a reason of ${MIN_REASON} to ${MAX_REASON} characters`);
  else problems.checkText('reason', why, MAX_REASON);
  problems.throwIfAny();
  await ctx.services.dataSource.transaction(async (manager) => {
    // The lock first, in a statement of its own: the counts below are then read after whoever held
    // it has committed (a strategy discussion opened beside this close is counted as a draft).
    await manager.query(`SELECT 1 FROM enquiry WHERE id = $1 FOR UPDATE`, [id]);
    const [state]: Array<{ status: EnquiryStatus; outcome: DecisionOutcome | null; drafts: number; finals: number; child_ids: string[] }> = await manager.query(
      `SELECT e.status, d.outcome,
         (SELECT count(*)::int FROM strategy_discussion s WHERE s.enquiry_id = e.id AND s.status = 'DRAFT') AS drafts,
         (SELECT count(*)::int FROM strategy_discussion s WHERE s.enquiry_id = e.id AND s.status = 'FINAL') AS finals,
         (SELECT coalesce(array_agg(ec.child_id::text ORDER BY ec.child_id), '{}') FROM enquiry_child ec WHERE ec.enquiry_id = e.id) AS child_ids
       FROM enquiry e LEFT JOIN enquiry_decision d ON d.enquiry_id = e.id WHERE e.id = $1 FOR UPDATE OF e`,
      [id],
    );
    if (!state) throw badField('id', 'no such enquiry');
    const problem = closureProblem({ status: state.status, outcome: state.outcome, draftDiscussions: state.drafts, finalDiscussions: state.finals });
    if (problem) throw badField('id', problem);
    await manager.query(
      `UPDATE enquiry SET status = 'CLOSED', closed_at = $2, closed_by_sub = $3, closed_by_name = $4, closed_by_agency_id = $5, close_reason = $6 WHERE id = $1`,
      [id, ctx.now, ctx.viewer.sub, ctx.viewer.name, ctx.viewer.agencyId, why]);
    const withdrawn: Array<{ id: string }> = await manager.query(
      // Wrapped as a SELECT: for an UPDATE the driver answers [rows, count] rather than the rows.
      `WITH u AS (UPDATE research_request SET withdrawn_at = $2 WHERE enquiry_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL RETURNING id)
       SELECT id FROM u ORDER BY id`, [id, ctx.now]);
    await ctx.services.auditWriter.appendWithin(manager, ctx, state.child_ids.map((childId) => ({
      action: 'ENQUIRY_CLOSE', outcome: 'OK' as const, childId, purpose: { enquiryId: id, reason: null },
      query: { enquiryId: id, reason: why, withdrawnResearchRequestIds: withdrawn.map((w) => w.id) },
    })));
  });
}
