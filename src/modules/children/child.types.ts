import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GenderEnum } from '../../graphql/enums';
import { LocalDate } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import type { Gender } from '../../domain/vocabulary';
import type { ChildView } from '../../access/views';

@ObjectType({ simpleResolvers: true })
export class LocalIdentifier {
  @Field(() => String) agencyCode!: string;
  @Field(() => String) localId!: string;
}

@ObjectType({ description: 'A child, showing only what the caller may see. A shielded child without a ground shows name, age and gender only.', simpleResolvers: true })
export class Child implements ChildView {
  @Field(() => ID) id!: string;
  @Field(() => String) givenName!: string;
  @Field(() => String) familyName!: string;
  @Field(() => Int) ageYears!: number;
  @Field(() => GenderEnum) gender!: Gender;
  @Field(() => Boolean, { description: 'True when only name, age and gender may be shown.' }) detailsWithheld!: boolean;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => String, { nullable: true }) nhsNumber!: string | null;
  @Field(() => String, { nullable: true }) upn!: string | null;
  @Field(() => String, { nullable: true, description: 'Shown only under a ground that covers it; a confidential address only to the recording agency and social care managers.' })
  address!: string | null;
  @Field(() => String, { nullable: true }) postcode!: string | null;
  @Field(() => Boolean, { description: 'An address is held but not shown to this caller.' }) addressWithheld!: boolean;
  @Field(() => [LocalIdentifier], { description: "Agency systems' own ids for the child: your agency's with the child's details in full, another agency's only where you may know records exist (docs/policy.md, section 6)." }) localIdentifiers!: LocalIdentifier[];
}

@ObjectType({ simpleResolvers: true })
export class ChildEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Child) node!: Child;
}

@ObjectType({ simpleResolvers: true })
export class ChildConnection {
  @Field(() => [ChildEdge]) edges!: ChildEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType({ description: 'At least one criterion. Names match partially and tolerate small misspellings.' })
export class ChildSearchInput {
  @Field(() => String, { nullable: true, description: 'Any part of the full name.' }) name?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true }) nhsNumber?: string | null;
  @Field(() => String, { nullable: true }) upn?: string | null;
}
