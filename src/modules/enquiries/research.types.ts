import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { Agency } from '../agencies/agency.types';

@ObjectType({ description: 'A request to a partner agency to research a child for an enquiry, with its due time.' })
export class ResearchRequest {
  @Field(() => ID) id!: string;
  @Field(() => ID) enquiryId!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Agency, { description: 'The agency asked.' }) agency!: Agency;
  @Field(() => String) requestedByName!: string;
  @Field(() => DateTime) requestedAt!: Date;
  @Field(() => DateTime) dueAt!: Date;
  @Field(() => DateTime, { nullable: true }) answeredAt!: Date | null;
  @Field(() => Boolean, { description: 'Still unanswered after its due time.' }) overdue!: boolean;
  @Field(() => Boolean, { nullable: true, description: 'True when the agency answered that it holds nothing.' }) nothingHeld!: boolean | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => [ID], { description: "The agency's records given as the answer." }) answerRecordIds!: string[];
}

@InputType()
export class ResearchRequestInput {
  @Field(() => ID) enquiryId!: string;
  @Field(() => ID) childId!: string;
  @Field(() => [String], { description: 'Codes of the agencies asked.' }) agencyCodes!: string[];
  @Field(() => DateTime, { nullable: true, description: "Defaults to the enquiry's research deadline (set by its RAG rating)." }) dueAt?: Date | null;
}

@InputType()
export class ResearchRequestFilter {
  @Field(() => String, { nullable: true, description: "An agency's code; partner agencies always see only their own." }) agencyCode?: string | null;
  @Field(() => ID, { nullable: true }) enquiryId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Only unanswered requests.' }) open?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Only requests unanswered after their due time.' }) overdue?: boolean | null;
}

@InputType({ description: 'An answer: records of the answering agency about the child, or that nothing is held.' })
export class ResearchResponseInput {
  @Field(() => Boolean, { defaultValue: false }) nothingHeld!: boolean;
  @Field(() => [ID], { nullable: true, description: "Ids of the answering agency's own records about the child." }) recordIds?: string[] | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}
