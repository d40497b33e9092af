import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LawfulBasisKindEnum } from '../../graphql/enums';
import { DateTime } from '../../graphql/scalars';
import type { LawfulBasisKind } from '../../domain/vocabulary';

@ObjectType({ description: 'A recorded ground for sharing without consent, authorised by a manager.' })
export class LawfulBasis {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => LawfulBasisKindEnum) kind!: LawfulBasisKind;
  @Field(() => [String], { nullable: true, description: 'Null: every partner agency.' }) recipientAgencyCodes!: string[] | null;
  @Field(() => DateTime) startsAt!: Date;
  @Field(() => DateTime, { nullable: true }) endsAt!: Date | null;
  @Field(() => String) rationale!: string;
  @Field(() => String) authorisedByName!: string;
  @Field(() => DateTime, { nullable: true, description: 'Set when the basis was ended early.' }) endedAt!: Date | null;
  @Field(() => String, { nullable: true }) endReason!: string | null;
  @Field(() => Boolean, { description: 'In force when the request started.' }) active!: boolean;
}

@InputType()
export class LawfulBasisInput {
  @Field(() => ID) childId!: string;
  @Field(() => LawfulBasisKindEnum) kind!: LawfulBasisKind;
  @Field(() => [String], { nullable: true, description: 'Null or omitted: every partner agency.' }) recipientAgencyCodes?: string[] | null;
  @Field(() => DateTime, { nullable: true, description: 'Defaults to now.' }) startsAt?: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'After startsAt; null: until ended.' }) endsAt?: Date | null;
  @Field(() => String, { description: 'Why sharing without consent is necessary; at least 20 characters.' }) rationale!: string;
}
