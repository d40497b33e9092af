import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CHILD_RECORD_FIELDS, selectsAnyOf } from '../../graphql/selection';
import { decodeCursor, encodeCursor, pageSize } from '../../access/pagination';
import { mayReadReferralHistory, mayWorkEnquiries } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, notFound } from '../../server/errors';
import { Child } from '../children/child.types';
import { isUuid } from '../../domain/identifiers';
import { closeEnquiry } from './closure.service';
import { recordDecision } from './decision.service';
import { DecisionInput } from './decision.types';
import { enquiryIdsPage, openEnquiry, requireMashStaff, rerateEnquiry } from './enquiry.service';
import { loadEnquiries } from './enquiry.store';
import { Enquiry, EnquiryConnection, EnquiryDecision, EnquiryFilter, EnquiryInput, RagRatingEnum } from './enquiry.types';
import type { RagRating } from './front-door-vocabulary';

/** The time in a cursor this API issued: an ISO instant as toISOString writes it. */
const ISSUED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function enquiryById(ctx: RequestContext, id: string): Promise<Enquiry> {
  // Ids are accepted in either case; the database answers them in lower case.
  const found = (await loadEnquiries(ctx.services.dataSource.manager, [id], ctx.now)).get(id.toLowerCase());
  if (!found) throw notFound('enquiry');
  return found;
}

@Resolver(() => Enquiry)
export class EnquiryResolver {
  @Query(() => Enquiry, { nullable: true, description: 'An enquiry, for MASH staff; null otherwise or when absent.' })
  async enquiry(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Enquiry | null> {
    if (!mayWorkEnquiries(ctx.viewer) || !isUuid(id)) {
      ctx.pendingAudit.push({ action: 'ENQUIRY_VIEW', outcome: 'DENIED', query: { enquiryId: id } });
      return null;
    }
    const found = (await loadEnquiries(ctx.services.dataSource.manager, [id], ctx.now)).get(id.toLowerCase()) ?? null;
    ctx.pendingAudit.push({ action: 'ENQUIRY_VIEW', outcome: found ? 'OK' : 'DENIED', query: { enquiryId: id }, resultIds: found ? [found.id] : [] });
    return found;
  }

  @Query(() => EnquiryConnection, { description: 'Enquiries newest received first, for MASH staff.' })
  async enquiries(
    @Arg('filter', () => EnquiryFilter, { nullable: true }) filter: EnquiryFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<EnquiryConnection> {
    if (!mayWorkEnquiries(ctx.viewer)) ctx.pendingAudit.push({ action: 'ENQUIRY_LIST', outcome: 'DENIED', query: { filter, first, after } });
    requireMashStaff(ctx);
    const size = pageSize(first);
    const key = after ? decodeCursor(after) : null;
    if (key && (key.length !== 2 || typeof key[0] !== 'string' || !ISSUED_TIME.test(key[0]) || typeof key[1] !== 'string' || !isUuid(key[1]))) throw badField('after', 'is not a cursor this API issued');
    // One child's enquiries are its referral history, and follow that rule (mayReadReferralHistory):
    // none for a shielded child seen without a ground, exactly as for a child with no enquiries.
    if (filter?.childId && isUuid(filter.childId)) {
      const decided = await ctx.access.currentChildDecision(filter.childId);
      if (!mayReadReferralHistory(ctx.viewer, decided?.decision ?? null)) {
        ctx.pendingAudit.push({ action: 'ENQUIRY_LIST', outcome: 'DENIED', childId: filter.childId, query: { filter, first, after } });
        return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
      }
    }
    const rows = await enquiryIdsPage(ctx.services.dataSource.manager, filter ?? {}, ctx.now, size, key ? [String(key[0]), String(key[1])] : null);
    const page = rows.slice(0, size);
    const loaded = await loadEnquiries(ctx.services.dataSource.manager, page.map((r) => r.id), ctx.now);
    const edges = page.map((r) => ({ node: loaded.get(r.id) as Enquiry, cursor: encodeCursor([r.received_at.toISOString(), r.id]) }));
    ctx.pendingAudit.push({ action: 'ENQUIRY_LIST', outcome: 'OK', query: { filter, first, after }, resultIds: page.map((r) => r.id) });
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null } };
  }

  @FieldResolver(() => [Child], { description: 'The children concerned, as the caller may see them.' })
  async children(@Root() enquiry: Enquiry, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Child[]> {
    const withRecords = selectsAnyOf(info, CHILD_RECORD_FIELDS);
    const views = await Promise.all(enquiry.childIds.map((id) => ctx.access.child(id, 'CHILD_VIEW', { withRecords })));
    return views.filter((v): v is Child => v !== null);
  }

  @Mutation(() => Enquiry, { description: 'Records a contact received at the front door; sets its research and decision deadlines.' })
  async openEnquiry(@Arg('input', () => EnquiryInput) input: EnquiryInput, @Ctx() ctx: RequestContext): Promise<Enquiry> {
    return enquiryById(ctx, await openEnquiry(ctx, input));
  }

  @Mutation(() => Enquiry, { description: 'Re-rates an open enquiry with a reason; the research deadline is reset from now.' })
  async rerateEnquiry(
    @Arg('id', () => ID) id: string,
    @Arg('rating', () => RagRatingEnum) rating: RagRating,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Enquiry> {
    await rerateEnquiry(ctx, id, rating, reason);
    return enquiryById(ctx, id);
  }

  @Mutation(() => Enquiry, { description: "A manager's decision, with rationale, records relied on and what was shared with whom and why." })
  async recordDecision(@Arg('input', () => DecisionInput) input: DecisionInput, @Ctx() ctx: RequestContext): Promise<Enquiry> {
    await recordDecision(ctx, input);
    return enquiryById(ctx, input.enquiryId);
  }

  @Mutation(() => Enquiry, { description: 'A social care manager closes a decided enquiry with a reason; unanswered research requests are withdrawn.' })
  async closeEnquiry(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: RequestContext): Promise<Enquiry> {
    await closeEnquiry(ctx, id, reason);
    return enquiryById(ctx, id);
  }
}

@Resolver(() => EnquiryDecision)
export class EnquiryDecisionResolver {
  @FieldResolver(() => [ID])
  reliedOnRecordIds(@Root() decision: EnquiryDecision, @Ctx() ctx: RequestContext): Promise<string[]> {
    return ctx.access.knownRecordIds(decision.reliedOnRecordIds);
  }
}
