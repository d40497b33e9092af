import { AgencyEntity } from '../modules/agencies/agency.entity';
import { ChildEntity, ChildIdentifierEntity } from '../modules/children/child.entity';
import { ConsentEntity } from '../modules/consents/consent.entity';
import { LawfulBasisEntity } from '../modules/lawful-bases/lawful-basis.entity';
import { RecordVersionEntity, SharedRecordEntity } from '../modules/records/record.entity';

/** Every entity the data source knows; modules add theirs here. */
export const ENTITIES = [
  AgencyEntity,
  ChildEntity,
  ChildIdentifierEntity,
  SharedRecordEntity,
  RecordVersionEntity,
  ConsentEntity,
  LawfulBasisEntity,
];
