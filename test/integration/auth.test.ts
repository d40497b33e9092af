import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createCounty } from '../factories';
import { errorCode, startHub, TEST_SECRET, type Hub } from '../support/harness';

const ME = '{ me { sub name agency { code kind } roles } }';

describe('identity: every bad token is UNAUTHENTICATED', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const sign = (payload: object, options: jwt.SignOptions = {}) =>
    jwt.sign(payload, TEST_SECRET, { algorithm: 'HS256', expiresIn: 600, subject: 'worker-1', ...options });

  it('answers me for a valid token', async () => {
    const res = await hub.gql(ME, {}, hub.token('NPOL', ['PRACTITIONER'], 'officer-1'));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: { sub: 'officer-1', name: 'Test officer-1', agency: { code: 'NPOL', kind: 'POLICE' }, roles: ['PRACTITIONER'] } });
  });

  const cases: Array<[string, () => string | undefined]> = [
    ['missing token', () => undefined],
    ['not a JWT', () => 'not-a-token'],
    ['expired', () => sign({ agency: 'NPOL', roles: ['PRACTITIONER'] }, { expiresIn: -120 })],
    ['no exp', () => jwt.sign({ sub: 'x', agency: 'NPOL', roles: ['PRACTITIONER'] }, TEST_SECRET, { algorithm: 'HS256' })],
    ['wrong signature', () => jwt.sign({ agency: 'NPOL', roles: ['PRACTITIONER'] }, 'another-secret-another-secret-another', { algorithm: 'HS256', expiresIn: 600, subject: 's' })],
    ['alg none', () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ sub: 's', agency: 'NPOL', roles: ['MANAGER'], exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
      return `${header}.${body}.`;
    }],
    ['unknown agency', () => sign({ agency: 'NOPE', roles: ['PRACTITIONER'] })],
    ['unknown role', () => sign({ agency: 'NPOL', roles: ['SUPERUSER'] })],
    ['no roles', () => sign({ agency: 'NPOL', roles: [] })],
    ['no agency', () => sign({ roles: ['PRACTITIONER'] })],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const res = await hub.gql(ME, {}, make());
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(res.status).toBe(401);
    expect(res.data ?? null).toBeNull();
  });
});

describe('identity: RS256 public key configured', () => {
  let hub: Hub;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  beforeAll(async () => {
    hub = await startHub({ JWT_SECRET: '', JWT_PUBLIC_KEY: publicPem, JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'mash-hub', NODE_ENV: 'production' });
    await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const rs = (options: jwt.SignOptions = {}) =>
    jwt.sign({ agency: 'NHEALTH', roles: ['PRACTITIONER'], name: 'Nurse' }, privateKey, {
      algorithm: 'RS256', expiresIn: 600, subject: 'nurse-1', issuer: 'https://idp.example', audience: 'mash-hub', ...options,
    });

  it('accepts an RS256 token with the right issuer and audience', async () => {
    const res = await hub.gql(ME, {}, rs());
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ me: { sub: 'nurse-1', agency: { code: 'NHEALTH' } } });
  });

  it('refuses an HS256 token when only RS256 is configured', async () => {
    const res = await hub.gql(ME, {}, jwt.sign({ agency: 'NHEALTH', roles: ['PRACTITIONER'] }, 'any-secret', { algorithm: 'HS256', expiresIn: 600, subject: 'x' }));
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
  });

  it('refuses an HS256 token signed with the public key itself (key confusion)', async () => {
    const forged = jwt.sign({ agency: 'NHEALTH', roles: ['MANAGER'] }, publicPem, { algorithm: 'HS256', expiresIn: 600, subject: 'x', issuer: 'https://idp.example', audience: 'mash-hub' });
    expect(errorCode(await hub.gql(ME, {}, forged))).toBe('UNAUTHENTICATED');
  });

  it('refuses the wrong issuer or audience', async () => {
    expect(errorCode(await hub.gql(ME, {}, rs({ issuer: 'https://other.example' })))).toBe('UNAUTHENTICATED');
    expect(errorCode(await hub.gql(ME, {}, rs({ audience: 'other-app' })))).toBe('UNAUTHENTICATED');
  });

  it('hides stack traces in production', async () => {
    const res = await hub.gql('{ nope }', {}, rs());
    expect(JSON.stringify(res)).not.toMatch(/stacktrace/i);
  });
});
