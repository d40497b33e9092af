import DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { mayReadReferralHistory } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { perRequest, perRequestKey } from '../../server/per-request';
import { Child } from '../children/child.types';

@ObjectType({ description: 'Referral history inspectors ask for (Ofsted Annex A list 3).' })
export class ReferralHistory {
  @Field(() => Int, { description: 'Enquiries about the child received in the last 12 months.' }) referralsInLast12Months!: number;
  @Field(() => Int, { description: 'Of those, enquiries marked as re-referrals.' }) reReferralsInLast12Months!: number;
  @Field(() => [ID], { description: 'Every enquiry about the child, newest first.' }) enquiryIds!: string[];
}

async function historyByChild(manager: EntityManager, childIds: readonly string[], now: Date): Promise<Map<string, ReferralHistory>> {
  const rows: Array<{ child_id: string; recent: number; re_referrals: number; ids: string[] }> = await manager.query(
    `SELECT ec.child_id,
       count(*) FILTER (WHERE e.received_at >= $2::timestamptz - interval '12 months')::int AS recent,
       count(*) FILTER (WHERE e.received_at >= $2::timestamptz - interval '12 months' AND e.referrals_in_last_12_months > 0)::int AS re_referrals,
       array_agg(e.id::text ORDER BY e.received_at DESC, e.id DESC) AS ids
     FROM enquiry_child ec JOIN enquiry e ON e.id = ec.enquiry_id WHERE ec.child_id = ANY($1::uuid[]) GROUP BY ec.child_id`,
    [childIds, now],
  );
  return new Map(rows.map((r) => [r.child_id, { referralsInLast12Months: r.recent, reReferralsInLast12Months: r.re_referrals, enquiryIds: r.ids }]));
}

const HISTORY = perRequestKey<DataLoader<string, ReferralHistory>>('referral history of a child');

@Resolver(() => Child)
export class ChildReferralHistoryResolver {
  /** Audited per child with the enquiries shown, as a refusal when the policy withholds it. */
  @FieldResolver(() => ReferralHistory, { nullable: true, description: 'For MASH staff, of a child they see in full; null otherwise.' })
  async referralHistory(@Root() child: Child, @Ctx() ctx: RequestContext): Promise<ReferralHistory | null> {
    const decided = await ctx.access.childDecision(child.id);
    if (!mayReadReferralHistory(ctx.viewer, decided?.decision ?? null)) {
      ctx.pendingAudit.push({ action: 'REFERRAL_HISTORY_VIEW', outcome: 'DENIED', childId: child.id });
      return null;
    }
    const history = await perRequest(ctx, HISTORY, () => new DataLoader(async (ids: readonly string[]) => {
      const found = await historyByChild(ctx.services.dataSource.manager, ids, ctx.now);
      return ids.map((id) => found.get(id) ?? { referralsInLast12Months: 0, reReferralsInLast12Months: 0, enquiryIds: [] });
    })).load(child.id);
    ctx.pendingAudit.push({ action: 'REFERRAL_HISTORY_VIEW', outcome: 'OK', childId: child.id, resultIds: history.enquiryIds });
    return history;
  }
}
