/**
 * A verified token is trusted again without re-checking its signature, but never past its own
 * expiry or a minute, and never for any text other than exactly the token verified.
 */
import { mintToken, TokenError, TokenVerifier, VERIFIED_TOKEN_TTL_MS } from '../../src/auth/tokens';

const SECRET = 'unit-test-secret-that-is-at-least-32-characters';
const CONFIG = { secret: SECRET, publicKey: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined };
const CLAIMS = { sub: 'officer-1', name: 'Officer One', agency: 'NPOL', roles: ['PRACTITIONER' as const] };

describe('token verification', () => {
  afterEach(() => jest.restoreAllMocks());

  function clockAt(ms: number): void {
    jest.spyOn(Date, 'now').mockReturnValue(ms);
  }

  it('answers a token seen before with the same claims', async () => {
    const verifier = new TokenVerifier(CONFIG);
    const token = mintToken(SECRET, CLAIMS);
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toEqual(first);
    expect(first).toEqual(CLAIMS);
  });

  it('rejects a token once it has expired, though it was verified while valid', async () => {
    const start = Date.now();
    const verifier = new TokenVerifier(CONFIG);
    const token = mintToken(SECRET, CLAIMS, { expiresInSeconds: 20 });
    await verifier.verify(token);
    clockAt(start + 20_000 + 31_000); // past exp and the 30 s clock tolerance
    await expect(verifier.verify(token)).rejects.toThrow(TokenError);
  });

  it('checks the signature again after a minute', async () => {
    const start = Date.now();
    const verifier = new TokenVerifier(CONFIG);
    const token = mintToken(SECRET, CLAIMS);
    await verifier.verify(token);
    // The same text, now checked by a verifier holding another secret, must fail once the minute is up.
    (verifier as unknown as { secretKey: unknown }).secretKey = new TokenVerifier({ ...CONFIG, secret: `${SECRET}-rotated` })['secretKey'];
    clockAt(start + VERIFIED_TOKEN_TTL_MS - 1000);
    await expect(verifier.verify(token)).resolves.toEqual(CLAIMS);
    clockAt(start + VERIFIED_TOKEN_TTL_MS + 1000);
    await expect(verifier.verify(token)).rejects.toThrow(TokenError);
  });

  it('does not let a token with another signature ride on a verified one', async () => {
    const verifier = new TokenVerifier(CONFIG);
    const token = mintToken(SECRET, CLAIMS);
    await verifier.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    await expect(verifier.verify(forged)).rejects.toThrow(TokenError);
  });

  it.each([
    ['half a surrogate pair in sub', { sub: 'officer-\uD800' }],
    ['half a surrogate pair in name', { name: 'Officer \uDC00One' }],
    ['a NUL in name', { name: 'Officer\u0000One' }],
    ['a NUL in agency', { agency: 'NPOL\u0000' }],
  ])('refuses a token with %s, which the audit trail could not store as hashed', async (_what, change) => {
    await expect(new TokenVerifier(CONFIG).verify(mintToken(SECRET, { ...CLAIMS, ...change }))).rejects.toThrow(TokenError);
  });

  it('shortens a long name without cutting a character in half', async () => {
    const claims = await new TokenVerifier(CONFIG).verify(mintToken(SECRET, { ...CLAIMS, name: `${'a'.repeat(199)}😀 and more` }));
    expect(claims.name).toBe('a'.repeat(199));
    const whole = await new TokenVerifier(CONFIG).verify(mintToken(SECRET, { ...CLAIMS, name: `${'a'.repeat(198)}😀 and more` }));
    expect(whole.name).toBe(`${'a'.repeat(198)}😀`);
  });
});
