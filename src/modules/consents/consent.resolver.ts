import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { Child } from '../children/child.types';
import { Consent, ConsentInput } from './consent.types';
import { consentsShown, recordConsent, toConsent, withdrawConsent } from './consent.service';

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: 'PRACTITIONER, MASH_RESEARCHER or MANAGER: record consent given by a child, parent or carer.' })
  async recordConsent(@Arg('input', () => ConsentInput) input: ConsentInput, @Ctx() ctx: RequestContext): Promise<Consent> {
    const row = await ctx.services.dataSource.transaction(async (manager) => {
      const saved = await recordConsent(manager, ctx, input);
      await ctx.services.auditWriter.appendWithin(manager, ctx, [
        { action: 'CONSENT_RECORD', outcome: 'OK', childId: saved.childId, grounds: [{ kind: 'CONSENT', id: saved.id }] },
      ]);
      return saved;
    });
    return toConsent(row, ctx.now);
  }

  @Mutation(() => Consent, { description: 'Record that consent was withdrawn; every request that starts afterwards no longer relies on it.' })
  async withdrawConsent(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Consent> {
    const row = await ctx.services.dataSource.transaction(async (manager) => {
      const saved = await withdrawConsent(manager, ctx, id, reason);
      await ctx.services.auditWriter.appendWithin(manager, ctx, [
        { action: 'CONSENT_WITHDRAW', outcome: 'OK', childId: saved.childId, grounds: [{ kind: 'CONSENT', id: saved.id }] },
      ]);
      return saved;
    });
    return toConsent(row, ctx.now);
  }
}

@Resolver(() => Child)
export class ChildConsentsResolver {
  @FieldResolver(() => [Consent], { description: "The child's consents, to those who may know records are held and to DPOs; otherwise empty." })
  async consents(@Root() child: Child, @Ctx() ctx: RequestContext): Promise<Consent[]> {
    return (await consentsShown(ctx, child.id)).map((row) => toConsent(row, ctx.now));
  }
}
