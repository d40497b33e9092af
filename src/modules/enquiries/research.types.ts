import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import { Agency } from '../agencies/agency.types';
import { SHARED_WITH_MASH } from './front-door-vocabulary';

export const RESEARCH_REQUEST_STATUSES = ['OPEN', 'ANSWERED', 'WITHDRAWN'] as const;
export type ResearchRequestStatus = (typeof RESEARCH_REQUEST_STATUSES)[number];
export const ResearchRequestStatusEnum = { OPEN: 'OPEN', ANSWERED: 'ANSWERED', WITHDRAWN: 'WITHDRAWN' } as const;
registerEnumType(ResearchRequestStatusEnum, {
  name: 'ResearchRequestStatus',
  description: 'OPEN: awaiting an answer; ANSWERED: records given or nothing held; WITHDRAWN: the enquiry was closed before an answer.',
});

@ObjectType({ description: 'A request to a partner agency to research a child for an enquiry, with its due time. The child is shown as the caller may see it.' })
export class ResearchRequest {
  @Field(() => ID) id!: string;
  @Field(() => ID) enquiryId!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Agency, { description: 'The agency asked.' }) agency!: Agency;
  @Field(() => ResearchRequestStatusEnum) status!: ResearchRequestStatus;
  @Field(() => String) requestedByName!: string;
  @Field(() => DateTime) requestedAt!: Date;
  @Field(() => DateTime) dueAt!: Date;
  @Field(() => DateTime, { nullable: true }) answeredAt!: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'When the enquiry was closed with this request unanswered.' }) withdrawnAt!: Date | null;
  @Field(() => Boolean, { description: 'Still open after its due time.' }) overdue!: boolean;
  @Field(() => Boolean, { nullable: true, description: 'True when the agency answered that it holds nothing.' }) nothingHeld!: boolean | null;
  @Field(() => String, { nullable: true, description: `The answering agency's note, seen by MASH staff and the answering agency only. ${SHARED_WITH_MASH}` }) note!: string | null;
  @Field(() => [ID], { description: "The agency's records given as the answer: those the caller may know exist." }) answerRecordIds!: string[];
}

@ObjectType()
export class ResearchRequestEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ResearchRequest) node!: ResearchRequest;
}

@ObjectType({ description: 'Research requests, soonest due first.' })
export class ResearchRequestConnection {
  @Field(() => [ResearchRequestEdge]) edges!: ResearchRequestEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Requests matching the filter that this caller may see.' }) totalCount!: number;
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
  @Field(() => String, { nullable: true, description: "An agency's code. A partner agency sees only its own requests; naming another is refused." }) agencyCode?: string | null;
  @Field(() => ID, { nullable: true }) enquiryId?: string | null;
  @Field(() => ResearchRequestStatusEnum, { nullable: true }) status?: ResearchRequestStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only open requests past their due time; false: only those that are not.' }) overdue?: boolean | null;
}

@InputType({ description: 'An answer: records of the answering agency about the child, or that nothing is held.' })
export class ResearchResponseInput {
  @Field(() => Boolean, { defaultValue: false }) nothingHeld!: boolean;
  @Field(() => [ID], { nullable: true, description: "Ids of the answering agency's own records about the child." }) recordIds?: string[] | null;
  @Field(() => String, { nullable: true, description: `At most 2000 characters. ${SHARED_WITH_MASH}` }) note?: string | null;
}
