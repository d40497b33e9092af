import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Viewer } from '../auth/viewer';
import type { AuditEntry, AuditWriter } from '../modules/audit/audit-writer';
import type { AccessLayer } from '../access/access-layer';
import { unauthenticated } from './errors';
import type { AgencyDirectory } from '../auth/agency-directory';

/** Long-lived services shared by every request. */
export interface AppServices {
  readonly config: Config;
  readonly dataSource: DataSource;
  readonly logger: Logger;
  readonly auditWriter: AuditWriter;
  /** Set by the server: agencies by code, shared by token checks and agency changes. */
  readonly agencies?: AgencyDirectory;
}

/**
 * Per-request state. `now` is fixed when the request starts, so a consent withdrawn or a basis
 * ended after that moment applies from the next request on, never half-way through one.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly now: Date;
  readonly viewer: Viewer;
  readonly services: AppServices;
  readonly access: AccessLayer;
  /** Audit entries for reads in this request, committed in one insert before the response leaves. */
  readonly pendingAudit: AuditEntry[];
  readonly logger: Logger;
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}
