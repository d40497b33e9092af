/**
 * The access policy: for one viewer and one record (or one child), what the viewer may see.
 * Nothing else in the code decides it. Pure and synchronous: the facts are loaded beforehand.
 * The rules, with their legal sources, are laid out for a DPO in docs/policy.md.
 */
import { childGrounds, heldGrounds, recordGroundsHeld } from './grounds';
import { flagReason, fullReason, groundsReason, HIDDEN_REASONS } from './reasons';
import { requireFacts } from './require-facts';
import { hasReadingRole, isDpo, isIntegration, isMashStaff, isSocialCareManager } from './roles';
import type { ChildDecision, ChildFacts, GroundRef, PolicyChild, PolicyRecord, PolicyViewer, RecordDecision } from './types';

function hidden(reason: string): RecordDecision {
  return { visibility: 'HIDDEN', grounds: [], reviewable: false, reason };
}

/**
 * Whether the viewer may know that information about the child is held at all. Owning the record
 * in hand counts even if the caller's holding list missed it: that is never news to the owner.
 */
function mayKnowRecordsExist(
  viewer: PolicyViewer,
  facts: ChildFacts,
  grounds: readonly GroundRef[],
  ownsRecord = false,
): boolean {
  return grounds.length > 0 || ownsRecord || (isMashStaff(viewer) && facts.openEnquiryIds.length > 0);
}

export function decideRecord(
  viewer: PolicyViewer,
  record: PolicyRecord,
  facts: ChildFacts | null | undefined,
  now: Date,
): RecordDecision {
  requireFacts(facts, record.childId, now);
  return decideRecordsOfChild(viewer, [record], facts, now)[0];
}

/**
 * `decideRecord` for each of one child's records, in order: what the viewer holds over the child
 * is worked out once for all of them. Each record is still decided on its own grounds alone.
 */
export function decideRecordsOfChild(
  viewer: PolicyViewer,
  records: readonly PolicyRecord[],
  facts: ChildFacts | null | undefined,
  now: Date,
): RecordDecision[] {
  if (records.length === 0) return [];
  for (const record of records) requireFacts(facts, record.childId, now);
  requireFacts(facts, null, now);
  const reader = hasReadingRole(viewer);
  if (!reader && !isIntegration(viewer)) return records.map(() => hidden(HIDDEN_REASONS.noReadingRole));

  const held = heldGrounds(viewer, facts, now);
  return records.map((record): RecordDecision => {
    const grounds = recordGroundsHeld(viewer, record, held);
    if (grounds.length > 0) {
      // Break-glass alone is the only read nobody authorised in advance, so only it goes to review.
      const reviewable = grounds.every((g) => g.kind === 'BREAK_GLASS');
      return { visibility: 'FULL', grounds, reviewable, reason: fullReason(grounds, reviewable) };
    }
    if (!reader) return hidden(HIDDEN_REASONS.integrationNotOwner);
    if (mayKnowRecordsExist(viewer, facts, held.child, record.agencyId === viewer.agencyId)) {
      return { visibility: 'FLAG', grounds: [], reviewable: false, reason: flagReason(viewer, record) };
    }
    return hidden(HIDDEN_REASONS.noGround);
  });
}

/**
 * A refuge address is never shown outside the agency that recorded it and social care managers,
 * whatever the ground, break-glass included: leaked refuge addresses have led to abduction.
 */
export function mayShowAddress(viewer: PolicyViewer, address: { readonly confidential: boolean; readonly recordedByAgencyId: string | null }): boolean {
  return !address.confidential || viewer.agencyId === address.recordedByAgencyId || isSocialCareManager(viewer);
}

function readerView(viewer: PolicyViewer, child: PolicyChild, facts: ChildFacts, now: Date): ChildDecision {
  const grounds = childGrounds(viewer, facts, now);
  const known = mayKnowRecordsExist(viewer, facts, grounds);
  // ContactPoint shielding: without a ground, a shielded child shows only name, age and gender.
  if (child.shielded && !known) {
    const reason = 'shielded child and no ground: name, age and gender only';
    return { view: 'NAME_AGE_GENDER', address: false, grounds, mayKnowRecordsExist: known, reason };
  }
  if (grounds.length === 0) {
    const why = known ? 'open enquiry but no ground for the child' : 'no ground for this child';
    return { view: 'FULL', address: false, grounds, mayKnowRecordsExist: known, reason: `${why}: details without address` };
  }
  const address = mayShowAddress(viewer, { confidential: child.addressConfidential, recordedByAgencyId: child.addressRecordedByAgencyId });
  const reason = address ? groundsReason(grounds) : `${groundsReason(grounds)}; confidential address withheld`;
  return { view: 'FULL', address, grounds, mayKnowRecordsExist: known, reason };
}

export function decideChild(
  viewer: PolicyViewer,
  child: PolicyChild,
  facts: ChildFacts | null | undefined,
  now: Date,
): ChildDecision {
  requireFacts(facts, child.id, now);
  if (hasReadingRole(viewer)) return readerView(viewer, child, facts, now);

  // Roles add up: where its agency holds records, INTEGRATION's full view includes all a DPO would see.
  const grounds = childGrounds(viewer, facts, now);
  if (isIntegration(viewer) && grounds.length > 0) {
    const reason = 'integration: own agency holds records about the child';
    return { view: 'FULL', address: false, grounds, mayKnowRecordsExist: true, reason };
  }
  // A DPO answers subject access requests and audits reads, so needs to know whose data it is, never where they live.
  if (isDpo(viewer)) {
    const reason = child.shielded ? 'DPO: shielded child shows name, age and gender only' : 'DPO: child details without address';
    return { view: child.shielded ? 'NAME_AGE_GENDER' : 'FULL', address: false, grounds: [], mayKnowRecordsExist: false, reason };
  }
  const reason = isIntegration(viewer) ? 'integration: own agency holds no record about the child' : 'role sees no child details';
  return { view: 'HIDDEN', address: false, grounds: [], mayKnowRecordsExist: false, reason };
}
