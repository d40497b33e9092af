import type { EntityManager } from 'typeorm';
import { mayCompleteAction, mayWorkEnquiries, overdueActionScope } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, badInput, forbidden, notFound, Problems } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { missingBeforeFinal } from './finalise-rules';
import { ACTION_JSON, loadDiscussions, toAction } from './strategy.store';
import { agenciesWithCodes } from '../agencies/agency.service';
import type { StrategyAction, StrategyDiscussion, StrategyDiscussionInput } from './strategy.types';

function requireStrategyStaff(ctx: RequestContext): void {
  if (!mayWorkEnquiries(ctx.viewer)) throw forbidden('strategy discussions are recorded by MASH researchers and social care managers');
}

export async function discussionById(ctx: RequestContext, manager: EntityManager, id: string): Promise<StrategyDiscussion> {
  const found = isUuid(id) ? (await loadDiscussions(manager, [id], ctx.now)).get(id) : undefined;
  if (!found) throw notFound('strategy discussion');
  return found;
}

/** Writes the parts given in the input, replacing each list given; validates references first. */
async function saveParts(ctx: RequestContext, manager: EntityManager, id: string, enquiryId: string, input: StrategyDiscussionInput): Promise<void> {
  const problems = new Problems();
  const codes = [...(input.attendees ?? []).map((a) => a.agencyCode), ...(input.actions ?? []).flatMap((a) => (a.ownerAgencyCode ? [a.ownerAgencyCode] : []))]
    .map((c) => c.trim().toUpperCase());
  const agencies = await agenciesWithCodes(manager, codes);
  const agencyId = (code: string): string | undefined => agencies.find((a) => a.code === code.trim().toUpperCase())?.id;
  input.attendees?.forEach((a, i) => {
    if (!agencyId(a.agencyCode)) problems.add(`input.attendees[${i}].agencyCode`, 'unknown agency');
    if (!a.role.trim()) problems.add(`input.attendees[${i}].role`, 'give the attendee role');
    problems.checkText(`input.attendees[${i}].role`, a.role, 200);
    problems.checkText(`input.attendees[${i}].name`, a.name, 200);
  });
  input.actions?.forEach((a, i) => {
    if (!a.description.trim()) problems.add(`input.actions[${i}].description`, 'describe the action');
    if (a.ownerAgencyCode && !agencyId(a.ownerAgencyCode)) problems.add(`input.actions[${i}].ownerAgencyCode`, 'unknown agency');
    problems.checkText(`input.actions[${i}].description`, a.description, 2000);
    problems.checkText(`input.actions[${i}].ownerName`, a.ownerName, 200);
  });
  input.risks?.forEach((r, i) => {
    if (!r.trim()) problems.add(`input.risks[${i}]`, 'describe the risk');
    problems.checkText(`input.risks[${i}]`, r, 2000);
  });
  problems.checkText('input.rationale', input.rationale, 8000);
  problems.checkText('input.decision', input.decision, 4000);
  let shared: Array<{ id: string; version: number }> = [];
  if (input.recordsShared) {
    // Only records about the enquiry's children that the chair may know of can be cited.
    const childIds: string[] = (await manager.query(`SELECT child_id FROM enquiry_child WHERE enquiry_id = $1`, [enquiryId])).map((r: { child_id: string }) => r.child_id);
    const known = (await Promise.all(childIds.map((c) => ctx.access.decidedRecordsOfChild(c)))).flat();
    shared = input.recordsShared.map((rid, i) => {
      const hit = known.find((k) => k.meta.id === rid);
      if (!hit) problems.add(`input.recordsShared[${i}]`, 'is not a record about a child on this enquiry');
      return { id: rid, version: hit?.meta.version ?? 0 };
    });
  }
  problems.throwIfAny();
  await manager.query(
    `UPDATE strategy_discussion SET held_at = coalesce($2, held_at), rationale = coalesce($3, rationale), decision = coalesce($4, decision) WHERE id = $1`,
    [id, input.heldAt ?? null, input.rationale?.trim() || null, input.decision?.trim() || null]);
  if (input.attendees) {
    await manager.query(`DELETE FROM strategy_attendee WHERE discussion_id = $1`, [id]);
    await manager.query(`INSERT INTO strategy_attendee (discussion_id, agency_id, role, name) SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[])`,
      [id, input.attendees.map((a) => agencyId(a.agencyCode)), input.attendees.map((a) => a.role.trim()), input.attendees.map((a) => a.name?.trim() || null)]);
  }
  if (input.recordsShared) {
    // The list given replaces the records the editor may know of; those cited by someone who could
    // see them, and hidden from this editor, stay as they were (the editor was never shown them).
    const stored: Array<{ record_id: string; version: number }> = await manager.query(
      `SELECT record_id, version FROM strategy_record_shared WHERE discussion_id = $1`, [id]);
    const known = new Set(await ctx.access.knownRecordIds(stored.map((r) => r.record_id)));
    const kept = stored.filter((r) => !known.has(r.record_id)).map((r) => ({ id: r.record_id, version: r.version }));
    const all = [...shared, ...kept];
    await manager.query(`DELETE FROM strategy_record_shared WHERE discussion_id = $1`, [id]);
    await manager.query(`INSERT INTO strategy_record_shared (discussion_id, record_id, version) SELECT $1, * FROM unnest($2::uuid[], $3::int[]) ON CONFLICT DO NOTHING`,
      [id, all.map((s) => s.id), all.map((s) => s.version)]);
  }
  if (input.risks) {
    await manager.query(`DELETE FROM strategy_risk WHERE discussion_id = $1`, [id]);
    await manager.query(`INSERT INTO strategy_risk (discussion_id, description) SELECT $1, unnest($2::text[])`, [id, input.risks.map((r) => r.trim())]);
  }
  if (input.actions) {
    await manager.query(`DELETE FROM strategy_action WHERE discussion_id = $1`, [id]);
    await manager.query(`INSERT INTO strategy_action (discussion_id, description, owner_agency_id, owner_name, due_at) SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::timestamptz[])`,
      [id, input.actions.map((a) => a.description.trim()), input.actions.map((a) => (a.ownerAgencyCode ? agencyId(a.ownerAgencyCode) : null)),
        input.actions.map((a) => a.ownerName?.trim() || null), input.actions.map((a) => a.dueAt ?? null)]);
  }
}

