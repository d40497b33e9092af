import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GenderEnum, RecordCategoryEnum } from '../../graphql/enums';
import { DateTime, LocalDate } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import type { Gender, RecordCategory } from '../../domain/vocabulary';
import { Child } from '../children/child.types';
import { SubmitRecordResult } from '../records/submit.types';
import type { MatchReason } from './identify';

export const MatchReasonEnum = { CONFLICT: 'CONFLICT', AMBIGUOUS: 'AMBIGUOUS', WEAK: 'WEAK', INCOMPLETE: 'INCOMPLETE', UNCONFIRMED: 'UNCONFIRMED' } as const;
registerEnumType(MatchReasonEnum, {
  name: 'MatchReason',
  description: "CONFLICT: identifiers point at different children. AMBIGUOUS: several close candidates. WEAK: one candidate, not close enough, or one the submitter may not confirm (a shielded child they hold no ground for). INCOMPLETE: no candidate and too little to create a child. UNCONFIRMED: no candidate, sent by a person rather than the agency's own system: front-door staff say who the child is, or create it.",
});

@ObjectType({ description: 'A child the parked item may be about, shown as the caller may see it.' })
export class MatchCandidate {
  @Field(() => Child, { description: 'Shown as the caller may see it; a child the caller may not see is left out of the list.' }) child!: Child;
  @Field(() => Int, { nullable: true, description: 'Match score out of 100 (see docs/matching.md); withheld for a child shown by name, age and gender only.' }) score!: number | null;
}

@ObjectType({ description: 'A submitted record waiting for the MASH to say which child it is about. Record content is not shown here.' })
export class MatchQueueEntry {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Code of the submitting agency.' }) agencyCode!: string;
  @Field(() => String, { nullable: true, description: "The sending system's own id for the record: null unless the caller's agency sent it." })
  sourceRef!: string | null;
  @Field(() => MatchReasonEnum) reason!: MatchReason;
  @Field(() => DateTime) submittedAt!: Date;
  @Field(() => RecordCategoryEnum) category!: RecordCategory;
  @Field(() => DateTime) occurredAt!: Date;
  @Field(() => String, { nullable: true }) givenName!: string | null;
  @Field(() => String, { nullable: true }) familyName!: string | null;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => GenderEnum, { nullable: true }) gender!: Gender | null;
  @Field(() => String, { nullable: true, description: 'The submitted postcode; null when sent as part of a refuge address, except to the submitting agency and social care managers.' }) postcode!: string | null;
  @Field(() => Boolean, { description: 'The item carried an NHS number, UPN or local id.' }) hasIdentifiers!: boolean;
  @Field(() => [MatchCandidate]) candidates!: MatchCandidate[];
}

@ObjectType()
export class MatchQueueEdge {
  @Field(() => String) cursor!: string;
  @Field(() => MatchQueueEntry) node!: MatchQueueEntry;
}

@ObjectType()
export class MatchQueueConnection {
  @Field(() => [MatchQueueEdge]) edges!: MatchQueueEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Open entries in the queue.' }) totalCount!: number;
}

@ObjectType({ description: 'The child chosen and the records filed for it: this entry and any others describing the same child.' })
export class MatchResolution {
  @Field(() => ID) childId!: string;
  @Field(() => [SubmitRecordResult]) filed!: SubmitRecordResult[];
}

@ObjectType()
export class ChildMerge {
  @Field(() => ID) survivorId!: string;
  @Field(() => ID) duplicateId!: string;
  @Field(() => Int, { description: 'Records moved to the survivor that you may know of (as a flag or in full); those the policy hides from you are moved too, and not counted.' }) recordsMoved!: number;
}
