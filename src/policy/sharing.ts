import { hasReadingRole, isDpo } from './roles';
import type { PolicyViewer, ChildDecision } from './types';

/**
 * Who may see a child's consents and lawful bases (the sharing arrangements, not record content):
 * a reading role that may know records exist (a ground, or MASH staff with an open enquiry), and a
 * DPO answering a subject access request about a child it sees in full. An integration account
 * reads nothing of other agencies', and these say what other agencies hold and why (a section 47
 * basis says a child protection enquiry is under way); a shielded child's, without a ground, would
 * say who is involved with a child whose details are withheld.
 */
export function maySeeSharingArrangements(viewer: PolicyViewer, decision: ChildDecision): boolean {
  if (decision.view === 'HIDDEN') return false;
  if (hasReadingRole(viewer) && decision.mayKnowRecordsExist) return true;
  return isDpo(viewer) && decision.view === 'FULL';
}

/**
 * Whether a viewer sees one of a child's local identifiers (an agency system's own id for the
 * child). Each names the agency that keeps it, so another agency's says that agency holds
 * information about the child: shown under the rule above, as a flag would be. The viewer's own
 * agency's goes with the child's details in full. So an integration account sees only its own.
 */
export function mayShowLocalIdentifier(viewer: PolicyViewer, decision: ChildDecision, agencyCode: string): boolean {
  if (decision.view !== 'FULL') return false;
  return agencyCode === viewer.agencyCode || maySeeSharingArrangements(viewer, decision);
}
