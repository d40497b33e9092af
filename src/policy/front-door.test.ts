import type { AgencyKind, Role } from '../domain/vocabulary';
import {
  mayAnswerResearch, mayCloseEnquiry, mayMatchEnquiryChild, overdueActionScope, mayCompleteAction, mayDecideEnquiry, researchRequestScope, mayReadFrontDoorHistory, mayReadFrontDoorMetrics, mayReadResearchRequest, mayWorkEnquiries,
} from './front-door';
import type { ChildDecision, PolicyViewer } from './types';

const AGENCY: Record<AgencyKind, string> = {
  POLICE: 'a-pol', HEALTH: 'a-health', EDUCATION: 'a-school', SOCIAL_CARE: 'a-csc', PROBATION: 'a-prob', HOUSING: 'a-house', OTHER: 'a-other',
};
const viewer = (kind: AgencyKind, ...roles: Role[]): PolicyViewer => ({ sub: `${kind}-${roles.join('-')}`, agencyId: AGENCY[kind], agencyCode: kind, agencyKind: kind, roles });

const researcher = viewer('SOCIAL_CARE', 'MASH_RESEARCHER');
const cscManager = viewer('SOCIAL_CARE', 'MANAGER');
const policeResearcher = viewer('POLICE', 'MASH_RESEARCHER');
const policeManager = viewer('POLICE', 'MANAGER');
const healthPractitioner = viewer('HEALTH', 'PRACTITIONER');
const schoolPractitioner = viewer('EDUCATION', 'PRACTITIONER');
const healthIntegration = viewer('HEALTH', 'INTEGRATION');
const dpo = viewer('SOCIAL_CARE', 'DPO');

describe('front-door policy', () => {
  it.each([
    ['MASH researcher', researcher, true, false, false],
    ['social care manager', cscManager, true, true, true],
    ['police MASH researcher', policeResearcher, true, false, false],
    ['police manager', policeManager, false, false, false],
    ['health practitioner', healthPractitioner, false, false, false],
    ['DPO', dpo, false, false, false],
  ])('%s: works enquiries %s, decides and closes %s, reads metrics %s', (_name, who, works, decides, metrics) => {
    expect(mayWorkEnquiries(who)).toBe(works);
    expect(mayDecideEnquiry(who)).toBe(decides);
    expect(mayCloseEnquiry(who)).toBe(decides);
    expect(mayReadFrontDoorMetrics(who)).toBe(metrics);
  });

  const healthRequest = { agencyId: AGENCY.HEALTH };
  it.each([
    ['health practitioner, own request', healthPractitioner, true, true],
    ['health integration, own request', healthIntegration, true, true],
    ['school practitioner, health request', schoolPractitioner, false, false],
    ['MASH researcher', researcher, true, false],
    ['DPO', dpo, false, false],
  ])('%s: reads %s, answers %s', (_name, who, reads, answers) => {
    expect(mayReadResearchRequest(who, healthRequest)).toBe(reads);
    expect(mayAnswerResearch(who, healthRequest)).toBe(answers);
  });

  it.each([
    ['MASH researcher', researcher, 'ALL', 'ALL'],
    ['social care manager', cscManager, 'ALL', 'ALL'],
    ['police manager', policeManager, 'OWN_AGENCY', 'OWN_AGENCY'],
    ['health practitioner', healthPractitioner, 'OWN_AGENCY', 'OWN_AGENCY'],
    ['health integration', healthIntegration, 'OWN_AGENCY', 'NONE'],
    ['DPO', dpo, 'NONE', 'NONE'],
    ['admin', viewer('SOCIAL_CARE', 'ADMIN'), 'NONE', 'NONE'],
  ])('%s lists research requests of %s and overdue actions of %s', (_name, who, research, actions) => {
    expect(researchRequestScope(who)).toBe(research);
    expect(overdueActionScope(who)).toBe(actions);
  });

  const child = (over: Partial<ChildDecision>): ChildDecision => ({ view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: false, reason: 'test', ...over });
  it.each([
    ['MASH staff, open enquiry', researcher, child({ mayKnowRecordsExist: true }), true],
    ['MASH staff, no open enquiry and no ground', researcher, child({}), false],
    ['MASH staff, shielded child without a ground', researcher, child({ view: 'NAME_AGE_GENDER' }), false],
    ['practitioner with a ground', schoolPractitioner, child({ mayKnowRecordsExist: true, grounds: [{ kind: 'LAWFUL_BASIS', id: 'b' }] }), true],
    ['practitioner without a ground', schoolPractitioner, child({}), false],
    ['DPO, whatever the decision says', dpo, child({ mayKnowRecordsExist: true }), false],
    ['admin, whatever the decision says', viewer('SOCIAL_CARE', 'ADMIN'), child({ mayKnowRecordsExist: true }), false],
    ['integration of an agency holding records', healthIntegration, child({ mayKnowRecordsExist: true, grounds: [{ kind: 'OWNER', id: 'r' }] }), false],
    ['hidden child, even for MASH staff', researcher, child({ view: 'HIDDEN', mayKnowRecordsExist: true }), false],
  ])('history: %s -> %s', (_name, who, decision, expected) => {
    expect(mayReadFrontDoorHistory(who, decision)).toBe(expected);
  });

  it.each([
    ['a child seen in full', child({}), true],
    ['a shielded child seen by name, age and gender only', child({ view: 'NAME_AGE_GENDER' }), false],
    ['a hidden child', child({ view: 'HIDDEN' }), false],
    ['no child', null, false],
  ])('an enquiry describing a child may be matched to %s: %s', (_name, decision, expected) => {
    expect(mayMatchEnquiryChild(decision)).toBe(expected);
  });

  it.each([
    ['owner agency practitioner', healthPractitioner, AGENCY.HEALTH, true],
    ['another agency', schoolPractitioner, AGENCY.HEALTH, false],
    ['MASH researcher', researcher, AGENCY.HEALTH, true],
    ['unowned action, practitioner', healthPractitioner, null, false],
  ])('completes action: %s -> %s', (_name, who, owner, expected) => {
    expect(mayCompleteAction(who, { ownerAgencyId: owner })).toBe(expected);
  });
});
