import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { parsePurpose } from '../../access/purpose';
import { Child } from '../children/child.types';
import { isUuid } from '../../domain/identifiers';
import { selectedAmong } from '../../graphql/selection';
import { CONTENT_PARTS } from '../../access/record-store';
import { PurposeInput, RecordFilter, SharedRecord, SharedRecordConnection, toSharedRecord } from './record.types';
import { parseRecordFilter } from './record-filter';
import { edgesOf } from '../../access/pagination';

@Resolver(() => SharedRecord)
export class RecordResolver {
  @Query(() => SharedRecord, { nullable: true, description: 'One record, as the caller may see it; null when absent or not visible. Audited with the stated purpose.' })
  async record(
    @Arg('id', () => ID) id: string,
    @Arg('purpose', () => PurposeInput) purpose: PurposeInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SharedRecord | null> {
    const stated = parsePurpose(purpose);
    if (!isUuid(id)) return null;
    const view = await ctx.access.record(id, stated);
    return view ? toSharedRecord(view) : null;
  }
}

@Resolver(() => Child)
export class ChildRecordsResolver {
  @FieldResolver(() => SharedRecordConnection, { description: "The child's records the caller may know of, newest first. FLAG entries show only that information is held." })
  async records(
    @Root() child: Child,
    @Arg('purpose', () => PurposeInput) purpose: PurposeInput,
    @Arg('filter', () => RecordFilter, { nullable: true }) filter: RecordFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SharedRecordConnection> {
    const contentParts = selectedAmong(info, CONTENT_PARTS, ['edges', 'node']);
    const page = await ctx.access.childRecords(child.id, parsePurpose(purpose), parseRecordFilter(filter), { first, after }, { contentParts });
    return {
      edges: edgesOf(page, toSharedRecord),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }
}
