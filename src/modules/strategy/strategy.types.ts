import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { Agency } from '../agencies/agency.types';
import { SHARED_WITH_MASH } from '../enquiries/front-door-vocabulary';

export type DiscussionStatus = 'DRAFT' | 'FINAL';
export const DiscussionStatusEnum = { DRAFT: 'DRAFT', FINAL: 'FINAL' } as const;
registerEnumType(DiscussionStatusEnum, { name: 'StrategyDiscussionStatus', description: 'A FINAL discussion can no longer be changed.' });

@ObjectType()
export class StrategyAttendee {
  @Field(() => Agency) agency!: Agency;
  @Field(() => String) role!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType({ description: 'A record shared at the discussion, identified by its exact version.' })
export class SharedRecordRef {
  @Field(() => ID) recordId!: string;
  @Field(() => Int, { nullable: true, description: 'The version shared; null when the caller sees the record only as a flag.' }) version!: number | null;
}

@ObjectType()
export class StrategyAction {
  @Field(() => ID) id!: string;
  @Field(() => ID) discussionId!: string;
  @Field(() => String) description!: string;
  @Field(() => Agency, { nullable: true }) ownerAgency!: Agency | null;
  @Field(() => String, { nullable: true }) ownerName!: string | null;
  @Field(() => DateTime, { nullable: true }) dueAt!: Date | null;
  @Field(() => DateTime, { nullable: true }) completedAt!: Date | null;
  @Field(() => String, { nullable: true }) completionNote!: string | null;
  @Field(() => Boolean, { description: 'Not done by its due date.' }) overdue!: boolean;
}

@ObjectType({ description: 'A strategy discussion (Working Together 2023): who attended, what was shared, risks, rationale, decision and actions.' })
export class StrategyDiscussion {
  @Field(() => ID) id!: string;
  @Field(() => ID) enquiryId!: string;
  @Field(() => DateTime) heldAt!: Date;
  @Field(() => DiscussionStatusEnum) status!: DiscussionStatus;
  @Field(() => [StrategyAttendee]) attendees!: StrategyAttendee[];
  @Field(() => [SharedRecordRef], { description: 'The records shared at the discussion: those the caller may know exist.' }) recordsShared!: SharedRecordRef[];
  @Field(() => [String], { description: SHARED_WITH_MASH }) risks!: string[];
  @Field(() => String, { nullable: true, description: SHARED_WITH_MASH }) rationale!: string | null;
  @Field(() => String, { nullable: true, description: SHARED_WITH_MASH }) decision!: string | null;
  @Field(() => [StrategyAction]) actions!: StrategyAction[];
  @Field(() => DateTime, { nullable: true }) finalisedAt!: Date | null;
}

@InputType()
export class AttendeeInput {
  @Field(() => String) agencyCode!: string;
  @Field(() => String) role!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType({ description: 'An action; an owner and a due date are needed before the discussion is finalised.' })
export class ActionInput {
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true }) ownerAgencyCode?: string | null;
  @Field(() => String, { nullable: true }) ownerName?: string | null;
  @Field(() => DateTime, { nullable: true }) dueAt?: Date | null;
}

@InputType({ description: 'Parts of a discussion; each list given replaces the one held.' })
export class StrategyDiscussionInput {
  @Field(() => DateTime, { nullable: true }) heldAt?: Date | null;
  @Field(() => [AttendeeInput], { nullable: true }) attendees?: AttendeeInput[] | null;
  @Field(() => [ID], { nullable: true, description: 'Ids of the records shared; their current versions are recorded.' }) recordsShared?: string[] | null;
  @Field(() => [String], { nullable: true, description: SHARED_WITH_MASH }) risks?: string[] | null;
  @Field(() => String, { nullable: true, description: SHARED_WITH_MASH }) rationale?: string | null;
  @Field(() => String, { nullable: true, description: SHARED_WITH_MASH }) decision?: string | null;
  @Field(() => [ActionInput], { nullable: true }) actions?: ActionInput[] | null;
}
