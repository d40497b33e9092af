import type { EntityManager } from 'typeorm';
import type { AgencyKind } from '../domain/vocabulary';
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
  const rows: Array<{ id: string; code: string; name: string; kind: AgencyKind }> = await manager.query(
    'SELECT id, code, name, kind FROM agency WHERE code = $1',
    [claims.agency],
  );
  if (rows.length === 0) {
    onReject(`unknown agency ${claims.agency}`);
    throw unauthenticated();
  }
  const agency = rows[0];
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
