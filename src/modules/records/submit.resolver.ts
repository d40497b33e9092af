import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { badInput, forbidden } from '../../server/errors';
import { linksWithoutChildDecision, mayCreateChildren, mayLinkRecordToChild, maySubmitRecords } from '../../policy/ingest';
import { AccessLayer } from '../../access/access-layer';
import type { SubmitterRights } from '../matching/identify';
import { tally } from './submit-outcome';
import { submitBatch } from './submit.service';
import { MAX_BATCH } from './submit-validate';
import { RecordInput, SubmitRecordsPayload } from './submit.types';

@Resolver()
export class SubmitRecordsResolver {
  @Mutation(() => SubmitRecordsPayload, {
    description: `Share records as the caller's agency, up to ${MAX_BATCH} per batch. Each item is its own unit with its own result; a retried batch changes nothing.`,
  })
  async submitRecords(@Arg('records', () => [RecordInput]) records: RecordInput[], @Ctx() ctx: RequestContext): Promise<SubmitRecordsPayload> {
    if (!maySubmitRecords(ctx.viewer)) throw forbidden('this role does not submit records');
    if (records.length > MAX_BATCH) throw badInput([{ field: 'records', message: `at most ${MAX_BATCH} records per batch; split the rest into further batches` }]);
    const { dataSource, auditWriter } = ctx.services;
    // The agency is the token's, never the input's: an integration writes only its own records.
    const results = await submitBatch({ dataSource, auditWriter, logger: ctx.logger }, ctx, ctx.viewer.agencyId, records, ctx.now, submitterRights(ctx));
    return { results: results.map((r) => ({ ...r, errors: [...r.errors] })), ...tally(results) };
  }
}

/**
 * The policy's view of each matched child for this caller, read on the batch's own connection:
 * the batch holds the identity lock while it asks, so borrowing a second pooled connection could
 * wait forever behind other batches queued on that lock. Nothing is released, so nothing is audited.
 */
function submitterRights(ctx: RequestContext): SubmitterRights {
  return {
    createsChildren: mayCreateChildren(ctx.viewer),
    mayLink: async (manager, childIds) => {
      if (linksWithoutChildDecision(ctx.viewer)) return new Set(childIds);
      const access = new AccessLayer(manager, ctx.viewer, ctx.now, ctx.pendingAudit);
      const decided = await Promise.all(childIds.map((id) => access.childDecision(id)));
      return new Set(childIds.filter((_, i) => {
        const child = decided[i];
        return child !== null && mayLinkRecordToChild(ctx.viewer, child.decision);
      }));
    },
  };
}
