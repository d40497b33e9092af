import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GenderEnum } from '../../graphql/enums';
import { DateTime, LocalDate } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import type { Gender } from '../../domain/vocabulary';
import { DECISION_OUTCOMES, ENQUIRY_STATUSES, RAG_RATINGS, SHARED_WITH_MASH, type DecisionOutcome, type EnquiryStatus, type RagRating } from './front-door-vocabulary';

function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}
export const RagRatingEnum = enumOf(RAG_RATINGS);
export const DecisionOutcomeEnum = enumOf(DECISION_OUTCOMES);
export const EnquiryStatusEnum = enumOf(ENQUIRY_STATUSES);
registerEnumType(RagRatingEnum, { name: 'RagRating', description: 'MASH triage; sets the partner research deadline (RAG_*_HOURS).' });
registerEnumType(DecisionOutcomeEnum, { name: 'DecisionOutcome' });
registerEnumType(EnquiryStatusEnum, { name: 'EnquiryStatus' });

@ObjectType({ description: 'Who made the contact. A professional is never anonymous.' })
export class Referrer {
  @Field(() => Boolean) professional!: boolean;
  @Field(() => Boolean) anonymous!: boolean;
  @Field(() => String, { nullable: true, description: 'Null when the referrer asked to remain anonymous.' }) name!: string | null;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => String, { nullable: true }) contact!: string | null;
}

@ObjectType({ description: 'A RAG rating given to an enquiry, with the research deadline it set.' })
export class EnquiryRating {
  @Field(() => RagRatingEnum) rating!: RagRating;
  @Field(() => String) reason!: string;
  @Field(() => DateTime) researchDueAt!: Date;
  @Field(() => String) ratedByName!: string;
  @Field(() => DateTime) ratedAt!: Date;
}

@ObjectType({ description: 'What was shared with whom and why, or why not (information sharing golden rule seven).' })
export class SharingRecord {
  @Field(() => String) recipient!: string;
  @Field(() => Boolean) shared!: boolean;
  @Field(() => String, { nullable: true, description: SHARED_WITH_MASH }) what!: string | null;
  @Field(() => String) reason!: string;
}

@ObjectType()
export class EnquiryDecision {
  @Field(() => ID) id!: string;
  @Field(() => DecisionOutcomeEnum) outcome!: DecisionOutcome;
  @Field(() => String, { description: SHARED_WITH_MASH }) rationale!: string;
  @Field(() => [ID], { description: 'The records the decision relied on: those the caller may know exist.' }) reliedOnRecordIds!: string[];
  @Field(() => [SharingRecord]) sharing!: SharingRecord[];
  @Field(() => [ID], { description: 'Lawful bases recorded with the decision (e.g. SECTION_47_ENQUIRY).' }) lawfulBasisIds!: string[];
  @Field(() => String) decidedByName!: string;
  @Field(() => DateTime) decidedAt!: Date;
  @Field(() => Boolean, { description: 'Decided by the Working Together 2023 one-working-day deadline.' }) withinOneWorkingDay!: boolean;
}

@ObjectType({ description: 'Who closed a decided enquiry, when and why.' })
export class EnquiryClosure {
  @Field(() => DateTime) closedAt!: Date;
  @Field(() => String) closedByName!: string;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: 'A contact received at the front door about one or more children.' })
export class Enquiry {
  @Field(() => ID) id!: string;
  @Field(() => EnquiryStatusEnum) status!: EnquiryStatus;
  @Field(() => DateTime) receivedAt!: Date;
  @Field(() => String, { nullable: true, description: 'Children in Need census source of referral (1A ... 10).' }) referralSource!: string | null;
  @Field(() => Referrer, { nullable: true }) referrer!: Referrer | null;
  @Field(() => String, { nullable: true }) concern!: string | null;
  @Field(() => RagRatingEnum, { nullable: true }) rating!: RagRating | null;
  @Field(() => DateTime, { nullable: true, description: 'Partner research is due by then.' }) researchDueAt!: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'Working Together 2023: one working day from receipt.' }) decisionDueAt!: Date | null;
  @Field(() => Boolean, { description: 'A decision is still awaited after its deadline.' }) decisionOverdue!: boolean;
  @Field(() => Boolean, { description: 'Another enquiry about one of these children was received in the 12 months before.' }) reReferral!: boolean;
  @Field(() => ID, { nullable: true }) previousEnquiryId!: string | null;
  @Field(() => Int, { description: 'Enquiries about these children received in the 12 months before this one.' }) referralsInLast12Months!: number;
  @Field(() => [ID]) childIds!: string[];
  @Field(() => [EnquiryRating]) ratings!: EnquiryRating[];
  @Field(() => EnquiryDecision, { nullable: true }) decision!: EnquiryDecision | null;
  @Field(() => EnquiryClosure, { nullable: true, description: 'Set once the enquiry is CLOSED.' }) closure!: EnquiryClosure | null;
  @Field(() => DateTime) openedAt!: Date;
}

@ObjectType()
export class EnquiryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Enquiry) node!: Enquiry;
}

@ObjectType()
export class EnquiryConnection {
  @Field(() => [EnquiryEdge]) edges!: EnquiryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType({ description: 'A child by id, or by identifying details: matched exactly on NHS number or UPN, otherwise created.' })
export class EnquiryChildInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => String, { nullable: true }) nhsNumber?: string | null;
  @Field(() => String, { nullable: true }) upn?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => GenderEnum, { nullable: true }) gender?: Gender | null;
  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Record a new child from these details even though children the hub holds resemble them: set once the worker has checked those and none is this child. Identifiers still match exactly.',
  })
  newChild!: boolean;
}

@InputType()
export class ReferrerInput {
  @Field(() => Boolean) professional!: boolean;
  @Field(() => Boolean, { defaultValue: false, description: 'Only a member of the public may remain anonymous.' }) anonymous!: boolean;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) role?: string | null;
  @Field(() => String, { nullable: true }) contact?: string | null;
}

@InputType()
export class EnquiryInput {
  @Field(() => [EnquiryChildInput]) children!: EnquiryChildInput[];
  @Field(() => DateTime, { nullable: true, description: 'When the contact was received; defaults to now.' }) receivedAt?: Date | null;
  @Field(() => String, { description: 'Children in Need census source of referral: 1A, 1B, 1C, 1D, 2A, 2B, 3A-3F, 4, 5A-5D, 6, 7, 8, 9, 10.' })
  referralSource!: string;
  @Field(() => ReferrerInput) referrer!: ReferrerInput;
  @Field(() => String) concern!: string;
  @Field(() => RagRatingEnum) rating!: RagRating;
}

@InputType()
export class EnquiryFilter {
  @Field(() => EnquiryStatusEnum, { nullable: true }) status?: EnquiryStatus | null;
  @Field(() => RagRatingEnum, { nullable: true }) rating?: RagRating | null;
  @Field(() => ID, { nullable: true, description: "One child's enquiries: for a child the caller sees in full (its referral history's rule), none otherwise." }) childId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Open enquiries past their decision deadline.' }) decisionOverdue?: boolean | null;
}
