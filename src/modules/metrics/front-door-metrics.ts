import { Arg, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { mayReadFrontDoorMetrics } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, forbidden } from '../../server/errors';

@ObjectType()
export class CountByKey {
  @Field(() => String) key!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class AgencyResearchTimeliness {
  @Field(() => String) agencyCode!: string;
  @Field(() => Int) requested!: number;
  @Field(() => Int) answeredOnTime!: number;
  @Field(() => Int) answeredLate!: number;
  @Field(() => Int) unansweredOverdue!: number;
}

@ObjectType({ description: 'Front-door timeliness for enquiries received in [from, to).' })
export class FrontDoorMetrics {
  @Field(() => Int) enquiries!: number;
  @Field(() => [CountByKey]) byRating!: CountByKey[];
  @Field(() => [CountByKey], { description: 'Decided enquiries by outcome.' }) byOutcome!: CountByKey[];
  @Field(() => Int) decided!: number;
  @Field(() => Float, { nullable: true, description: 'Share of decided enquiries decided within one working day of receipt (Working Together 2023).' })
  decidedWithinOneWorkingDayShare!: number | null;
  @Field(() => [AgencyResearchTimeliness]) researchByAgency!: AgencyResearchTimeliness[];
  @Field(() => Int, { description: 'Strategy actions not done by their due date (now).' }) overdueActions!: number;
  @Field(() => Float, { nullable: true, description: 'Share of enquiries that were re-referrals within 12 months.' }) reReferralRate!: number | null;
}

interface MetricsRow {
  enquiries: number; decided: number; on_time: number; re_referrals: number; overdue_actions: number;
  by_rating: CountByKey[] | null; by_outcome: CountByKey[] | null; research: AgencyResearchTimeliness[] | null;
}

@Resolver()
export class FrontDoorMetricsResolver {
  @Query(() => FrontDoorMetrics, { description: 'Timeliness figures for social care managers, computed in the database.' })
  async frontDoorMetrics(@Arg('from', () => DateTime) from: Date, @Arg('to', () => DateTime) to: Date, @Ctx() ctx: RequestContext): Promise<FrontDoorMetrics> {
    if (!mayReadFrontDoorMetrics(ctx.viewer)) throw forbidden('front-door metrics are for social care managers');
    if (from >= to) throw badField('to', 'must be after from');
    const [row]: MetricsRow[] = await ctx.services.dataSource.query(
      `WITH e AS (SELECT * FROM enquiry WHERE received_at >= $1 AND received_at < $2)
       SELECT (SELECT count(*)::int FROM e) AS enquiries,
         (SELECT count(*)::int FROM e JOIN enquiry_decision d ON d.enquiry_id = e.id) AS decided,
         (SELECT count(*)::int FROM e JOIN enquiry_decision d ON d.enquiry_id = e.id WHERE d.decided_at <= e.decision_due_at) AS on_time,
         (SELECT count(*)::int FROM e WHERE e.referrals_in_last_12_months > 0) AS re_referrals,
         (SELECT count(*)::int FROM strategy_action x JOIN strategy_discussion s ON s.id = x.discussion_id
            WHERE s.status = 'FINAL' AND x.completed_at IS NULL AND x.due_at < $3) AS overdue_actions,
         (SELECT json_agg(json_build_object('key', k, 'count', n) ORDER BY k) FROM
            (SELECT coalesce(e.rag_rating, 'UNRATED') AS k, count(*)::int AS n FROM e GROUP BY 1) r) AS by_rating,
         (SELECT json_agg(json_build_object('key', k, 'count', n) ORDER BY k) FROM
            (SELECT d.outcome AS k, count(*)::int AS n FROM e JOIN enquiry_decision d ON d.enquiry_id = e.id GROUP BY 1) o) AS by_outcome,
         (SELECT json_agg(json_build_object('agencyCode', code, 'requested', requested, 'answeredOnTime', on_time, 'answeredLate', late,
              'unansweredOverdue', overdue) ORDER BY code) FROM
            (SELECT a.code, count(*)::int AS requested,
               count(*) FILTER (WHERE rr.answered_at <= rr.due_at)::int AS on_time,
               count(*) FILTER (WHERE rr.answered_at > rr.due_at)::int AS late,
               count(*) FILTER (WHERE rr.answered_at IS NULL AND rr.withdrawn_at IS NULL AND rr.due_at < $3)::int AS overdue
             FROM e JOIN research_request rr ON rr.enquiry_id = e.id JOIN agency a ON a.id = rr.agency_id GROUP BY a.code) t) AS research`,
      [from, to, ctx.now],
    );
    ctx.pendingAudit.push({ action: 'FRONT_DOOR_METRICS', outcome: 'OK', query: { from, to } });
    return {
      enquiries: row.enquiries, decided: row.decided, byRating: row.by_rating ?? [], byOutcome: row.by_outcome ?? [],
      decidedWithinOneWorkingDayShare: row.decided > 0 ? row.on_time / row.decided : null,
      researchByAgency: row.research ?? [], overdueActions: row.overdue_actions,
      reReferralRate: row.enquiries > 0 ? row.re_referrals / row.enquiries : null,
    };
  }
}
