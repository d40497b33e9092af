import type { AgencyKind, Role } from '../domain/vocabulary';
import type { PolicyViewer } from '../policy/types';

/** The authenticated caller, established once per request from a verified token. */
export interface Viewer extends PolicyViewer {
  readonly name: string;
  readonly agencyName: string;
  readonly agencyKind: AgencyKind;
  readonly roles: readonly Role[];
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return roles.some((role) => viewer.roles.includes(role));
}
