import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import { Agency } from '../agencies/agency.types';

export const BreakGlassOutcomeEnum = { JUSTIFIED: 'JUSTIFIED', NOT_JUSTIFIED: 'NOT_JUSTIFIED' } as const;
export type BreakGlassOutcome = keyof typeof BreakGlassOutcomeEnum;
registerEnumType(BreakGlassOutcomeEnum, { name: 'BreakGlassOutcome' });

@ObjectType({ description: "One notified agency's review of the reads a break-glass session allowed of that agency's records." })
export class BreakGlassAgencyReview {
  @Field(() => Agency) agency!: Agency;
  @Field(() => DateTime, { description: 'When the agency was told: when the glass was broken, or when its records reached the child.' }) notifiedAt!: Date;
  @Field(() => DateTime, { nullable: true }) reviewedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Shown to the agency's own managers and to social care managers." }) reviewedBySub!: string | null;
  @Field(() => BreakGlassOutcomeEnum, { nullable: true }) reviewOutcome!: BreakGlassOutcome | null;
  @Field(() => String, { nullable: true, description: "Shown to the agency's own managers and to social care managers." }) reviewNote!: string | null;
}

@ObjectType({ description: 'An emergency, time-boxed ground declared by one person for one child; every read under it is reviewed.' })
export class BreakGlassSession {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => String) viewerSub!: string;
  @Field(() => String) viewerName!: string;
  @Field(() => Agency) viewerAgency!: Agency;
  @Field(() => String) reason!: string;
  @Field(() => DateTime) startedAt!: Date;
  @Field(() => DateTime) expiresAt!: Date;
  @Field(() => Boolean, { description: 'In force when the request started.' }) active!: boolean;
  @Field(() => [Agency], { description: 'Agencies holding records about the child, notified when the glass was broken.' }) notifiedAgencies!: Agency[];
  @Field(() => [BreakGlassAgencyReview], { description: 'Each notified agency\'s own review, by agency code.' }) agencyReviews!: BreakGlassAgencyReview[];
  @Field(() => DateTime, { nullable: true, description: 'The front door\'s review of the session as a whole, by a social care manager.' }) reviewedAt!: Date | null;
  @Field(() => String, { nullable: true }) reviewedBySub!: string | null;
  @Field(() => BreakGlassOutcomeEnum, { nullable: true }) reviewOutcome!: BreakGlassOutcome | null;
  @Field(() => String, { nullable: true }) reviewNote!: string | null;
}

@InputType()
export class BreakGlassReviewFilter {
  @Field(() => Boolean, { nullable: true, description: "true (default): only sessions the manager's agency has not yet reviewed (for social care managers, the front door's review); false: only those it has reviewed." })
  pending?: boolean | null;
  @Field(() => ID, { nullable: true }) childId?: string | null;
}

@ObjectType()
export class BreakGlassSessionEdge {
  @Field(() => String) cursor!: string;
  @Field(() => BreakGlassSession) node!: BreakGlassSession;
}

@ObjectType()
export class BreakGlassSessionConnection {
  @Field(() => [BreakGlassSessionEdge]) edges!: BreakGlassSessionEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
