import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import { Agency } from '../agencies/agency.types';

export const ACCESS_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'DECLINED'] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];
export const AccessRequestStatusEnum = { PENDING: 'PENDING', APPROVED: 'APPROVED', DECLINED: 'DECLINED' } as const;
registerEnumType(AccessRequestStatusEnum, { name: 'AccessRequestStatus' });

export const AccessRequestScopeEnum = { TO_MY_AGENCY: 'TO_MY_AGENCY', MADE_BY_ME: 'MADE_BY_ME' } as const;
export type AccessRequestScope = keyof typeof AccessRequestScopeEnum;
registerEnumType(AccessRequestScopeEnum, {
  name: 'AccessRequestScope',
  description: "TO_MY_AGENCY: requests for the caller's agency's records (managers). MADE_BY_ME: the caller's own requests.",
});

@ObjectType({ description: 'The purpose stated for a read or a request: an enquiry, or a written reason.' })
export class StatedPurpose {
  @Field(() => ID, { nullable: true }) enquiryId!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType({ description: "A request to a record's owning agency for its content; when approved, a time-boxed grant to the requester's agency." })
export class AccessRequest {
  @Field(() => ID) id!: string;
  @Field(() => ID) recordId!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Agency, { description: 'The agency that owns the record and decides.' }) ownerAgency!: Agency;
  @Field(() => Agency) requesterAgency!: Agency;
  @Field(() => String) requesterName!: string;
  @Field(() => StatedPurpose) purpose!: StatedPurpose;
  @Field(() => AccessRequestStatusEnum) status!: AccessRequestStatus;
  @Field(() => String, { nullable: true }) decidedByName!: string | null;
  @Field(() => DateTime, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true }) decisionReason!: string | null;
  @Field(() => DateTime, { nullable: true, description: 'When an approval stops covering the record.' }) expiresAt!: Date | null;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => Boolean, { description: 'Approved and not yet expired when the request started.' }) grantActive!: boolean;
}

@InputType()
export class AccessRequestFilter {
  @Field(() => AccessRequestScopeEnum, { nullable: true, description: 'Defaults to TO_MY_AGENCY for managers, MADE_BY_ME otherwise.' })
  scope?: AccessRequestScope | null;
  @Field(() => AccessRequestStatusEnum, { nullable: true }) status?: AccessRequestStatus | null;
}

@ObjectType()
export class AccessRequestEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AccessRequest) node!: AccessRequest;
}

@ObjectType()
export class AccessRequestConnection {
  @Field(() => [AccessRequestEdge]) edges!: AccessRequestEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
