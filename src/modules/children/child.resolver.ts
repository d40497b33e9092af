import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { isUuid } from '../../domain/identifiers';
import { CHILD_RECORD_FIELDS, selectsAnyOf } from '../../graphql/selection';
import type { RequestContext } from '../../server/context';
import { Child, ChildConnection, ChildSearchInput } from './child.types';
import { identifying, parseSearch, searchChildIds } from './child-search';
import { edgesOf } from '../../access/pagination';

@Resolver(() => Child)
export class ChildResolver {
  @Query(() => Child, { nullable: true, description: 'Null when the child does not exist or is not visible to the caller.' })
  async child(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Child | null> {
    if (!isUuid(id)) return null;
    return ctx.access.child(id, 'CHILD_VIEW', { withRecords: selectsAnyOf(info, CHILD_RECORD_FIELDS) });
  }

  @Query(() => ChildConnection, { description: 'Find a child by name, date of birth or identifier. Every search is audited with its criteria and results.' })
  async searchChildren(
    @Arg('input', () => ChildSearchInput) input: ChildSearchInput,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ChildConnection> {
    const criteria = parseSearch(input);
    const candidates = await searchChildIds(ctx.services.dataSource.manager, criteria);
    const page = await ctx.access.childrenFound(candidates, { criteria, first, after }, identifying(criteria), { first, after });
    return {
      edges: edgesOf(page, (node) => node),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
