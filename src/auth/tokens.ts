import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { ROLES, type Role } from '../domain/vocabulary';
import { isStorableText } from '../domain/storable-text';
import type { JwtConfig } from '../config';

/** Claims the hub requires of every token (DESIGN section 4). */
export interface TokenClaims {
  readonly sub: string;
  readonly name: string;
  readonly agency: string;
  readonly roles: readonly Role[];
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const ASYMMETRIC: Algorithm[] = ['RS256', 'ES256'];

/** How long a verified token is trusted without checking its signature again. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Verifies bearer tokens. The algorithm list is pinned by configuration: an HS256 secret
 * accepts only HS256, a public key or JWKS only RS256/ES256, and `none` never.
 */
export class TokenVerifier {
  private readonly jwks: JwksClient | undefined;
  // Parsed once: building a key object for every request is measurable under load.
  private readonly secretKey: KeyObject | undefined;
  private readonly publicKey: KeyObject | undefined;

  /**
   * Tokens already verified, by their whole text (signature included), each until its expiry or a
   * minute, whichever is sooner: a portal sends the same token with every request for hours.
   */
  private readonly verified = new Map<string, { claims: TokenClaims; until: number }>();

  constructor(private readonly config: JwtConfig) {
    this.jwks = config.jwksUrl ? new JwksClient({ jwksUri: config.jwksUrl, cache: true, rateLimit: true }) : undefined;
    this.secretKey = config.secret ? createSecretKey(Buffer.from(config.secret, 'utf8')) : undefined;
    this.publicKey = config.publicKey ? createPublicKey(config.publicKey) : undefined;
  }

  async verify(token: string): Promise<TokenClaims> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.claims;
    this.verified.delete(token);
    const { claims, expiresAt } = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { claims, until: Math.min(expiresAt, now + VERIFIED_TOKEN_TTL_MS) });
    return claims;
  }

  private async verifySignature(token: string): Promise<{ claims: TokenClaims; expiresAt: number }> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new TokenError('token is not a JWT');
    const alg = decoded.header.alg as Algorithm;
    const { key, algorithms } = await this.keyFor(alg, decoded.header.kid);
    let payload: JwtPayload | string;
    try {
      payload = jwt.verify(token, key, {
        algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: 30,
      });
    } catch (error) {
      throw new TokenError(error instanceof Error ? error.message : 'token rejected');
    }
    const claims = claimsOf(payload);
    return { claims, expiresAt: ((payload as JwtPayload).exp as number) * 1000 };
  }

  private async keyFor(alg: Algorithm, kid: string | undefined): Promise<{ key: KeyObject | string; algorithms: Algorithm[] }> {
    if (alg === 'HS256' && this.secretKey) return { key: this.secretKey, algorithms: ['HS256'] };
    if (ASYMMETRIC.includes(alg) && this.publicKey) return { key: this.publicKey, algorithms: ASYMMETRIC };
    if (ASYMMETRIC.includes(alg) && this.jwks) {
      try {
        const signingKey = await this.jwks.getSigningKey(kid);
        return { key: signingKey.getPublicKey(), algorithms: ASYMMETRIC };
      } catch {
        throw new TokenError('signing key not found at JWKS_URL');
      }
    }
    throw new TokenError(`algorithm ${String(alg)} is not accepted`);
  }
}

function claimsOf(payload: JwtPayload | string): TokenClaims {
  if (typeof payload === 'string') throw new TokenError('token payload must be a JSON object');
  if (typeof payload.exp !== 'number') throw new TokenError('token must carry exp');
  const { sub, name, agency, roles } = payload as JwtPayload & { name?: unknown; agency?: unknown; roles?: unknown };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new TokenError('token must carry sub');
  if (typeof agency !== 'string' || agency.length === 0) throw new TokenError('token must carry agency');
  if (!Array.isArray(roles) || roles.length === 0) throw new TokenError('token must carry roles');
  for (const role of roles) {
    if (!ROLES.includes(role as Role)) throw new TokenError(`unknown role ${String(role)}`);
  }
  // The audit trail stores who read what: claims it could not store exactly are refused.
  if (![sub, agency, typeof name === 'string' ? name : ''].every(isStorableText)) throw new TokenError('token claims hold a character that cannot be stored');
  return { sub, name: typeof name === 'string' && name.length > 0 ? shortened(name, 200) : sub, agency, roles: roles as Role[] };
}

/** At most `max` UTF-16 units, never cutting a surrogate pair in half. */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Mints an HS256 token; used by `npm run token` and the tests, never in production. */
export function mintToken(
  secret: string,
  claims: TokenClaims,
  options: { expiresInSeconds?: number; issuer?: string; audience?: string } = {},
): string {
  return jwt.sign({ name: claims.name, agency: claims.agency, roles: claims.roles }, secret, {
    algorithm: 'HS256',
    subject: claims.sub,
    expiresIn: options.expiresInSeconds ?? 8 * 3600,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}
