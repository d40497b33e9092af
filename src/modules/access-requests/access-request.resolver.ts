import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { parsePurpose } from '../../access/purpose';
import type { RequestContext } from '../../server/context';
import { PurposeInput } from '../records/record.types';
import { AccessRequest, AccessRequestConnection, AccessRequestFilter } from './access-request.types';
import { accessRequestCursor, decideAccessRequest, listAccessRequests, requestAccess } from './access-request.service';
import { toAccessRequest } from './access-request.store';

@Resolver(() => AccessRequest)
export class AccessRequestResolver {
  @Mutation(() => AccessRequest, { description: "Ask a record's owning agency for content you see only as a flag. Asking twice returns the pending request." })
  async requestAccess(
    @Arg('recordId', () => ID) recordId: string,
    @Arg('purpose', () => PurposeInput) purpose: PurposeInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessRequest> {
    return toAccessRequest(await requestAccess(ctx, recordId, parsePurpose(purpose)), ctx.now);
  }

  @Mutation(() => AccessRequest, { description: 'MANAGER of the owning agency: approve (a time-boxed grant) or decline, with a reason.' })
  async decideAccessRequest(
    @Arg('id', () => ID) id: string,
    @Arg('approve', () => Boolean) approve: boolean,
    @Arg('reason', () => String) reason: string,
    @Arg('expiresInHours', () => Int, { nullable: true, description: 'For an approval: hours the grant lasts (default 72, at most 720).' })
    expiresInHours: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessRequest> {
    const row = await ctx.services.dataSource.transaction((manager) => decideAccessRequest(manager, ctx, id, { approve, reason, expiresInHours }));
    return toAccessRequest(row, ctx.now);
  }

  @Query(() => AccessRequestConnection, { description: "Managers: requests for their agency's records. Anyone: their own requests." })
  async accessRequests(
    @Arg('filter', () => AccessRequestFilter, { nullable: true }) filter: AccessRequestFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessRequestConnection> {
    const page = await listAccessRequests(ctx.services.dataSource.manager, ctx, filter, { first, after });
    const edges = page.rows.map((row) => ({ node: toAccessRequest(row, ctx.now), cursor: accessRequestCursor(row) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null } };
  }
}
