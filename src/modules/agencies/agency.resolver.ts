import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context';
import { Agency, AgencyInput } from './agency.types';
import { listAgencies, upsertAgency } from './agency.service';

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => [Agency], { description: 'Every partner agency (directory information, not record data).' })
  async agencies(@Ctx() ctx: RequestContext): Promise<Agency[]> {
    return listAgencies(ctx.services.dataSource.manager);
  }

  @Authorized('ADMIN')
  @Mutation(() => Agency, { description: 'ADMIN: create an agency or rename it.' })
  async upsertAgency(@Arg('input', () => AgencyInput) input: AgencyInput, @Ctx() ctx: RequestContext): Promise<Agency> {
    return ctx.services.dataSource.transaction(async (manager) => {
      const agency = await upsertAgency(manager, input);
      await ctx.services.auditWriter.appendWithin(manager, ctx, [{ action: 'AGENCY_UPSERT', outcome: 'OK', query: { code: agency.code } }]);
      ctx.services.agencies?.forget(agency.code);
      return agency;
    });
  }
}
