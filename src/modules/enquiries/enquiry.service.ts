import type { EntityManager } from 'typeorm';
import { REFERRAL_SOURCES, type ReferralSource } from '../../domain/vocabulary';
import { mayMatchEnquiryChild, mayWorkEnquiries } from '../../policy/front-door';
import { AccessLayer } from '../../access/access-layer';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, Problems, textLength } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { decisionDueAt, researchDueAt, warnIfCalendarShort, workingCalendar } from './deadlines';
import { parseChildClaims, resolveChildren } from './enquiry-children';
import { PUBLIC_REFERRAL_SOURCES, MIN_REASON, type RagRating } from './front-door-vocabulary';
import type { EnquiryInput } from './enquiry.types';
import { recountReferrals } from './referral-count';

const EARLIEST_RECEIPT = Date.UTC(2000, 0, 1);
const CLOCK_SKEW_MS = 5 * 60_000;

export function requireMashStaff(ctx: RequestContext): void {
  if (!mayWorkEnquiries(ctx.viewer)) throw forbidden('front-door enquiries are worked by MASH researchers and social care managers');
}

function validate(input: EnquiryInput, now: Date) {
  const problems = new Problems();
  const claims = parseChildClaims(input.children, problems, now);
  const source = input.referralSource.trim().toUpperCase();
  if (!REFERRAL_SOURCES.includes(source as ReferralSource)) problems.add('input.referralSource', 'is not a Children in Need census source of referral (1A ... 10)');
  const referrer = input.referrer;
  const name = referrer.name?.trim() || null;
  // MASH practice: a member of the public may ask to remain anonymous; a professional never can.
  if (referrer.anonymous && referrer.professional) problems.add('input.referrer.anonymous', 'a professional referrer can never be anonymous');
  else if (referrer.anonymous && !PUBLIC_REFERRAL_SOURCES.includes(source as ReferralSource)) {
    problems.add('input.referrer.anonymous', `only a member of the public (sources ${PUBLIC_REFERRAL_SOURCES.join(', ')}) may remain anonymous`);
  }
  if (!referrer.anonymous && !name) problems.add('input.referrer.name', 'name the referrer (only a member of the public may remain anonymous)');
  problems.checkText('input.referrer.name', referrer.name, 200);
  problems.checkText('input.referrer.role', referrer.role, 200);
  problems.checkText('input.referrer.contact', referrer.contact, 200);
  const concern = input.concern.trim();
  if (textLength(concern) < 10 || textLength(concern) > 4000) problems.add('input.concern', 'describe the concern in 10 to 4000 characters');
  else problems.checkText('input.concern', concern, 4000);
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.add('input.receivedAt', 'cannot be in the future');
  // A typed year of 0025 for 2025 would otherwise be taken, and its deadlines worked out in 1925.
  else if (receivedAt.getTime() < EARLIEST_RECEIPT) problems.add('input.receivedAt', 'cannot be before the year 2000');
  problems.throwIfAny();
  return { claims, source, name, concern, receivedAt, referrer };
}

/**
 * Opens an enquiry: children resolved, deadlines set and the referral history counted, all in one
 * transaction. Whether it is a re-referral follows from that count and is not stored apart from it.
 */
