import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { Child, ChildConnection, ChildSearchInput } from './child.types';
import { identifying, parseSearch, searchChildIds, searchCursor } from './child-search';

@Resolver(() => Child)
export class ChildResolver {
  @Query(() => Child, { nullable: true, description: 'Null when the child does not exist or is not visible to the caller.' })
  async child(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Child | null> {
    if (!isUuid(id)) return null;
    return ctx.access.child(id);
  }

  @Query(() => ChildConnection, { description: 'Find a child by name, date of birth or identifier. Every search is audited with its criteria and results.' })
  async searchChildren(
    @Arg('input', () => ChildSearchInput) input: ChildSearchInput,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ChildConnection> {
    const criteria = parseSearch(input);
    const found = await searchChildIds(ctx.services.dataSource.manager, criteria, first, after);
    const views = await ctx.access.childrenFound(found.ids, { criteria, first, after }, identifying(criteria));
    const edges = views.map((node) => ({ node, cursor: searchCursor(found.offset + found.ids.indexOf(node.id) + 1) }));
    const lastCursor = found.ids.length > 0 ? searchCursor(found.offset + found.ids.length) : null;
    return { edges, pageInfo: { hasNextPage: found.hasNextPage, endCursor: lastCursor } };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
