import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConsentGiverEnum, RecordCategoryEnum } from '../../graphql/enums';
import { DateTime } from '../../graphql/scalars';
import type { ConsentGiver, RecordCategory } from '../../domain/vocabulary';

@ObjectType({ description: 'Consent to share information about a child, shaped after FHIR Consent.' })
export class Consent {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => ConsentGiverEnum) givenBy!: ConsentGiver;
  @Field(() => String) givenByName!: string;
  @Field(() => [String], { description: 'Codes of the agencies that may receive information under this consent.' }) recipientAgencyCodes!: string[];
  @Field(() => [RecordCategoryEnum], { description: 'Empty: every STANDARD category. A SENSITIVE category is covered only when listed.' })
  categories!: RecordCategory[];
  @Field(() => String) purpose!: string;
  @Field(() => DateTime) givenAt!: Date;
  @Field(() => DateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => String) evidence!: string;
  @Field(() => DateTime, { nullable: true }) withdrawnAt!: Date | null;
  @Field(() => String, { nullable: true }) withdrawalReason!: string | null;
  @Field(() => Boolean, { description: 'In force when the request started: given, not expired, not withdrawn.' }) active!: boolean;
}

@InputType()
export class ConsentInput {
  @Field(() => ID) childId!: string;
  @Field(() => ConsentGiverEnum) givenBy!: ConsentGiver;
  @Field(() => String) givenByName!: string;
  @Field(() => [String], { description: 'Codes of existing agencies.' }) recipientAgencyCodes!: string[];
  @Field(() => [RecordCategoryEnum], { nullable: true, description: 'Empty or omitted: every STANDARD category.' }) categories?: RecordCategory[] | null;
  @Field(() => String) purpose!: string;
  @Field(() => DateTime, { description: 'Not in the future.' }) givenAt!: Date;
  @Field(() => DateTime, { nullable: true, description: 'After givenAt.' }) expiresAt?: Date | null;
  @Field(() => String, { description: 'Where the consent is evidenced, e.g. "signed form scanned to EHM case 4411".' }) evidence!: string;
}
