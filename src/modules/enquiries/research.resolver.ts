import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { listResearchRequests, requestResearch, respondToResearch } from './research.service';
import { ResearchRequest, ResearchRequestFilter, ResearchRequestInput, ResearchResponseInput } from './research.types';

@Resolver(() => ResearchRequest)
export class ResearchResolver {
  @Mutation(() => [ResearchRequest], { description: 'Asks named agencies to research a child for an open enquiry.' })
  requestResearch(@Arg('input', () => ResearchRequestInput) input: ResearchRequestInput, @Ctx() ctx: RequestContext): Promise<ResearchRequest[]> {
    return requestResearch(ctx, input);
  }

  @Query(() => [ResearchRequest], { description: "An agency's research requests (MASH staff: any agency's), soonest due first; at most 200." })
  researchRequests(@Arg('filter', () => ResearchRequestFilter, { nullable: true }) filter: ResearchRequestFilter | null, @Ctx() ctx: RequestContext): Promise<ResearchRequest[]> {
    return listResearchRequests(ctx, filter);
  }

  @Mutation(() => ResearchRequest, { description: "Answers a request with the agency's own records about the child, or that nothing is held." })
  respondToResearch(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ResearchResponseInput) input: ResearchResponseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ResearchRequest> {
    return respondToResearch(ctx, id, input);
  }
}
