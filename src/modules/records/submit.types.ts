import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GenderEnum, RecordCategoryEnum, SensitivityEnum } from '../../graphql/enums';
import { DateTime, LocalDate } from '../../graphql/scalars';
import type { Gender, RecordCategory, Sensitivity } from '../../domain/vocabulary';
import { SUBMIT_STATUSES, type SubmitStatus } from './submit-outcome';

export const SubmitStatusEnum = Object.fromEntries(SUBMIT_STATUSES.map((s) => [s, s])) as { [K in SubmitStatus]: K };
registerEnumType(SubmitStatusEnum, {
  name: 'SubmitStatus',
  description: 'CREATED: new record (version 1). UPDATED: a new version. UNCHANGED: this content is already held. PENDING_MATCH: waiting for the MASH to say which child it is about. FAILED: see errors.',
});

@InputType({ description: 'Which child a record is about: the hub id, identifiers, or demographics for matching.' })
export class RecordChildInput {
  @Field(() => ID, { nullable: true }) childId?: string | null;
  @Field(() => String, { nullable: true, description: '10 digits with a modulus-11 check digit; spaces and hyphens are ignored.' }) nhsNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'Unique pupil number: 13 characters with a check letter.' }) upn?: string | null;
  @Field(() => String, { nullable: true, description: "The submitting agency's own id for the child." }) localId?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => GenderEnum, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true }) postcode?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'A refuge address: never disclosed beyond this agency and social care managers.' }) addressConfidential?: boolean | null;
}

@InputType({ description: 'One fact to share. (agency, sourceRef) is the idempotency key; the agency is always the caller\'s.' })
export class RecordInput {
  @Field(() => String) sourceRef!: string;
  @Field(() => RecordChildInput) child!: RecordChildInput;
  @Field(() => RecordCategoryEnum) category!: RecordCategory;
  @Field(() => SensitivityEnum, { nullable: true, description: 'Defaults to SENSITIVE for mental health, sexual health and substance misuse, STANDARD otherwise.' })
  sensitivity?: Sensitivity | null;
  @Field(() => DateTime) occurredAt!: Date;
  @Field(() => String) summary!: string;
  @Field(() => String, { nullable: true }) detail?: string | null;
  @Field(() => [String], { nullable: true, description: 'Children in Need census factor codes, e.g. 3A, 11A.' }) factorCodes?: string[] | null;
  @Field(() => ID, { nullable: true }) enquiryId?: string | null;
}

@ObjectType({ description: 'A problem with one field of one item.' })
export class FieldError {
  @Field(() => String, { description: 'Path of the field, e.g. records[3].child.nhsNumber.' }) field!: string;
  @Field(() => String) message!: string;
  @Field(() => String, { description: 'Stable code, e.g. INVALID_NHS_NUMBER.' }) code!: string;
}

@ObjectType()
export class SubmitRecordResult {
  @Field(() => Int, { description: 'Position of the item in the batch.' }) index!: number;
  @Field(() => String, { nullable: true }) sourceRef!: string | null;
  @Field(() => SubmitStatusEnum) status!: SubmitStatus;
  @Field(() => ID, { nullable: true }) recordId!: string | null;
  @Field(() => ID, { nullable: true }) childId!: string | null;
  @Field(() => Int, { nullable: true }) version!: number | null;
  @Field(() => ID, { nullable: true, description: 'The match queue entry holding a PENDING_MATCH item.' }) matchId!: string | null;
  @Field(() => [FieldError]) errors!: FieldError[];
}

@ObjectType()
export class SubmitRecordsPayload {
  @Field(() => [SubmitRecordResult], { description: 'One result per item, in batch order.' }) results!: SubmitRecordResult[];
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) pendingMatch!: number;
  @Field(() => Int) failed!: number;
}
