import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { Child } from '../children/child.types';
import { LawfulBasis, LawfulBasisInput } from './lawful-basis.types';
import { endLawfulBasis, lawfulBasesShown, recordLawfulBasis, toLawfulBasis } from './lawful-basis.service';

@Resolver(() => LawfulBasis)
export class LawfulBasisResolver {
  @Mutation(() => LawfulBasis, { description: 'MANAGER of a social care agency (police: POLICE_PROTECTION only): record a ground for sharing without consent.' })
  async recordLawfulBasis(@Arg('input', () => LawfulBasisInput) input: LawfulBasisInput, @Ctx() ctx: RequestContext): Promise<LawfulBasis> {
    const row = await ctx.services.dataSource.transaction(async (manager) => {
      const saved = await recordLawfulBasis(manager, ctx, input);
      await ctx.services.auditWriter.appendWithin(manager, ctx, [
        { action: 'LAWFUL_BASIS_RECORD', outcome: 'OK', childId: saved.childId, grounds: [{ kind: 'LAWFUL_BASIS', id: saved.id }] },
      ]);
      return saved;
    });
    return toLawfulBasis(row, ctx.now);
  }

  @Mutation(() => LawfulBasis, { description: 'End a lawful basis early; every request that starts afterwards no longer relies on it.' })
  async endLawfulBasis(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<LawfulBasis> {
    const row = await ctx.services.dataSource.transaction(async (manager) => {
      const saved = await endLawfulBasis(manager, ctx, id, reason);
      await ctx.services.auditWriter.appendWithin(manager, ctx, [
        { action: 'LAWFUL_BASIS_END', outcome: 'OK', childId: saved.childId, grounds: [{ kind: 'LAWFUL_BASIS', id: saved.id }] },
      ]);
      return saved;
    });
    return toLawfulBasis(row, ctx.now);
  }
}

@Resolver(() => Child)
export class ChildLawfulBasesResolver {
  @FieldResolver(() => [LawfulBasis], { description: "The child's lawful bases, to those who may know records are held and to DPOs; otherwise empty." })
  async lawfulBases(@Root() child: Child, @Ctx() ctx: RequestContext): Promise<LawfulBasis[]> {
    return (await lawfulBasesShown(ctx, child.id)).map((row) => toLawfulBasis(row, ctx.now));
  }
}
