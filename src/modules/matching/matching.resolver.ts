import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, notFound } from '../../server/errors';
import { mayMergeChild, mayMergeChildren, maySeeSourceRef, mayWorkMatchQueue, parkedItemView } from '../../policy/ingest';
import { isUuid } from '../../domain/identifiers';
import { openEntries, entryCursor, resolveEntry, type QueueEntryRow } from './match-queue.service';
import { mergeChildren } from './merge.service';
import { ChildMerge, MatchQueueConnection, MatchQueueEntry, MatchResolution } from './matching.types';

@Resolver()
export class MatchingResolver {
  @Query(() => MatchQueueConnection, { description: 'MASH staff: submitted records waiting to be linked to a child, oldest first, with candidate children.' })
  async matchQueue(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MatchQueueConnection> {
    if (!mayWorkMatchQueue(ctx.viewer)) throw forbidden('the match queue is worked by MASH staff');
    const page = await openEntries(ctx.services.dataSource.manager, first, after);
    const nodes = await Promise.all(page.rows.map((row) => this.entry(row, ctx)));
    // Submitted demographics are personal data shown outside the child policy, so every look is on the trail.
    ctx.pendingAudit.push({ action: 'MATCH_QUEUE_VIEW', outcome: 'OK', query: { first, after }, resultIds: page.rows.map((row) => row.id) });
    const cursors = page.rows.map(entryCursor);
    return {
      edges: nodes.map((node, i) => ({ node, cursor: cursors[i] })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Mutation(() => MatchResolution, { description: 'MASH staff: link a parked item to a child, or create a child from it; its records are then filed.' })
  async resolveMatch(
    @Arg('id', () => ID) id: string,
    @Arg('childId', () => ID, { nullable: true }) childId: string | null,
    @Arg('createNew', () => Boolean, { nullable: true }) createNew: boolean | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MatchResolution> {
    if (!mayWorkMatchQueue(ctx.viewer)) throw forbidden('the match queue is worked by MASH staff');
    if (Boolean(childId) === Boolean(createNew)) throw badField('childId', 'give either childId or createNew: true');
    if (!isUuid(id)) throw notFound('open match queue entry');
    if (childId && !isUuid(childId)) throw notFound('child');
    const { dataSource, auditWriter } = ctx.services;
    const result = await resolveEntry({ dataSource, auditWriter, logger: ctx.logger }, ctx, id, childId ? { childId } : { createNew: true });
    const sourceRefs = maySeeSourceRef(ctx.viewer, result.agencyId);
    const filed = await ctx.access.filedAsKnown(result.filed);
    return { childId: result.childId, filed: filed.map((r) => ({ ...r, sourceRef: sourceRefs ? r.sourceRef : null, errors: [] })) };
  }

  @Mutation(() => ChildMerge, { description: 'A social care manager: fold a duplicate child into the survivor. Nothing is deleted; the duplicate answers as the survivor.' })
  async mergeChildren(
    @Arg('survivorId', () => ID) survivorId: string,
    @Arg('duplicateId', () => ID) duplicateId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ChildMerge> {
    if (!mayMergeChildren(ctx.viewer)) throw forbidden('children are merged by a social care manager');
    const children = [[survivorId, 'survivor child'], [duplicateId, 'duplicate child']] as const;
    // Both decided in one batch (one statement), then refused in order: the survivor first.
    const decided = await Promise.all(children.map(([id]) => (isUuid(id) ? ctx.access.childDecision(id) : null)));
    children.forEach(([, what], i) => {
      if (!mayMergeChild(ctx.viewer, decided[i]?.decision ?? null)) throw notFound(what);
    });
    const { dataSource, auditWriter } = ctx.services;
    const { movedRecordIds } = await mergeChildren({ dataSource, auditWriter, logger: ctx.logger }, ctx, survivorId, duplicateId, reason);
    // Counted as the manager may now know them: a record the policy hides is moved, not counted.
    ctx.access.forgetChildren([survivorId, duplicateId]);
    return { survivorId, duplicateId, recordsMoved: (await ctx.access.knownRecords(movedRecordIds)).length };
  }

  /** Candidates are shown through the access layer, so the child policy shapes each one. */
  private async entry(row: QueueEntryRow, ctx: RequestContext): Promise<MatchQueueEntry> {
    const claim = row.payload.child;
    const shown = await Promise.all(row.candidates.map((c) => ctx.access.matchCandidate(c.childId, c.score)));
    // A candidate merged into another candidate since shows as that one: listed once, where it ranked first.
    const candidates = shown.filter((c, i): c is NonNullable<typeof c> => c !== null && shown.findIndex((o) => o?.child.id === c.child.id) === i);
    // A payload without the flag counts as a refuge address: fail closed.
    const view = parkedItemView(ctx.viewer, { agencyId: row.agencyId, addressConfidential: claim.addressConfidential !== false });
    return {
      id: row.id,
      agencyCode: row.agencyCode,
      sourceRef: view.sourceRef ? row.sourceRef : null,
      reason: row.reason,
      submittedAt: row.submittedAt,
      category: row.payload.category,
      occurredAt: new Date(row.payload.occurredAt),
      givenName: claim.givenName,
      familyName: claim.familyName,
      dateOfBirth: claim.dateOfBirth,
      gender: claim.gender,
      postcode: view.postcode ? claim.postcode : null,
      hasIdentifiers: Boolean(claim.nhsNumber || claim.upn || claim.localId),
      candidates,
    };
  }
}
