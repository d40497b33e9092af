import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mayWorkEnquiries } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { Enquiry } from '../enquiries/enquiry.types';
import { completeAction, finaliseStrategyDiscussion, openStrategyDiscussion, overdueActions, updateStrategyDiscussion } from './strategy.service';
import { frontDoorSteps } from '../enquiries/front-door-steps';
import { SharedRecordRef, StrategyAction, StrategyDiscussion, StrategyDiscussionInput } from './strategy.types';

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

  @FieldResolver(() => [SharedRecordRef])
  async recordsShared(@Root() discussion: StrategyDiscussion, @Ctx() ctx: RequestContext): Promise<SharedRecordRef[]> {
    const known = new Map((await ctx.access.knownRecords(discussion.recordsShared.map((ref) => ref.recordId))).map((k) => [k.id, k.visibility]));
    // A flag shows no version (docs/policy.md section 3), here as on the record itself.
    return discussion.recordsShared.flatMap((ref) => {
      const visibility = known.get(ref.recordId);
      return visibility ? [{ recordId: ref.recordId, version: visibility === 'FULL' ? ref.version : null }] : [];
    });
  }

  @Query(() => [StrategyAction], { description: 'Actions past their due date and not done: MASH staff see all, a practitioner or manager those owned by their agency; others are refused.' })
  overdueActions(@Ctx() ctx: RequestContext): Promise<StrategyAction[]> {
    return overdueActions(ctx);
  }
}

@Resolver(() => Enquiry)
export class EnquiryStrategyResolver {
  @FieldResolver(() => [StrategyDiscussion], { description: 'Strategy discussions held for this enquiry, oldest first; drafts included.' })
  strategyDiscussions(@Root() enquiry: Enquiry, @Ctx() ctx: RequestContext): Promise<StrategyDiscussion[]> {
    // Enquiries are read only by MASH staff; the check keeps this field safe wherever an Enquiry appears.
    if (!mayWorkEnquiries(ctx.viewer)) return Promise.resolve([]);
    return frontDoorSteps(ctx).strategy(enquiry.id);
  }
}
