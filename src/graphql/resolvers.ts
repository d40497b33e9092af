import type { NonEmptyArray } from 'type-graphql';
import { AgencyResolver } from '../modules/agencies/agency.resolver';
import { ChildResolver } from '../modules/children/child.resolver';
import { RecordResolver, ChildRecordsResolver } from '../modules/records/record.resolver';
import { EnquiryResolver } from '../modules/enquiries/enquiry.resolver';
import { ResearchResolver } from '../modules/enquiries/research.resolver';
import { ViewerResolver } from '../modules/viewer/viewer.resolver';
import { ChildConsentsResolver, ConsentResolver } from '../modules/consents/consent.resolver';
import { ChildLawfulBasesResolver, LawfulBasisResolver } from '../modules/lawful-bases/lawful-basis.resolver';
import { AccessRequestResolver } from '../modules/access-requests/access-request.resolver';

/** Every resolver in the schema; modules add theirs here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [ViewerResolver, AgencyResolver, ChildResolver, RecordResolver, ChildRecordsResolver,
  ConsentResolver, ChildConsentsResolver, LawfulBasisResolver, ChildLawfulBasesResolver, AccessRequestResolver, EnquiryResolver, ResearchResolver];
