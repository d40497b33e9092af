import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { AgencyKindEnum } from '../../graphql/enums';
import type { AgencyKind } from '../../domain/vocabulary';

@ObjectType({ description: 'A partner agency that shares information through the hub.', simpleResolvers: true })
export class Agency {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stable code used in tokens, consents and bases, e.g. NPOL.' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => AgencyKindEnum) kind!: AgencyKind;
}

@InputType()
export class AgencyInput {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => AgencyKindEnum) kind!: AgencyKind;
}
