/**
 * The one-line reasons that go with each decision into the audit row, so a reviewer reads why
 * a viewer saw (or did not see) something without re-running the policy.
 */
import { GROUND_KINDS } from '../domain/vocabulary';
import type { GroundKind } from '../domain/vocabulary';
import type { GroundRef, PolicyRecord, PolicyViewer } from './types';

const GROUND_PHRASES: Record<GroundKind, string> = {
  OWNER: 'owner agency',
  CONSENT: 'consent naming this agency',
  LAWFUL_BASIS: 'lawful basis naming this agency',
  GRANT: 'released to this agency by the owner',
  BREAK_GLASS: 'own break-glass session',
};

// The phrase for every combination of ground kinds, made once: a page decides a thousand records.
const PHRASES_BY_KINDS = Array.from({ length: 2 ** GROUND_KINDS.length }, (_, mask) =>
  GROUND_KINDS.filter((_kind, bit) => mask & (1 << bit))
    .map((kind) => GROUND_PHRASES[kind])
    .join('; '),
);

export function groundsReason(grounds: readonly GroundRef[]): string {
  let mask = 0;
  for (const g of grounds) mask |= 1 << GROUND_KINDS.indexOf(g.kind);
  return PHRASES_BY_KINDS[mask];
}

export function fullReason(grounds: readonly GroundRef[], reviewable: boolean): string {
  return reviewable ? `${groundsReason(grounds)} only: flagged for review` : groundsReason(grounds);
}

export function flagReason(viewer: PolicyViewer, record: PolicyRecord): string {
  switch (record.sensitivity) {
    case 'RESTRICTED':
      return record.agencyId === viewer.agencyId
        ? 'RESTRICTED record: in the owning agency only managers, MASH researchers and the author read it'
        : 'no ground covers a RESTRICTED record; consent, lawful basis and break-glass never cover RESTRICTED; the owner may release it';
    case 'SENSITIVE':
      return 'no ground covers this SENSITIVE record; a consent covers it only when it lists the category';
    case 'STANDARD':
      return 'no ground covers this record; a ground for the child shows that information is held';
  }
}

export const HIDDEN_REASONS = {
  noReadingRole: 'role reads no record content (DPO and ADMIN never do)',
  integrationNotOwner: "INTEGRATION reads only its own agency's records",
  noGround: 'no ground for this child',
} as const;
