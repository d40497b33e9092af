import { registerEnumType } from 'type-graphql';
import {
  AGENCY_KINDS, CONSENT_GIVERS, GENDERS, GROUND_KINDS, LAWFUL_BASIS_KINDS, RECORD_CATEGORIES, ROLES, SENSITIVITIES, VISIBILITIES,
} from '../domain/vocabulary';

/** GraphQL enums built from the vocabulary lists, so the schema and the database agree. */
function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

export const AgencyKindEnum = enumOf(AGENCY_KINDS);
export const RoleEnum = enumOf(ROLES);
export const SensitivityEnum = enumOf(SENSITIVITIES);
export const RecordCategoryEnum = enumOf(RECORD_CATEGORIES);
export const GenderEnum = enumOf(GENDERS);
export const ConsentGiverEnum = enumOf(CONSENT_GIVERS);
export const LawfulBasisKindEnum = enumOf(LAWFUL_BASIS_KINDS);
export const GroundKindEnum = enumOf(GROUND_KINDS);
export const VisibilityEnum = enumOf(VISIBILITIES);

registerEnumType(AgencyKindEnum, { name: 'AgencyKind' });
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(SensitivityEnum, { name: 'Sensitivity', description: 'RESTRICTED content goes only to its owner unless the owner releases it.' });
registerEnumType(RecordCategoryEnum, { name: 'RecordCategory' });
registerEnumType(GenderEnum, { name: 'Gender' });
registerEnumType(ConsentGiverEnum, { name: 'ConsentGiver' });
registerEnumType(LawfulBasisKindEnum, { name: 'LawfulBasisKind' });
registerEnumType(GroundKindEnum, { name: 'Ground' });
registerEnumType(VisibilityEnum, { name: 'Visibility', description: 'FULL: content released. FLAG: only that information is held, and by whom.' });
