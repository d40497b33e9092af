import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { selectedAmong } from '../../graphql/selection';
import { CONTENT_PARTS } from '../../access/record-store';
import { parsePurpose } from '../../access/purpose';
import type { RequestContext } from '../../server/context';
import { Child } from '../children/child.types';
import { PurposeInput } from '../records/record.types';
import { chronology } from './chronology.service';
import { ChronologyConnection, ChronologyFilter } from './chronology.types';
import { edgesOf } from '../../access/pagination';

@Resolver(() => Child)
export class ChildChronologyResolver {
  @FieldResolver(() => ChronologyConnection, { description: "One timeline, newest first, of the child's records from every agency (as the policy allows) and the front-door steps." })
  async chronology(
    @Root() child: Child,
    @Arg('purpose', () => PurposeInput) purpose: PurposeInput,
    @Arg('filter', () => ChronologyFilter, { nullable: true }) filter: ChronologyFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ChronologyConnection> {
    const contentParts = selectedAmong(info, CONTENT_PARTS, ['edges', 'node', 'record']);
    const page = await chronology(ctx, child.id, parsePurpose(purpose), filter, { first, after }, { contentParts });
    return {
      edges: edgesOf(page, (node) => node),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }
}
