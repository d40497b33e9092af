import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import { StatedPurpose } from '../access-requests/access-request.types';

@ObjectType({ description: 'A ground an audited action relied on: its kind and the consent, basis, grant or session id (the agency for OWNER).' })
export class AuditGround {
  @Field(() => String) kind!: string;
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'One audited action. Ids, codes, grounds and purpose only: never record content.' })
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Position in the hash chain.' }) seq!: string;
  @Field(() => DateTime) occurredAt!: Date;
  @Field(() => String) requestId!: string;
  @Field(() => String) actorSub!: string;
  @Field(() => String, { nullable: true }) actorName!: string | null;
  @Field(() => String, { nullable: true }) actorAgencyCode!: string | null;
  @Field(() => [String]) actorRoles!: string[];
  @Field(() => String) action!: string;
  @Field(() => ID, { nullable: true }) childId!: string | null;
  @Field(() => ID, { nullable: true }) recordId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The agency owning the record read.' }) recordAgencyId!: string | null;
  @Field(() => String, { description: 'FULL, FLAG, DENIED or OK.' }) outcome!: string;
  @Field(() => [AuditGround]) grounds!: AuditGround[];
  @Field(() => StatedPurpose, { nullable: true }) purpose!: StatedPurpose | null;
  @Field(() => String, { nullable: true, description: 'Search parameters and other request details, as JSON.' }) query!: string | null;
  @Field(() => [ID], { nullable: true, description: 'The records (or, for a search, the children) the event released or listed.' }) resultIds!: string[] | null;
  @Field(() => Boolean, { description: 'Released under break-glass alone: to be reviewed.' }) reviewable!: boolean;
}

@InputType()
export class AuditEventFilter {
  @Field(() => ID, { nullable: true }) childId?: string | null;
  @Field(() => ID, { nullable: true }) recordId?: string | null;
  @Field(() => String, { nullable: true }) actorSub?: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. RECORD_READ, RECORD_LIST, CHILD_SEARCH, CONSENT_RECORD, BREAK_GLASS.' }) action?: string | null;
  @Field(() => DateTime, { nullable: true, description: 'At or after.' }) from?: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'Before.' }) to?: Date | null;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AuditEvent) node!: AuditEvent;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges!: AuditEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'The result of walking the audit hash chain from its first row.' })
export class AuditChainReport {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int, { description: 'Rows verified before the first break (all rows when ok).' }) checked!: number;
  @Field(() => String, { nullable: true, description: 'seq of the first broken link: a row altered, missing or out of order; or of a read that a search by record cannot find.' }) firstBrokenSeq!: string | null;
  @Field(() => ID, { nullable: true, description: 'id of the row at the first broken link, when that row is present.' }) firstBrokenId!: string | null;
  @Field(() => String, { nullable: true }) problem!: string | null;
  @Field(() => String, { nullable: true, description: 'seq of the last row verified; record it with lastHash outside the hub to anchor the chain.' }) lastSeq!: string | null;
  @Field(() => String, { nullable: true }) lastHash!: string | null;
}
