/**
 * Who may change the sharing grounds and who may read the audit trail. Pure rules over the
 * viewer (and, where it matters, the thing acted on); the services call them and turn a "no"
 * into FORBIDDEN or NOT_FOUND. What record content a viewer sees is decided in decide.ts, not here.
 */
import type { GroundKind, LawfulBasisKind } from '../domain/vocabulary';
import { hasReadingRole, isDpo, isMashStaff, isSocialCareManager } from './roles';
import type { ChildDecision, PolicyViewer, RecordDecision } from './types';

function isManager(viewer: PolicyViewer): boolean {
  return viewer.roles.includes('MANAGER');
}

/**
 * Practitioners, front-door researchers and managers seek and record consent (early help
 * coordinators contact families and seek consent); DPO, ADMIN and INTEGRATION do not.
 */
export function mayRecordConsent(viewer: PolicyViewer): boolean {
  return hasReadingRole(viewer);
}

/**
 * The answer to acting on one object. NOT_FOUND when it does not exist or the viewer may not see
 * it (the same answer, so a refusal never confirms that a child, request or session exists);
 * FORBIDDEN only when the refusal tells the viewer nothing new: their role never may, or they can
 * already see the object.
 */
export type MayAct = 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND';

/**
 * Whether this viewer may record a consent for this child (null: no such child). Consent is
 * sought by someone already working with the family (an early help worker's agency holds records
 * about the child, or the front door has an enquiry about it), or by MASH staff, who take
 * contacts about children nobody has shared anything about yet. Anyone else recording a consent
 * would be granting their own agency a ground. A child the viewer cannot see at all is answered
 * as missing.
 */
export function consentRecording(viewer: PolicyViewer, child: ChildDecision | null): MayAct {
  if (!mayRecordConsent(viewer)) return 'FORBIDDEN';
  if (child === null || child.view === 'HIDDEN') return 'NOT_FOUND';
  if (isMashStaff(viewer)) return 'ALLOWED';
  return child.grounds.some((g) => WORKING_WITH_THE_FAMILY.has(g.kind)) ? 'ALLOWED' : 'FORBIDDEN';
}

/**
 * The grounds that show a viewer's agency works with the family: it holds records about the child,
 * or a consent or lawful basis already names it. Break-glass opens records for an hour and a grant
 * one record; on their strength a consent naming the viewer's own agency would outlast them,
 * unreviewed, and turn an emergency look into standing access.
 */
const WORKING_WITH_THE_FAMILY: ReadonlySet<GroundKind> = new Set<GroundKind>(['OWNER', 'CONSENT', 'LAWFUL_BASIS']);

/** A withdrawal is recorded by the same people who record consent. */
export function mayWithdrawConsent(viewer: PolicyViewer): boolean {
  return hasReadingRole(viewer);
}

/**
 * Only a MANAGER of a SOCIAL_CARE agency authorises sharing without consent (Children Act 1989
 * s47; DPA 2018 Sch 1 para 18). Police protection (Children Act 1989 s46) is the police's own
 * power, so a POLICE manager may record that kind alone.
 */
export function mayRecordLawfulBasis(viewer: PolicyViewer, kind: LawfulBasisKind): boolean {
  if (!isManager(viewer)) return false;
  if (viewer.agencyKind === 'SOCIAL_CARE') return true;
  return viewer.agencyKind === 'POLICE' && kind === 'POLICE_PROTECTION';
}

/**
 * Ending a basis takes the same authority as recording it (null: no such basis), and sight of it:
 * the manager may see the child's sharing arrangements (`seen`), or their agency recorded it, which
 * is never news to them. A basis they cannot see answers as missing, so an id alone neither
 * confirms that a child has one nor lets anyone end it blind. A manager who may end some kind but
 * not this one is told so only if they can see it.
 */
export function lawfulBasisEnding(
  viewer: PolicyViewer,
  basis: { readonly kind: LawfulBasisKind; readonly recordedByAgencyId: string } | null,
  seen: boolean,
): MayAct {
  if (!mayRecordLawfulBasis(viewer, 'POLICE_PROTECTION')) return 'FORBIDDEN';
  if (!basis || !(seen || basis.recordedByAgencyId === viewer.agencyId)) return 'NOT_FOUND';
  return mayRecordLawfulBasis(viewer, basis.kind) ? 'ALLOWED' : 'FORBIDDEN';
}

/**
 * Only a viewer who sees a record as a FLAG may ask its owner for it: FULL has nothing to ask
 * for, and a HIDDEN record does not exist for the viewer.
 */
export function mayRequestAccess(decision: RecordDecision): boolean {
  return decision.visibility === 'FLAG';
}

/**
 * Information seen in the MASH is released only with the owning agency's agreement: its MANAGER
 * decides (null: no such request). Other managers see a request only if they made it.
 */
