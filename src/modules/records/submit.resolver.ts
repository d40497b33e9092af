import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { badInput, forbidden } from '../../server/errors';
import { maySubmitRecords } from '../../policy/ingest';
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
    const results = await submitBatch({ dataSource, auditWriter, logger: ctx.logger }, ctx, ctx.viewer.agencyId, records, ctx.now);
    return { results: results.map((r) => ({ ...r, errors: [...r.errors] })), ...tally(results) };
  }
}
