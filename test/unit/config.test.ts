import { availableParallelism } from 'node:os';
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { RateLimiter } from '../../src/server/rate-limit';

describe('configuration', () => {
  it('uses the development secret only outside production, and never beside an identity provider\'s key', () => {
    expect(loadConfig({}).jwt.secret).toBe(DEVELOPMENT_JWT_SECRET);
    expect(loadConfig({ NODE_ENV: 'staging', JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----' }).jwt.secret).toBeUndefined();
    expect(loadConfig({ JWKS_URL: 'https://idp.example/jwks.json' }).jwt.secret).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
  });

  it('refuses to start in production without key configuration, or with a weak or development secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/32 characters/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/development secret/);
    expect(loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://idp.example/.well-known/jwks.json' }).jwt.jwksUrl).toBe('https://idp.example/.well-known/jwks.json');
  });

  it('turns off demo data in production and reads the RAG deadlines', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), RAG_RED_HOURS: '2', RAG_AMBER_HOURS: '6', RAG_GREEN_HOURS: '24' });
    expect(config.demoData).toBe(false);
    expect(config.ragHours).toEqual({ RED: 2, AMBER: 6, GREEN: 24 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['RAG_RED_HOURS', '0'],
    ['BREAK_GLASS_MINUTES', '1.5'],
    ['HUB_PROCESSES', '0'],
    ['HUB_PROCESSES', 'many'],
    ['GRAPHQL_EXECUTOR', 'jit'],
    ['GRAPHQL_COMPILE_AFTER_RUNS', '-1'],
    ['GRAPHQL_COMPILE_AFTER_RUNS', 'often'],
  ])('rejects %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('serves from one process unless HUB_PROCESSES says how many, or auto for one per core', () => {
    expect(loadConfig({}).processes).toBe(1);
    expect(loadConfig({ HUB_PROCESSES: '3' }).processes).toBe(3);
    expect(loadConfig({ HUB_PROCESSES: 'auto' }).processes).toBe(Math.min(availableParallelism(), 64));
  });

  it('executes with the compiled executor unless GRAPHQL_EXECUTOR names the reference one, and refuses any other', () => {
    expect(loadConfig({}).executor).toBe('compiled');
    expect(loadConfig({ GRAPHQL_EXECUTOR: 'compiled' }).executor).toBe('compiled');
    expect(loadConfig({ GRAPHQL_EXECUTOR: 'reference' }).executor).toBe('reference');
    expect(() => loadConfig({ GRAPHQL_EXECUTOR: 'graphql-js' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRAPHQL_EXECUTOR: 'graphql-js' })).toThrow(/GRAPHQL_EXECUTOR/);
    expect(loadConfig({}).compileAfterRuns).toBe(10);
    expect(loadConfig({ GRAPHQL_COMPILE_AFTER_RUNS: '0' }).compileAfterRuns).toBe(0);
  });

  it('accepts a PEM public key with escaped newlines', () => {
    const config = loadConfig({ JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nABC\\n-----END PUBLIC KEY-----' });
    expect(config.jwt.publicKey).toBe('-----BEGIN PUBLIC KEY-----\nABC\n-----END PUBLIC KEY-----');
  });
});

describe('rate limiter', () => {
  it('allows a burst, refuses beyond it, and refills with time', () => {
    const limiter = new RateLimiter(60, 3);
    const t = 1_000_000;
    expect([limiter.take('a', t), limiter.take('a', t), limiter.take('a', t), limiter.take('a', t)]).toEqual([true, true, true, false]);
    expect(limiter.take('b', t)).toBe(true);
    expect(limiter.take('a', t + 1000)).toBe(true);
  });

  it('is off at zero', () => {
    const limiter = new RateLimiter(0);
    expect(Array.from({ length: 1000 }, () => limiter.take('a')).every(Boolean)).toBe(true);
  });
});
