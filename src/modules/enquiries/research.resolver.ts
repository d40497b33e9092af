import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CHILD_RECORD_FIELDS, selectsAnyOf } from '../../graphql/selection';
import { mayReadResearchRequest } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { Child } from '../children/child.types';
import { Enquiry } from './enquiry.types';
import { listResearchRequests, requestResearch, respondToResearch } from './research.service';
import { toRequest } from './research.store';
import { frontDoorSteps } from './front-door-steps';
import { ResearchRequest, ResearchRequestConnection, ResearchRequestFilter, ResearchRequestInput, ResearchResponseInput } from './research.types';

@Resolver(() => ResearchRequest)
export class ResearchResolver {
  @Mutation(() => [ResearchRequest], { description: 'Asks named agencies to research a child for an open enquiry.' })
  requestResearch(@Arg('input', () => ResearchRequestInput) input: ResearchRequestInput, @Ctx() ctx: RequestContext): Promise<ResearchRequest[]> {
    return requestResearch(ctx, input);
  }

  @Query(() => ResearchRequestConnection, { description: "An agency's research requests (MASH staff: any agency's), soonest due first, keyset-paged." })
  researchRequests(
    @Arg('filter', () => ResearchRequestFilter, { nullable: true }) filter: ResearchRequestFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ResearchRequestConnection> {
    return listResearchRequests(ctx, filter, first, after);
  }

  @Mutation(() => ResearchRequest, { description: "Answers a request with the agency's own records about the child, or that nothing is held." })
  respondToResearch(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ResearchResponseInput) input: ResearchResponseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ResearchRequest> {
    return respondToResearch(ctx, id, input);
  }

  @FieldResolver(() => [ID])
  answerRecordIds(@Root() request: ResearchRequest, @Ctx() ctx: RequestContext): Promise<string[]> {
    return ctx.access.knownRecordIds(request.answerRecordIds);
  }

  /**
   * Being asked to research is not itself a ground: the asked agency sees the child exactly as
   * the policy lets it (a shielded child without a ground: name, age and gender only).
   */
  @FieldResolver(() => Child, { nullable: true, description: 'The child, as the caller may see it; null when the caller may not see the child at all.' })
  child(@Root() request: ResearchRequest, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Child | null> {
    return ctx.access.child(request.childId, 'CHILD_VIEW', { withRecords: selectsAnyOf(info, CHILD_RECORD_FIELDS) });
  }
}

@Resolver(() => Enquiry)
export class EnquiryResearchResolver {
  @FieldResolver(() => [ResearchRequest], { description: 'Research asked of partner agencies for this enquiry, soonest due first, then by agency code.' })
  async researchRequests(@Root() enquiry: Enquiry, @Ctx() ctx: RequestContext): Promise<ResearchRequest[]> {
    const shown = (await frontDoorSteps(ctx).research(enquiry.id))
      .filter((row) => mayReadResearchRequest(ctx.viewer, { agencyId: row.agency_id }))
      .map((row) => toRequest(row, ctx.now));
    // Answers and their notes are read here too, so the read is audited like the queue itself.
    ctx.pendingAudit.push({ action: 'RESEARCH_REQUESTS_VIEW', outcome: 'OK', purpose: { enquiryId: enquiry.id, reason: null }, resultIds: shown.map((r) => r.id) });
    return shown;
  }
}
