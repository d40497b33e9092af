/**
 * Who may do what at the front door. Pure: each answer depends only on the viewer and the facts
 * passed in. Record content is still decided by decideRecord; these rules govern the front-door
 * workflow itself (enquiries, research requests, decisions, strategy discussions).
 */
import { hasReadingRole, isIntegration, isMashStaff, isSocialCareManager } from './roles';
import type { ChildDecision, PolicyViewer } from './types';

/** Opening, reading, re-rating enquiries and asking partners to research: MASH staff. */
export function mayWorkEnquiries(viewer: PolicyViewer): boolean {
  return isMashStaff(viewer);
}

/**
 * A child's referral history (how often the front door was contacted, and which enquiries): MASH
 * staff, for a child they see in full. A shielded child they have no ground or open enquiry for
 * shows them name, age and gender only, and its history would say who contacted the front door
 * about it and when.
 */
export function mayReadReferralHistory(viewer: PolicyViewer, child: ChildDecision | null): boolean {
  return mayWorkEnquiries(viewer) && child !== null && child.view === 'FULL';
}

/**
 * A child described on an enquiry (name, date of birth, gender) is matched against the children
 * the hub holds before a new one is recorded, but only against those the worker sees in full. A
 * shielded child they have no ground for answers as absent: linking to it, or refusing because
 * of it, would confirm the date of birth or identifier the shielding withholds to anyone who
 * guessed them. The new child then recorded is a duplicate for a manager to merge once it comes
 * to light, as with any other agency's system.
 */
export function mayMatchEnquiryChild(child: ChildDecision | null): boolean {
  return child !== null && child.view === 'FULL';
}

/**
 * Working Together 2023: the local authority social worker's manager decides on a referral; the
 * same manager may record a SECTION_47_ENQUIRY basis (only social care managers record bases).
 */
export function mayDecideEnquiry(viewer: PolicyViewer): boolean {
  return isSocialCareManager(viewer);
}

/**
 * Working Together 2023: a manager closes the enquiry once the decision on the contact is made;
 * the same social care managers who decide close.
 */
export function mayCloseEnquiry(viewer: PolicyViewer): boolean {
  return isSocialCareManager(viewer);
}

/** An agency asked for research sees its own requests; MASH staff see all of them. */
export function mayReadResearchRequest(viewer: PolicyViewer, request: { readonly agencyId: string }): boolean {
  if (isMashStaff(viewer)) return true;
  return viewer.agencyId === request.agencyId && (hasReadingRole(viewer) || isIntegration(viewer));
}

export type ResearchRequestScope = 'ALL' | 'OWN_AGENCY' | 'NONE';

/** Which research requests a viewer may list: every agency's (MASH staff), its own agency's, or none (DPO, ADMIN). */
export function researchRequestScope(viewer: PolicyViewer): ResearchRequestScope {
  if (isMashStaff(viewer)) return 'ALL';
  return hasReadingRole(viewer) || isIntegration(viewer) ? 'OWN_AGENCY' : 'NONE';
}

/** Only the agency asked answers, as only it knows what it holds. */
export function mayAnswerResearch(viewer: PolicyViewer, request: { readonly agencyId: string }): boolean {
  return viewer.agencyId === request.agencyId && (hasReadingRole(viewer) || isIntegration(viewer));
}

/**
 * The non-record entries of a chronology (enquiries, research, decisions, bases, consents, strategy
 * discussions) say that agencies hold and act on information about the child, so they follow the
 * same rule as knowing records exist: a reading role and a ground, or MASH staff with an open
 * enquiry about the child (both are in mayKnowRecordsExist). A DPO, an administrator or an
 * integration account never sees them, not even as a count; nor do MASH staff for a shielded
 * child they have no reason to know of (ContactPoint shielding).
 */
export function mayReadFrontDoorHistory(viewer: PolicyViewer, child: ChildDecision): boolean {
  if (child.view === 'HIDDEN') return false;
  return hasReadingRole(viewer) && child.mayKnowRecordsExist;
}

/** An action is marked done by MASH staff or by the agency that owns it. */
export function mayCompleteAction(viewer: PolicyViewer, action: { readonly ownerAgencyId: string | null }): boolean {
  if (isMashStaff(viewer)) return true;
  return action.ownerAgencyId === viewer.agencyId && hasReadingRole(viewer);
}

export type OverdueActionScope = 'ALL' | 'OWN_AGENCY' | 'NONE';

/**
 * Whose overdue strategy actions a viewer may list: every agency's (MASH staff), its own agency's
 * (a reading role), or none. The action text describes work with a child, so a DPO, an
 * administrator or an integration account, who read no case content, sees none of it.
 */
export function overdueActionScope(viewer: PolicyViewer): OverdueActionScope {
  if (isMashStaff(viewer)) return 'ALL';
  return hasReadingRole(viewer) ? 'OWN_AGENCY' : 'NONE';
}

/** Timeliness figures are for the managers accountable for the front door. */
export function mayReadFrontDoorMetrics(viewer: PolicyViewer): boolean {
  return isSocialCareManager(viewer);
}
