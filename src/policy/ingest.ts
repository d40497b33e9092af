/**
 * Who may feed records into the hub and who may work on child identity. Pure: roles and agency
 * kind in, a yes or no out. Roles add up, as in the record policy.
 */
import type { Role } from '../domain/vocabulary';
import { hasReadingRole, isIntegration, isMashStaff, isSocialCareManager } from './roles';
import type { ChildDecision, PolicyViewer } from './types';
import { mayShowAddress } from './decide';

/** DPO and ADMIN oversee the hub; they never put facts about a child into it. */
const SUBMITTING_ROLES: readonly Role[] = ['INTEGRATION', 'PRACTITIONER', 'MASH_RESEARCHER', 'MANAGER'];

/** May submit records; always as the viewer's own agency (the token's agency, never an input). */
export function maySubmitRecords(viewer: PolicyViewer): boolean {
  return viewer.roles.some((role) => SUBMITTING_ROLES.includes(role));
}

/**
 * May a submission from this viewer be filed on an existing child it names or matches? Filing
 * makes the viewer's agency one that holds records about the child, which is itself a ground
 * for the child, so a person may not create one for a child they could not already see in full:
 * a shielded child they hold no ground for stays name, age and gender only (ContactPoint
 * shielding), and their item waits for front-door staff to confirm who it is about. An
 * integration feed is the agency's own system of record, trusted to know its children.
 */
export function mayLinkRecordToChild(viewer: PolicyViewer, child: ChildDecision): boolean {
  if (linksWithoutChildDecision(viewer)) return true;
  return hasReadingRole(viewer) && child.view === 'FULL';
}

/**
 * An integration feed (a service account: INTEGRATION and no personal reading role) may file on
 * any child it identifies, so its batches need no decision per child.
 */
export function linksWithoutChildDecision(viewer: PolicyViewer): boolean {
  return isIntegration(viewer) && !hasReadingRole(viewer);
}

/**
 * Does an item about a child the hub does not hold make a new child? For an integration feed, the
 * agency's system of record, yes. A person's item waits for front-door staff to say who it is
 * about: were it to make a child when nobody matched, and wait when the match was a shielded child
 * the person may not see, the difference would confirm that child's date of birth or NHS number
 * to anyone who guessed it.
 */
export function mayCreateChildren(viewer: PolicyViewer): boolean {
  return linksWithoutChildDecision(viewer);
}

/**
 * May see parked submissions and link them to a child: front-door staff (MASH researchers and
 * social care managers), whose job is to know that the child in one agency's system is the
 * child in another's. A partner agency's manager is not front-door staff.
 */
export function mayWorkMatchQueue(viewer: PolicyViewer): boolean {
  return isMashStaff(viewer);
}

/**
 * Merging two children moves every record, consent and basis of one onto the other, so it is a
 * decision for a social care manager, who is accountable for the child's record in the MASH.
 */
export function mayMergeChildren(viewer: PolicyViewer): boolean {
  return isSocialCareManager(viewer);
}

/**
 * A child may be merged, as survivor or duplicate, by such a manager who sees it in full. A
 * shielded child they have no ground for shows them name, age and gender only: too little to
 * judge two records are one child, and a refusal naming the identifiers it holds would say what
 * the shielding withholds. To them it answers as absent.
 */
export function mayMergeChild(viewer: PolicyViewer, child: ChildDecision | null): boolean {
  return mayMergeChildren(viewer) && child !== null && child.view === 'FULL';
}

export type MatchCandidateView = 'OMIT' | 'WITHOUT_SCORE' | 'WITH_SCORE';

/**
 * What front-door staff see of a suggested match. A child they may not see at all is left out;
 * for a child they see by name, age and gender only, the score is withheld, since a high one
 * confirms the date of birth or identifier the shielding withholds (as search does).
 */
export function matchCandidateView(child: ChildDecision | null): MatchCandidateView {
  if (child === null || child.view === 'HIDDEN') return 'OMIT';
  return child.view === 'FULL' ? 'WITH_SCORE' : 'WITHOUT_SCORE';
}

/** What front-door staff see of a parked item beyond the demographics they match on. */
export interface ParkedItemView {
  /** The sending system's own id: that agency's business, not the front door's. */
  readonly sourceRef: boolean;
  /** The submitted postcode. */
  readonly postcode: boolean;
}

/**
 * A parked item names a child nobody has confirmed yet, and the queue is worked by MASH staff of
 * every agency. A postcode sent as part of a refuge address is shown only where the child's
 * address would be: to the submitting agency and social care managers.
 */
export function parkedItemView(viewer: PolicyViewer, item: { readonly agencyId: string; readonly addressConfidential: boolean }): ParkedItemView {
  return { sourceRef: maySeeSourceRef(viewer, item.agencyId), postcode: mayShowAddress(viewer, { confidential: item.addressConfidential, recordedByAgencyId: item.agencyId }) };
}

/**
 * A sending system's own reference for a record (a crime or case number) is that agency's
 * business: shown to its own staff, never to front-door staff of another agency who park, link or
 * file the item, since it can identify an investigation.
 */
export function maySeeSourceRef(viewer: PolicyViewer, sendingAgencyId: string): boolean {
  return viewer.agencyId === sendingAgencyId;
}