export async function openEnquiry(ctx: RequestContext, input: EnquiryInput): Promise<string> {
  requireMashStaff(ctx);
  const value = validate(input, ctx.now);
  const { config } = ctx.services;
  const researchDue = researchDueAt(value.receivedAt, input.rating, config.ragHours);
  const calendar = workingCalendar(config);
  const decisionDue = decisionDueAt(value.receivedAt, calendar);
  warnIfCalendarShort(calendar, ctx.logger, value.receivedAt, decisionDue);
  // A year's notice in a hub that has run since before the calendar's last year began.
  warnIfCalendarShort(calendar, ctx.logger, ctx.now);
  return ctx.services.dataSource.transaction(async (manager) => {
    const childIds = await resolveChildren(manager, value.claims, {
      agencyId: ctx.viewer.agencyId,
      seesInFull: async (inner, ids) => {
        // Nothing is released, so nothing is audited: the decisions only choose which children may match.
        const access = new AccessLayer(inner, ctx.viewer, ctx.now, []);
        const decided = await Promise.all(ids.map((id) => access.childDecision(id)));
        return new Set(ids.filter((_, i) => mayMatchEnquiryChild(decided[i]?.decision ?? null)));
      },
    });
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO enquiry (received_at, opened_by_sub, opened_by_agency_id, referral_source, referrer_professional, referrer_anonymous,
         referrer_name, referrer_role, referrer_contact, concern, rag_rating, research_due_at, decision_due_at,
         previous_enquiry_id, referrals_in_last_12_months)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, 0) RETURNING id`,
      [value.receivedAt, ctx.viewer.sub, ctx.viewer.agencyId, value.source, value.referrer.professional, value.referrer.anonymous,
        value.name, value.referrer.role?.trim() || null, value.referrer.contact?.trim() || null, value.concern, input.rating,
        researchDue, decisionDue],
    );
    await manager.query(`INSERT INTO enquiry_child (enquiry_id, child_id) SELECT $1, unnest($2::uuid[])`, [row.id, childIds]);
    // Counts this enquiry's history and, for a contact recorded late, makes those received after it
    // within the year re-referrals.
    await recountReferrals(manager, childIds);
    await insertRating(manager, ctx, row.id, input.rating, 'Rating when the contact was received', researchDue, value.receivedAt);
    await ctx.services.auditWriter.appendWithin(manager, ctx, childIds.map((childId) => ({
      action: 'ENQUIRY_OPEN', outcome: 'OK' as const, childId, query: { enquiryId: row.id, rating: input.rating, referralSource: value.source },
    })));
    return row.id;
  });
}

async function insertRating(manager: EntityManager, ctx: RequestContext, enquiryId: string, rating: RagRating, reason: string, due: Date, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO enquiry_rating (enquiry_id, rating, reason, research_due_at, rated_by_sub, rated_by_name, rated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [enquiryId, rating, reason, due, ctx.viewer.sub, ctx.viewer.name, at],
  );
}

/**
 * The rating is reviewed as information arrives. A new rating sets a new research deadline,
 * counted from the re-rating; the statutory decision deadline runs from receipt and does not move.
 */
export async function rerateEnquiry(ctx: RequestContext, id: string, rating: RagRating, reason: string): Promise<void> {
  requireMashStaff(ctx);
  const why = reason.trim();
  if (textLength(why) < MIN_REASON) throw badField('reason', `give a reason of at least ${MIN_REASON} characters`);
  const problems = new Problems();
  problems.checkText('reason', why, 2000);
  problems.throwIfAny();
  if (!isUuid(id)) throw badField('id', 'no such open enquiry');
  const due = researchDueAt(ctx.now, rating, ctx.services.config.ragHours);
  await ctx.services.dataSource.transaction(async (manager) => {
    const updated: Array<{ id: string }> = await manager.query(
      // Wrapped as a SELECT: for an UPDATE the driver answers [rows, count], never an empty list.
      `WITH u AS (UPDATE enquiry SET rag_rating = $2, research_due_at = $3 WHERE id = $1 AND status = 'OPEN' RETURNING id) SELECT id FROM u`,
      [id, rating, due],
    );
    if (updated.length === 0) throw badField('id', 'no such open enquiry');
    await insertRating(manager, ctx, id, rating, why, due, ctx.now);
    await ctx.services.auditWriter.appendWithin(manager, ctx, [{ action: 'ENQUIRY_RERATE', outcome: 'OK', query: { enquiryId: id, rating, reason: why } }]);
  });
}

export interface EnquiryListFilter {
  readonly status?: string | null;
  readonly rating?: string | null;
  readonly childId?: string | null;
  readonly decisionOverdue?: boolean | null;
}

/** One page of enquiry ids, newest received first, by keyset in SQL. */
export async function enquiryIdsPage(
  manager: EntityManager, filter: EnquiryListFilter, now: Date, size: number, after: [string, string] | null,
): Promise<Array<{ id: string; received_at: Date }>> {
  if (filter.childId && !isUuid(filter.childId)) throw badField('filter.childId', 'is not a child id');
  return manager.query(
    `SELECT e.id, e.received_at FROM enquiry e
     WHERE ($1::text IS NULL OR e.status = $1)
       AND ($2::text IS NULL OR e.rag_rating = $2)
       AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM enquiry_child ec WHERE ec.enquiry_id = e.id AND ec.child_id = $3))
       AND ($4::boolean IS NOT TRUE OR (e.status = 'OPEN' AND e.decision_due_at < $5))
       AND ($6::timestamptz IS NULL OR (e.received_at, e.id) < ($6, $7::uuid))
     ORDER BY e.received_at DESC, e.id DESC LIMIT $8`,
    [filter.status ?? null, filter.rating ?? null, filter.childId ?? null, filter.decisionOverdue ?? null, now,
      after ? after[0] : null, after ? after[1] : null, size + 1],
  );
}
