import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AccessLayer } from '../../access/access-layer';
import { mayWorkEnquiries } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { Enquiry } from '../enquiries/enquiry.types';
import { completeAction, finaliseStrategyDiscussion, openStrategyDiscussion, overdueActions, updateStrategyDiscussion } from './strategy.service';
import { discussionsOfEnquiries } from './strategy.store';
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

// One loader per request: keyed by the request's access layer, which lives exactly as long.
const loaders = new WeakMap<AccessLayer, DataLoader<string, StrategyDiscussion[]>>();

@Resolver(() => Enquiry)
export class EnquiryStrategyResolver {
  @FieldResolver(() => [StrategyDiscussion], { description: 'Strategy discussions held for this enquiry, oldest first; drafts included.' })
  strategyDiscussions(@Root() enquiry: Enquiry, @Ctx() ctx: RequestContext): Promise<StrategyDiscussion[]> {
    // Enquiries are read only by MASH staff; the check keeps this field safe wherever an Enquiry appears.
    if (!mayWorkEnquiries(ctx.viewer)) return Promise.resolve([]);
    let loader = loaders.get(ctx.access);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const found = await discussionsOfEnquiries(ctx.services.dataSource.manager, ids, ctx.now);
        return ids.map((id) => found.get(id) ?? []);
      });
      loaders.set(ctx.access, loader);
    }
    return loader.load(enquiry.id);
  }
}
