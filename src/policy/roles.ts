/**
 * How a viewer's roles narrow what the policy may grant. Roles add up: a viewer holding several
 * gets the widest view any one of them allows.
 */
import { READING_ROLES } from '../domain/vocabulary';
import type { PolicyRecord, PolicyViewer } from './types';

/** PRACTITIONER, MASH_RESEARCHER or MANAGER: the only roles that read other agencies' content. */
export function hasReadingRole(viewer: PolicyViewer): boolean {
  return viewer.roles.some((role) => READING_ROLES.includes(role));
}

/** Integration scripts write their own agency's records and may read those back, nothing else. */
export function isIntegration(viewer: PolicyViewer): boolean {
  return viewer.roles.includes('INTEGRATION');
}

export function isDpo(viewer: PolicyViewer): boolean {
  return viewer.roles.includes('DPO');
}

export function isSocialCareManager(viewer: PolicyViewer): boolean {
  return viewer.agencyKind === 'SOCIAL_CARE' && viewer.roles.includes('MANAGER');
}

/**
 * Front-door staff, for whom an open enquiry is itself a reason to know that information is held
 * (Working Together 2023: the front door gathers what partners hold to decide on a referral).
 */
export function isMashStaff(viewer: PolicyViewer): boolean {
  return viewer.roles.includes('MASH_RESEARCHER') || isSocialCareManager(viewer);
}

/**
 * Inside the owning agency a RESTRICTED record (e.g. a live police investigation) is still
 * need-to-know: its managers, its MASH researchers and whoever submitted it.
 */
export function mayReadRestrictedAsOwner(viewer: PolicyViewer, record: PolicyRecord): boolean {
  return viewer.roles.includes('MANAGER') || viewer.roles.includes('MASH_RESEARCHER') || viewer.sub === record.authorSub;
}
