import type { EntityManager } from 'typeorm';
import type { AgencyDirectory } from './agency-directory';
import { unauthenticated } from '../server/errors';
import { TokenError, type TokenVerifier } from './tokens';
import type { Viewer } from './viewer';

/**
 * Bearer token -> Viewer. Every failure is the same UNAUTHENTICATED answer; the reason is
 * logged, not returned, so a caller cannot probe which check failed.
 */
export async function authenticate(
  header: string | undefined,
  verifier: TokenVerifier,
  manager: EntityManager,
  agencies: AgencyDirectory,
  onReject: (reason: string) => void,
): Promise<Viewer> {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match) {
    onReject('missing bearer token');
    throw unauthenticated();
  }
  let claims;
  try {
    claims = await verifier.verify(match[1]);
  } catch (error) {
    onReject(error instanceof TokenError ? error.message : 'token verification failed');
    throw unauthenticated();
  }
  const agency = await agencies.find(manager, claims.agency);
  if (!agency) {
    onReject(`unknown agency ${claims.agency}`);
    throw unauthenticated();
  }
  return {
    sub: claims.sub,
    name: claims.name,
    agencyId: agency.id,
    agencyCode: agency.code,
    agencyName: agency.name,
    agencyKind: agency.kind,
    roles: claims.roles,
  };
}
