import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { BreakGlassOutcomeEnum, BreakGlassReviewFilter, BreakGlassSession, BreakGlassSessionConnection, type BreakGlassOutcome } from './break-glass.types';
import { breakGlass, breakGlassReviews, reviewBreakGlass, sessionCursor } from './break-glass.service';
import { toBreakGlassSession, type BreakGlassRow } from './break-glass.store';
import { mayReadBreakGlassFinding } from '../../policy/grounds-admin';

/** The session as the caller may see it: other agencies' findings without their notes. */
function asSeenBy(ctx: RequestContext, row: BreakGlassRow): BreakGlassSession {
  return toBreakGlassSession(row, ctx.now, (agencyId) => mayReadBreakGlassFinding(ctx.viewer, agencyId));
}

@Resolver(() => BreakGlassSession)
export class BreakGlassResolver {
  @Mutation(() => BreakGlassSession, {
    description: 'Emergency access to STANDARD and SENSITIVE records about one child, for a limited time. Notified to every agency holding records; every read is reviewed.',
  })
  async breakGlass(
    @Arg('childId', () => ID) childId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<BreakGlassSession> {
    const row = await ctx.services.dataSource.transaction((manager) => breakGlass(manager, ctx, childId, reason));
    return asSeenBy(ctx, row);
  }

  @Query(() => BreakGlassSessionConnection, { description: "Managers: break-glass sessions touching their agency's records (social care managers: all), oldest first." })
  async breakGlassReviews(
    @Arg('filter', () => BreakGlassReviewFilter, { nullable: true }) filter: BreakGlassReviewFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BreakGlassSessionConnection> {
    const page = await breakGlassReviews(ctx.services.dataSource.manager, ctx, filter, { first, after });
    const edges = page.rows.map((row) => ({ node: asSeenBy(ctx, row), cursor: sessionCursor(row) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null } };
  }

  @Mutation(() => BreakGlassSession, { description: "Record a finding on a break-glass session: your agency's, and a social care manager's for the front door too. Ends the session if still open." })
  async reviewBreakGlass(
    @Arg('id', () => ID) id: string,
    @Arg('outcome', () => BreakGlassOutcomeEnum) outcome: BreakGlassOutcome,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: RequestContext,
  ): Promise<BreakGlassSession> {
    const row = await ctx.services.dataSource.transaction((manager) => reviewBreakGlass(manager, ctx, id, outcome, note));
    return asSeenBy(ctx, row);
  }
}
