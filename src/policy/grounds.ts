/**
 * Which grounds a viewer holds: for one record (what makes it FULL) and for the child as a whole
 * (what lets the viewer know information is held, and see the child's own details).
 * DESIGN.md section 3; the legal source of each ground is in docs/policy.md.
 */
import { GROUND_KINDS } from '../domain/vocabulary';
import type { GroundKind } from '../domain/vocabulary';
import { inForce } from './in-force';
import { hasReadingRole, isIntegration, mayReadRestrictedAsOwner } from './roles';
import { requireFacts } from './require-facts';
import type { ChildFacts, ConsentFact, GrantFact, GroundRef, PolicyRecord, PolicyViewer } from './types';

// Keys in the order the audit's canonical JSON writes them, so it need not sort them again.
function ground(kind: GroundKind, id: string): GroundRef {
  return { id, kind };
}

/** Consents in force that name the viewer's agency as a recipient, whatever they cover. */
function consentsNaming(viewer: PolicyViewer, facts: ChildFacts, now: Date): ConsentFact[] {
  return facts.consents.filter(
    (c) =>
      c.childId === facts.childId &&
      inForce(now, c.givenAt, c.expiresAt, c.withdrawnAt) &&
      c.recipientAgencyCodes.includes(viewer.agencyCode),
  );
}

/**
 * Consent never reaches RESTRICTED content: the originator controls it. Special-category content
 * (UK GDPR Art 9) needs its category named; an empty list means every category of STANDARD content.
 */
function consentCovers(consent: ConsentFact, record: PolicyRecord): boolean {
  switch (record.sensitivity) {
    case 'RESTRICTED':
      return false;
    case 'SENSITIVE':
      return consent.categories.includes(record.category);
    case 'STANDARD':
      return consent.categories.length === 0 || consent.categories.includes(record.category);
  }
}

/** Bases in force naming the viewer's agency; no recipient list means every partner agency. */
function basesNaming(viewer: PolicyViewer, facts: ChildFacts, now: Date): GroundRef[] {
  return facts.lawfulBases
    .filter(
      (b) =>
        b.childId === facts.childId &&
        inForce(now, b.startsAt, b.endsAt, b.endedAt) &&
        (b.recipientAgencyCodes === null || b.recipientAgencyCodes.includes(viewer.agencyCode)),
    )
    .map((b) => ground('LAWFUL_BASIS', b.id));
}

/** Grants in force for the viewer's agency, over whichever record. */
function grantsInForce(viewer: PolicyViewer, facts: ChildFacts, now: Date): GrantFact[] {
  return facts.grants.filter((g) => g.agencyId === viewer.agencyId && inForce(now, g.approvedAt, g.expiresAt));
}

/** Break-glass is personal: only the session the viewer declared, for this child, counts. */
function ownSessions(viewer: PolicyViewer, facts: ChildFacts, now: Date): GroundRef[] {
  return facts.breakGlass
    .filter((s) => s.viewerSub === viewer.sub && s.childId === facts.childId && inForce(now, s.startedAt, s.expiresAt))
    .map((s) => ground('BREAK_GLASS', s.id));
}

const KIND_RANK = new Map<GroundKind, number>(GROUND_KINDS.map((kind, rank) => [kind, rank]));

function compareGrounds(a: GroundRef, b: GroundRef): number {
  return (KIND_RANK.get(a.kind) ?? 0) - (KIND_RANK.get(b.kind) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** One entry per ground, in GROUND_KINDS order then by id, so audit rows compare byte for byte. */
function ordered(grounds: GroundRef[]): GroundRef[] {
  // Grounds are gathered kind by kind, so they usually arrive in order already, each once: a
  // page decides a thousand records, and needs no map or sort for those.
  if (grounds.every((g, i) => i === 0 || compareGrounds(grounds[i - 1], g) < 0)) return grounds;
  const unique = new Map(grounds.map((g) => [`${g.kind}\u0000${g.id}`, g]));
  return [...unique.values()].sort(compareGrounds);
}

/**
 * What the viewer holds over one child at one instant, before any record is looked at: worked out
 * once for all of the child's records (a page decides a thousand), not once for each.
 */
export interface HeldGrounds {
  /** Consents in force naming the viewer's agency, whatever they cover. */
  readonly consents: readonly ConsentFact[];
  /** Lawful bases in force naming the viewer's agency. */
  readonly bases: readonly GroundRef[];
  /** Grants in force for the viewer's agency, each over one record. */
  readonly grants: readonly GrantFact[];
  /** The viewer's own break-glass sessions in force for the child. */
  readonly sessions: readonly GroundRef[];
  /** The FULL-grade grounds over the child as a whole (`childGrounds`). */
  readonly child: readonly GroundRef[];
}

export function heldGrounds(viewer: PolicyViewer, facts: ChildFacts, now: Date): HeldGrounds {
  const consents = consentsNaming(viewer, facts, now);
  const bases = basesNaming(viewer, facts, now);
  const grants = grantsInForce(viewer, facts, now);
  const sessions = ownSessions(viewer, facts, now);
  const owner = facts.agenciesHoldingRecords.includes(viewer.agencyId) ? [ground('OWNER', viewer.agencyId)] : [];
  let child: GroundRef[];
  if (!hasReadingRole(viewer)) child = isIntegration(viewer) ? owner : [];
  else child = ordered([...owner, ...consents.map((c) => ground('CONSENT', c.id)), ...bases, ...grants.map((g) => ground('GRANT', g.id)), ...sessions]);
  return { consents, bases, grants, sessions, child };
}

/** Every ground that makes this record FULL for the viewer, from what the viewer holds over its child; empty when none does. */
export function recordGroundsHeld(viewer: PolicyViewer, record: PolicyRecord, held: HeldGrounds): GroundRef[] {
  const restricted = record.sensitivity === 'RESTRICTED';
  const grounds: GroundRef[] = [];
  if (record.agencyId === viewer.agencyId && (!restricted || mayReadRestrictedAsOwner(viewer, record))) grounds.push(ground('OWNER', viewer.agencyId));
  if (!hasReadingRole(viewer)) return isIntegration(viewer) ? grounds : [];
  for (const consent of held.consents) if (consentCovers(consent, record)) grounds.push(ground('CONSENT', consent.id));
  // A lawful basis and break-glass open STANDARD and SENSITIVE content; RESTRICTED needs the owner's release.
  if (!restricted) grounds.push(...held.bases);
  for (const grant of held.grants) if (grant.recordId === record.id) grounds.push(ground('GRANT', grant.id));
  if (!restricted) grounds.push(...held.sessions);
  return ordered(grounds);
}

/** Every ground that makes this record FULL for the viewer; empty when none does. */
export function recordGrounds(viewer: PolicyViewer, record: PolicyRecord, facts: ChildFacts, now: Date): GroundRef[] {
  return recordGroundsHeld(viewer, record, heldGrounds(viewer, facts, now));
}

/**
 * The FULL-grade grounds the viewer holds for the child as a whole: its agency holds a record
 * about the child, or a consent, basis, grant or own break-glass session is in force for it.
 * Roles narrow it as for records: INTEGRATION counts only its own agency's holding; DPO and
 * ADMIN hold none.
 */
export function childGrounds(viewer: PolicyViewer, facts: ChildFacts | null | undefined, now: Date): GroundRef[] {
  requireFacts(facts, null, now);
  return [...heldGrounds(viewer, facts, now).child];
}