export function accessRequestDeciding(
  viewer: PolicyViewer,
  request: { readonly ownerAgencyId: string; readonly requesterSub: string; readonly requesterAgencyId: string } | null,
): MayAct {
  if (!isManager(viewer)) return 'FORBIDDEN';
  if (!request) return 'NOT_FOUND';
  if (viewer.agencyId === request.ownerAgencyId) return 'ALLOWED';
  return request.requesterSub === viewer.sub && request.requesterAgencyId === viewer.agencyId ? 'FORBIDDEN' : 'NOT_FOUND';
}

/** Whether a viewer may see the requests made to their agency (the owner's queue). */
export function maySeeAgencyAccessRequests(viewer: PolicyViewer): boolean {
  return isManager(viewer);
}

/** Break-glass is for people who act on a child in an emergency; it never reaches RESTRICTED content. */
export function mayBreakGlass(viewer: PolicyViewer): boolean {
  return hasReadingRole(viewer);
}

export type BreakGlassReviewScope = { readonly kind: 'ALL' } | { readonly kind: 'NOTIFIED_AGENCY'; readonly agencyId: string } | null;

/**
 * Which break-glass sessions a manager reviews: social care managers hold the front door and
 * review every one; other managers those their agency was notified of (its records could be
 * opened), each for its own agency.
 */
export function breakGlassReviewScope(viewer: PolicyViewer): BreakGlassReviewScope {
  if (!isManager(viewer)) return null;
  if (isSocialCareManager(viewer)) return { kind: 'ALL' };
  return { kind: 'NOTIFIED_AGENCY', agencyId: viewer.agencyId };
}

/**
 * A reviewer within scope, and never the person who broke the glass: nobody reviews themself
 * (null: no such session). A session outside the manager's scope answers as missing.
 */
export function breakGlassReviewing(
  viewer: PolicyViewer,
  session: { readonly viewerSub: string; readonly notifiedAgencyIds: readonly string[] } | null,
): MayAct {
  const scope = breakGlassReviewScope(viewer);
  if (!scope) return 'FORBIDDEN';
  if (!session) return 'NOT_FOUND';
  // They declared it, so they know it exists: say why not.
  if (session.viewerSub === viewer.sub) return 'FORBIDDEN';
  return scope.kind === 'ALL' || session.notifiedAgencyIds.includes(scope.agencyId) ? 'ALLOWED' : 'NOT_FOUND';
}

/**
 * What a manager's finding on a session records. Each agency notified of a session reviews the
 * reads it allowed of that agency's own records, so no agency's finding stands for another's; a
 * social care manager also gives the front door's finding on the session as a whole (null: not a
 * reviewer).
 */
export function breakGlassFindings(
  viewer: PolicyViewer,
  notifiedAgencyIds: readonly string[],
): { readonly frontDoor: boolean; readonly agencyId: string | null } | null {
  const scope = breakGlassReviewScope(viewer);
  if (!scope) return null;
  return { frontDoor: scope.kind === 'ALL', agencyId: notifiedAgencyIds.includes(viewer.agencyId) ? viewer.agencyId : null };
}

/**
 * Whose break-glass finding a reviewer reads in full, note and reviewer included: their own
 * agency's, and every agency's for the front door (social care managers), which reviews the whole
 * session. Another agency's manager sees only that it reviewed, when and with what outcome: its
 * note is about that agency's own records.
 */
export function mayReadBreakGlassFinding(viewer: PolicyViewer, findingAgencyId: string): boolean {
  const scope = breakGlassReviewScope(viewer);
  return scope !== null && (scope.kind === 'ALL' || viewer.agencyId === findingAgencyId);
}

export type AuditScope =
  | { readonly kind: 'ALL' }
  | { readonly kind: 'OTHERS_ON_OWN_RECORDS'; readonly agencyId: string; readonly agencyCode: string }
  | null;

/**
 * Who reads the audit trail. A DPO sees every event (UK GDPR Art 5(2) accountability; subject
 * access requests). An agency's MANAGER sees who outside the agency looked at the agency's own
 * records — the NHS CP-IS "who looked at my child" view. Nobody else reads it.
 */
export function auditScope(viewer: PolicyViewer): AuditScope {
  if (isDpo(viewer)) return { kind: 'ALL' };
  if (isManager(viewer)) return { kind: 'OTHERS_ON_OWN_RECORDS', agencyId: viewer.agencyId, agencyCode: viewer.agencyCode };
  return null;
}

/** Verifying the chain reads no content, only hashes: for DPOs and administrators. */
export function mayVerifyAuditChain(viewer: PolicyViewer): boolean {
  return isDpo(viewer) || viewer.roles.includes('ADMIN');
}
