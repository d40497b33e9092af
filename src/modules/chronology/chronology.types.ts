import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RecordCategoryEnum, VisibilityEnum } from '../../graphql/enums';
import { DateTime } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import type { RecordCategory, Visibility } from '../../domain/vocabulary';
import { Agency } from '../agencies/agency.types';
import { SharedRecord } from '../records/record.types';
import { EVENT_KINDS, type EventKind } from './chronology-events';

export type ChronologyKind = 'RECORD' | EventKind;
export const ChronologyKindEnum = Object.fromEntries(['RECORD', ...EVENT_KINDS].map((k) => [k, k])) as { [K in ChronologyKind]: K };
registerEnumType(ChronologyKindEnum, { name: 'ChronologyEntryKind', description: "RECORD: an agency's record; the rest: front-door steps." });

@ObjectType({ description: 'Where an entry comes from: its kind and the id of the record, enquiry, decision, basis, consent, request or discussion.' })
export class Provenance {
  @Field(() => ChronologyKindEnum) kind!: ChronologyKind;
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'One line of a child\'s chronology. A FLAG record says only that information is held, by whom, of what category and when.' })
export class ChronologyEntry {
  @Field(() => ChronologyKindEnum) kind!: ChronologyKind;
  @Field(() => DateTime) occurredAt!: Date;
  @Field(() => Agency, { description: 'The source agency.' }) agency!: Agency;
  @Field(() => Provenance) provenance!: Provenance;
  @Field(() => String, { description: 'For a FLAG record: "Information held by …".' }) summary!: string;
  @Field(() => VisibilityEnum, { nullable: true, description: 'For records: FULL or FLAG.' }) visibility!: Visibility | null;
  @Field(() => RecordCategoryEnum, { nullable: true }) category!: RecordCategory | null;
  @Field(() => SharedRecord, { nullable: true, description: 'The record as the caller may see it.' }) record!: SharedRecord | null;
}

@ObjectType()
export class ChronologyEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ChronologyEntry) node!: ChronologyEntry;
}

@ObjectType()
export class ChronologyConnection {
  @Field(() => [ChronologyEdge]) edges!: ChronologyEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Entries this caller may see after the filter.' }) totalCount!: number;
}

@InputType({ description: 'Categories apply to records; when categories are given without kinds, only records are listed.' })
export class ChronologyFilter {
  @Field(() => [String], { nullable: true, description: 'Source agency codes.' }) agencyCodes?: string[] | null;
  @Field(() => [RecordCategoryEnum], { nullable: true }) categories?: RecordCategory[] | null;
  @Field(() => [ChronologyKindEnum], { nullable: true }) kinds?: ChronologyKind[] | null;
  @Field(() => DateTime, { nullable: true, description: 'At or after.' }) from?: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'Before.' }) to?: Date | null;
}
