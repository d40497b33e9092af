/**
 * Who may feed records into the hub and who may work on child identity. Pure: roles and agency
 * kind in, a yes or no out. Roles add up, as in the record policy.
 */
import type { Role } from '../domain/vocabulary';
import { isSocialCareManager } from './roles';
import type { PolicyViewer } from './types';

/** DPO and ADMIN oversee the hub; they never put facts about a child into it. */
const SUBMITTING_ROLES: readonly Role[] = ['INTEGRATION', 'PRACTITIONER', 'MASH_RESEARCHER', 'MANAGER'];

/** May submit records; always as the viewer's own agency (the token's agency, never an input). */
export function maySubmitRecords(viewer: PolicyViewer): boolean {
  return viewer.roles.some((role) => SUBMITTING_ROLES.includes(role));
}

/**
 * May see parked submissions and link them to a child: front-door staff, whose job is to know
 * that the child in one agency's system is the child in another's.
 */
export function mayWorkMatchQueue(viewer: PolicyViewer): boolean {
  return viewer.roles.includes('MASH_RESEARCHER') || viewer.roles.includes('MANAGER');
}

/**
 * Merging two children moves every record, consent and basis of one onto the other, so it is a
 * decision for a social care manager, who is accountable for the child's record in the MASH.
 */
export function mayMergeChildren(viewer: PolicyViewer): boolean {
  return isSocialCareManager(viewer);
}
