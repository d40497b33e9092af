import type { PolicyViewer, ChildDecision } from './types';

/**
 * Who may see a child's consents and lawful bases (the sharing arrangements, not record
 * content): anyone who may know records exist, and a DPO answering a subject access request.
 */
export function maySeeSharingArrangements(viewer: PolicyViewer, decision: ChildDecision): boolean {
  if (decision.view === 'HIDDEN') return false;
  return decision.mayKnowRecordsExist || viewer.roles.includes('DPO');
}
