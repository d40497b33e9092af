import { Field, ID, InputType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { SHARED_WITH_MASH, type DecisionOutcome } from './front-door-vocabulary';
import { DecisionOutcomeEnum } from './enquiry.types';

@InputType({ description: 'Golden rule seven: record what was shared, with whom and why — and decisions not to share.' })
export class SharingInput {
  @Field(() => String, { description: 'Who: an agency code, a named professional or the family.' }) recipient!: string;
  @Field(() => Boolean) shared!: boolean;
  @Field(() => String, { nullable: true, description: `What was shared; required when shared. ${SHARED_WITH_MASH}` }) what?: string | null;
  @Field(() => String, { description: 'Why it was, or was not, shared.' }) reason!: string;
}

@InputType({ description: 'A SECTION_47_ENQUIRY lawful basis recorded with the decision, for every child on the enquiry.' })
export class Section47BasisInput {
  @Field(() => String) rationale!: string;
  @Field(() => [String], { nullable: true, description: 'Agency codes; omitted: every partner agency.' }) recipientAgencyCodes?: string[] | null;
  @Field(() => DateTime, { nullable: true }) endsAt?: Date | null;
}

@InputType()
export class DecisionInput {
  @Field(() => ID) enquiryId!: string;
  @Field(() => DecisionOutcomeEnum) outcome!: DecisionOutcome;
  @Field(() => String, { description: `At least 50 characters: what was weighed and why. ${SHARED_WITH_MASH}` }) rationale!: string;
  @Field(() => [ID], { description: 'The records the decision relied on.' }) reliedOnRecordIds!: string[];
  @Field(() => [SharingInput]) sharing!: SharingInput[];
  @Field(() => Section47BasisInput, { nullable: true }) section47Basis?: Section47BasisInput | null;
}
