import type { NonEmptyArray } from 'type-graphql';
import { AgencyResolver } from '../modules/agencies/agency.resolver';
import { ChildResolver } from '../modules/children/child.resolver';
import { RecordResolver, ChildRecordsResolver } from '../modules/records/record.resolver';
import { EnquiryResolver } from '../modules/enquiries/enquiry.resolver';
import { ResearchResolver } from '../modules/enquiries/research.resolver';
import { StrategyResolver } from '../modules/strategy/strategy.resolver';
import { SubmitRecordsResolver } from '../modules/records/submit.resolver';
import { ChildChronologyResolver } from '../modules/chronology/chronology.resolver';
import { ViewerResolver } from '../modules/viewer/viewer.resolver';
import { ChildConsentsResolver, ConsentResolver } from '../modules/consents/consent.resolver';
import { ChildLawfulBasesResolver, LawfulBasisResolver } from '../modules/lawful-bases/lawful-basis.resolver';
import { AccessRequestResolver } from '../modules/access-requests/access-request.resolver';
import { BreakGlassResolver } from '../modules/break-glass/break-glass.resolver';

/** Every resolver in the schema; modules add theirs here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [ViewerResolver, AgencyResolver, ChildResolver, RecordResolver, ChildRecordsResolver,
  ConsentResolver, ChildConsentsResolver, LawfulBasisResolver, ChildLawfulBasesResolver, AccessRequestResolver, BreakGlassResolver, EnquiryResolver, ResearchResolver, StrategyResolver, ChildChronologyResolver,
  SubmitRecordsResolver];
