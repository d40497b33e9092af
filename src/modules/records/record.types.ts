import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GroundKindEnum, RecordCategoryEnum, SensitivityEnum, VisibilityEnum } from '../../graphql/enums';
import { DateTime } from '../../graphql/scalars';
import { PageInfo } from '../../graphql/page-info';
import type { GroundKind, RecordCategory, Sensitivity, Visibility } from '../../domain/vocabulary';
import { Agency } from '../agencies/agency.types';
import type { GroundView, RecordView } from '../../access/views';

@ObjectType({ description: 'Why content was released: the kind of ground and the consent, basis, grant or session (the agency for OWNER).', simpleResolvers: true })
export class GroundRefType implements GroundView {
  @Field(() => GroundKindEnum) kind!: GroundKind;
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'A fact an agency holds about a child. For FLAG visibility only the agency, category and date are shown, with how to ask for the rest.', simpleResolvers: true })
export class SharedRecord {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Agency) agency!: Agency;
  @Field(() => RecordCategoryEnum) category!: RecordCategory;
  @Field(() => SensitivityEnum, { nullable: true, description: 'Null for FLAG.' }) sensitivity!: Sensitivity | null;
  @Field(() => DateTime) occurredAt!: Date;
  @Field(() => DateTime, { nullable: true, description: 'Null for FLAG.' }) recordedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Null for FLAG.' }) version!: number | null;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [GroundKindEnum], { description: 'Empty for FLAG.' }) grounds!: GroundKind[];
  @Field(() => [GroundRefType], { description: 'The exact consents, bases, grants or sessions relied on; empty for FLAG.' }) groundRefs!: GroundRefType[];
  @Field(() => String, { nullable: true, description: "The owner system's reference; null for FLAG." }) sourceRef!: string | null;
  @Field(() => String, { nullable: true, description: 'Null for FLAG.' }) summary!: string | null;
  @Field(() => String, { nullable: true, description: 'Null for FLAG.' }) detail!: string | null;
  @Field(() => [String], { nullable: true, description: 'Children in Need census factor codes; null for FLAG.' }) factorCodes!: string[] | null;
  @Field(() => ID, { nullable: true }) enquiryId!: string | null;
  @Field(() => Boolean, { description: 'Released only because of break-glass; this read is reviewed.' }) underBreakGlass!: boolean;
  @Field(() => String, { nullable: true, description: 'For FLAG: how to ask the owning agency for the content.' }) howToRequest!: string | null;
}

/** The parts of a released record shown just as the access layer made them (set once, in the constructor). */
type ShownAsMade = { -readonly [K in Exclude<keyof RecordView, 'grounds' | 'factorCodes'>]: RecordView[K] };

/**
 * A released record as GraphQL reads it: the view's own fields as they are, and the lists and
 * the FLAG hint made when a query reads them, not for every record of every page (most pages show
 * none of them).
 */
// Declared with the class of the same name, so the view's fields need not be listed twice.
interface ReleasedRecord extends ShownAsMade {}
class ReleasedRecord implements SharedRecord {
  // Field by field rather than by spreading the view: the same fields in the same order give every
  // record one shape, and building a page's records costs a tenth as much (a chronology has 200).
  // record.types.test.ts checks that every field of the view is shown.
  constructor(private readonly view: RecordView) {
    this.id = view.id;
    this.childId = view.childId;
    this.agency = view.agency;
    this.category = view.category;
    this.sensitivity = view.sensitivity;
    this.occurredAt = view.occurredAt;
    this.recordedAt = view.recordedAt;
    this.version = view.version;
    this.visibility = view.visibility;
    this.sourceRef = view.sourceRef;
    this.summary = view.summary;
    this.detail = view.detail;
    this.enquiryId = view.enquiryId;
    this.underBreakGlass = view.underBreakGlass;
  }

  get grounds(): GroundKind[] {
    return [...new Set(this.view.grounds.map((g) => g.kind))];
  }

  get groundRefs(): GroundRefType[] {
    return [...this.view.grounds];
  }

  get factorCodes(): string[] | null {
    return this.view.factorCodes ? [...this.view.factorCodes] : null;
  }

  get howToRequest(): string | null {
    const { visibility, agency, id } = this.view;
    return visibility === 'FLAG'
      ? `Information is held by ${agency.name} (${agency.code}); ask for it with requestAccess(recordId: "${id}", purpose).`
      : null;
  }
}

/** The GraphQL shape of a record the access layer released. */
export function toSharedRecord(view: RecordView): SharedRecord {
  return new ReleasedRecord(view);
}

@ObjectType({ simpleResolvers: true })
export class SharedRecordEdge {
  @Field(() => String) cursor!: string;
  @Field(() => SharedRecord) node!: SharedRecord;
}

@ObjectType({ simpleResolvers: true })
export class SharedRecordConnection {
  @Field(() => [SharedRecordEdge]) edges!: SharedRecordEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Records this caller may know of (FULL and FLAG) after the filter.' }) totalCount!: number;
}

@InputType({ description: 'Why the caller is reading: an enquiry id, or a reason of at least 10 characters.' })
export class PurposeInput {
  @Field(() => ID, { nullable: true }) enquiryId?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType()
export class RecordFilter {
  @Field(() => [String], { nullable: true, description: 'Owning agency codes.' }) agencyCodes?: string[] | null;
  @Field(() => [RecordCategoryEnum], { nullable: true }) categories?: RecordCategory[] | null;
  @Field(() => DateTime, { nullable: true, description: 'Occurred at or after.' }) from?: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'Occurred before.' }) to?: Date | null;
}
