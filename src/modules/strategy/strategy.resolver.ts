import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { completeAction, finaliseStrategyDiscussion, openStrategyDiscussion, overdueActions, updateStrategyDiscussion } from './strategy.service';
import { StrategyAction, StrategyDiscussion, StrategyDiscussionInput } from './strategy.types';

@Resolver(() => StrategyDiscussion)
export class StrategyResolver {
  @Mutation(() => StrategyDiscussion, { description: 'Starts recording a strategy discussion for an enquiry (a draft until finalised).' })
  openStrategyDiscussion(
    @Arg('enquiryId', () => ID) enquiryId: string,
    @Arg('input', () => StrategyDiscussionInput) input: StrategyDiscussionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<StrategyDiscussion> {
    return openStrategyDiscussion(ctx, enquiryId, input);
  }

  @Mutation(() => StrategyDiscussion, { description: 'Changes a draft discussion; each list given replaces the one held.' })
  updateStrategyDiscussion(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => StrategyDiscussionInput) input: StrategyDiscussionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<StrategyDiscussion> {
    return updateStrategyDiscussion(ctx, id, input);
  }

  @Mutation(() => StrategyDiscussion, { description: 'Finalises a discussion; refuses, naming each missing field, one lacking attendees, records shared, risks, rationale, decision or an action owner or due date.' })
  finaliseStrategyDiscussion(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<StrategyDiscussion> {
    return finaliseStrategyDiscussion(ctx, id);
  }

  @Mutation(() => StrategyAction, { description: 'Marks an action done (MASH staff or the owning agency).' })
  completeAction(@Arg('id', () => ID) id: string, @Arg('note', () => String, { nullable: true }) note: string | null, @Ctx() ctx: RequestContext): Promise<StrategyAction> {
    return completeAction(ctx, id, note);
  }

  @Query(() => [StrategyAction], { description: 'Actions past their due date and not done; an agency sees its own.' })
  overdueActions(@Ctx() ctx: RequestContext): Promise<StrategyAction[]> {
    return overdueActions(ctx);
  }
}
