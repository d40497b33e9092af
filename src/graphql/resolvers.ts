import type { NonEmptyArray } from 'type-graphql';
import { AgencyResolver } from '../modules/agencies/agency.resolver';
import { ChildResolver } from '../modules/children/child.resolver';
import { RecordResolver, ChildRecordsResolver } from '../modules/records/record.resolver';
import { EnquiryDecisionResolver, EnquiryResolver } from '../modules/enquiries/enquiry.resolver';
import { EnquiryResearchResolver, ResearchResolver } from '../modules/enquiries/research.resolver';
import { EnquiryStrategyResolver, StrategyResolver } from '../modules/strategy/strategy.resolver';
import { MatchingResolver } from '../modules/matching/matching.resolver';
import { SubmitRecordsResolver } from '../modules/records/submit.resolver';
import { ChildChronologyResolver } from '../modules/chronology/chronology.resolver';
import { ChildReferralHistoryResolver } from '../modules/enquiries/referral-history';
import { FrontDoorMetricsResolver } from '../modules/metrics/front-door-metrics';
import { ViewerResolver } from '../modules/viewer/viewer.resolver';
import { ChildConsentsResolver, ConsentResolver } from '../modules/consents/consent.resolver';
import { ChildLawfulBasesResolver, LawfulBasisResolver } from '../modules/lawful-bases/lawful-basis.resolver';
import { AccessRequestResolver } from '../modules/access-requests/access-request.resolver';
import { BreakGlassResolver } from '../modules/break-glass/break-glass.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';

/** Every resolver in the schema; modules add theirs here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [ViewerResolver, AgencyResolver, ChildResolver, RecordResolver, ChildRecordsResolver,
  ConsentResolver, ChildConsentsResolver, LawfulBasisResolver, ChildLawfulBasesResolver, AccessRequestResolver, BreakGlassResolver, AuditResolver, EnquiryResolver, EnquiryDecisionResolver, ResearchResolver, StrategyResolver, ChildChronologyResolver, ChildReferralHistoryResolver, FrontDoorMetricsResolver,
  SubmitRecordsResolver, MatchingResolver, EnquiryResearchResolver, EnquiryStrategyResolver];