export async function openStrategyDiscussion(ctx: RequestContext, enquiryId: string, input: StrategyDiscussionInput): Promise<StrategyDiscussion> {
  requireStrategyStaff(ctx);
  if (!isUuid(enquiryId)) throw badField('enquiryId', 'no such enquiry');
  return ctx.services.dataSource.transaction(async (manager) => {
    // Locked against a close under way, which counts the drafts: a closed enquiry has none.
    const [enquiry]: Array<{ status: string }> = await manager.query(`SELECT status FROM enquiry WHERE id = $1 FOR SHARE`, [enquiryId]);
    if (!enquiry) throw badField('enquiryId', 'no such enquiry');
    if (enquiry.status === 'CLOSED') throw badField('enquiryId', 'the enquiry is closed; a strategy discussion is held while it is open or decided');
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO strategy_discussion (enquiry_id, held_at, created_by_sub) VALUES ($1, $2, $3) RETURNING id`, [enquiryId, input.heldAt ?? ctx.now, ctx.viewer.sub]);
    await saveParts(ctx, manager, row.id, enquiryId, input);
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{ action: 'STRATEGY_DISCUSSION_OPEN', outcome: 'OK', purpose: { enquiryId, reason: null }, query: { discussionId: row.id } }]);
    return discussionById(ctx, manager, row.id);
  });
}

async function lockedDraft(manager: EntityManager, id: string): Promise<{ enquiry_id: string }> {
  const rows: Array<{ enquiry_id: string; status: string }> = isUuid(id) ? await manager.query(`SELECT enquiry_id, status FROM strategy_discussion WHERE id = $1 FOR UPDATE`, [id]) : [];
  if (rows.length === 0) throw notFound('strategy discussion');
  if (rows[0].status === 'FINAL') throw badField('id', 'a finalised strategy discussion cannot be changed');
  return rows[0];
}

export async function updateStrategyDiscussion(ctx: RequestContext, id: string, input: StrategyDiscussionInput): Promise<StrategyDiscussion> {
  requireStrategyStaff(ctx);
  return ctx.services.dataSource.transaction(async (manager) => {
    const draft = await lockedDraft(manager, id);
    await saveParts(ctx, manager, id, draft.enquiry_id, input);
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{ action: 'STRATEGY_DISCUSSION_UPDATE', outcome: 'OK', purpose: { enquiryId: draft.enquiry_id, reason: null }, query: { discussionId: id } }]);
    return discussionById(ctx, manager, id);
  });
}

/** Refuses, naming every missing part, a discussion that lacks anything Working Together asks it to record. */
export async function finaliseStrategyDiscussion(ctx: RequestContext, id: string): Promise<StrategyDiscussion> {
  requireStrategyStaff(ctx);
  return ctx.services.dataSource.transaction(async (manager) => {
    const draft = await lockedDraft(manager, id);
    const missing = missingBeforeFinal(await discussionById(ctx, manager, id));
    if (missing.length > 0) throw badInput(missing);
    await manager.query(`UPDATE strategy_discussion SET status = 'FINAL', finalised_at = $2, finalised_by_sub = $3 WHERE id = $1`, [id, ctx.now, ctx.viewer.sub]);
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{ action: 'STRATEGY_DISCUSSION_FINAL', outcome: 'OK', purpose: { enquiryId: draft.enquiry_id, reason: null }, query: { discussionId: id } }]);
    return discussionById(ctx, manager, id);
  });
}

const SELECT_ACTIONS = `SELECT ${ACTION_JSON} AS action, x.owner_agency_id FROM strategy_action x LEFT JOIN agency oa ON oa.id = x.owner_agency_id
  JOIN strategy_discussion d ON d.id = x.discussion_id`;

export async function completeAction(ctx: RequestContext, id: string, note: string | null): Promise<StrategyAction> {
  if (!isUuid(id)) throw notFound('action');
  const problems = new Problems();
  problems.checkText('note', note, 2000);
  problems.throwIfAny();
  return ctx.services.dataSource.transaction(async (manager) => {
    // Locked, so of two people marking it done at once the second is told it is done.
    const rows: Array<{ action: Parameters<typeof toAction>[0]; owner_agency_id: string | null }> = await manager.query(`${SELECT_ACTIONS} WHERE x.id = $1 AND d.status = 'FINAL' FOR UPDATE OF x`, [id]);
    if (rows.length === 0 || !mayCompleteAction(ctx.viewer, { ownerAgencyId: rows[0].owner_agency_id })) throw notFound('action');
    if (rows[0].action.completedAt) throw badField('id', 'this action is already done');
    await manager.query(`UPDATE strategy_action SET completed_at = $2, completed_by_sub = $3, completion_note = $4 WHERE id = $1`, [id, ctx.now, ctx.viewer.sub, note?.trim() || null]);
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{ action: 'STRATEGY_ACTION_DONE', outcome: 'OK', query: { actionId: id } }]);
    const [done]: typeof rows = await manager.query(`${SELECT_ACTIONS} WHERE x.id = $1`, [id]);
    return toAction(done.action, ctx.now);
  });
}

/**
 * Actions of finalised discussions past their due date and not done: all for MASH staff, an
 * agency's own for its readers. Every list is audited with the actions shown, and a refusal too.
 */
export async function overdueActions(ctx: RequestContext): Promise<StrategyAction[]> {
  const scope = overdueActionScope(ctx.viewer);
  if (scope === 'NONE') {
    ctx.pendingAudit.push({ action: 'OVERDUE_ACTIONS_VIEW', outcome: 'DENIED', query: {} });
    throw forbidden('overdue actions are seen by MASH staff and by the agencies that own them');
  }
  const rows: Array<{ action: Parameters<typeof toAction>[0] }> = await ctx.services.dataSource.query(
    `${SELECT_ACTIONS} WHERE d.status = 'FINAL' AND x.completed_at IS NULL AND x.due_at < $1 AND ($2::uuid IS NULL OR x.owner_agency_id = $2)
     ORDER BY x.due_at, x.id LIMIT 500`,
    [ctx.now, scope === 'ALL' ? null : ctx.viewer.agencyId]);
  const actions = rows.map((r) => toAction(r.action, ctx.now));
  ctx.pendingAudit.push({ action: 'OVERDUE_ACTIONS_VIEW', outcome: 'OK', query: { scope }, resultIds: actions.map((a) => a.id) });
  return actions;
}
