import { availableParallelism } from 'node:os';
import { DEFAULT_RUNS_BEFORE_COMPILING, EXECUTOR_KINDS, type ExecutorKind } from './graphql/executor';

/** Every environment variable the hub reads, parsed and validated once at start. */

export interface RagDeadlines {
  readonly RED: number;
  readonly AMBER: number;
  readonly GREEN: number;
}

export interface Config {
  readonly port: number;
  readonly nodeEnv: string;
  readonly production: boolean;
  /** Unset: an embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPort: number;
  readonly jwt: JwtConfig;
  readonly logLevel: string;
  readonly demoData: boolean;
  /** Hours from receipt to the partner-research deadline for each RAG rating. */
  readonly ragHours: RagDeadlines;
  readonly breakGlassMinutes: number;
  readonly bankHolidaysFile: string | undefined;
  readonly maxBodyBytes: string;
  /** GraphQL requests per caller per minute, counted in each serving process; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Processes serving requests on the one port: 1 serves from the starting process itself. */
  readonly processes: number;
  /** How validated operations are executed: compiled once per operation, or by graphql-js. */
  readonly executor: ExecutorKind;
  /** With the compiled executor, how many times an operation runs on graphql-js before it is compiled. */
  readonly compileAfterRuns: number;
}

export interface JwtConfig {
  readonly secret: string | undefined;
  readonly publicKey: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
}

/** Used only outside production, so `npm start` and `npm run token` agree with no setup. */
export const DEVELOPMENT_JWT_SECRET = 'mash-hub-development-secret-not-for-production';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

/** HUB_PROCESSES: a whole number, or `auto` for one per core this process may use. */
function processCount(env: NodeJS.ProcessEnv): number {
  const raw = optional(env, 'HUB_PROCESSES');
  if (raw?.trim().toLowerCase() === 'auto') return Math.min(availableParallelism(), MAX_PROCESSES);
  return integer(env, 'HUB_PROCESSES', 1, 1, MAX_PROCESSES);
}

const MAX_PROCESSES = 64;

function executorKind(env: NodeJS.ProcessEnv): ExecutorKind {
  const raw = optional(env, 'GRAPHQL_EXECUTOR') ?? 'compiled';
  const kind = EXECUTOR_KINDS.find((k) => k === raw.trim());
  if (!kind) throw new ConfigError(`GRAPHQL_EXECUTOR must be one of ${EXECUTOR_KINDS.join(', ')}; got "${raw}"`);
  return kind;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** Accepts a PEM with real newlines or with `\n` escapes, as container platforms often deliver it. */
function pem(raw: string | undefined): string | undefined {
  return raw?.replace(/\\n/g, '\n');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const publicKey = pem(optional(env, 'JWT_PUBLIC_KEY'));
  const jwksUrl = optional(env, 'JWKS_URL');
  const jwt: JwtConfig = {
    // The development secret (it is in the source) only where no key at all is given: beside an
    // identity provider's key it would let anyone mint tokens that hub accepts.
    secret: optional(env, 'JWT_SECRET') ?? (production || publicKey || jwksUrl ? undefined : DEVELOPMENT_JWT_SECRET),
    publicKey,
    jwksUrl,
    issuer: optional(env, 'JWT_ISSUER'),
    audience: optional(env, 'JWT_AUDIENCE'),
  };
  if (!jwt.secret && !jwt.publicKey && !jwt.jwksUrl) {
    throw new ConfigError('no token key configured: set JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL');
  }
  if (production && jwt.secret === DEVELOPMENT_JWT_SECRET) {
    throw new ConfigError('JWT_SECRET is the development secret; set a real one in production');
  }
  if (jwt.secret && jwt.secret.length < 32 && production) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters in production');
  }
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    nodeEnv,
    production,
    databaseUrl: optional(env, 'DATABASE_URL'),
    dataDir: optional(env, 'MASH_DATA_DIR') ?? '.data',
    embeddedPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    jwt,
    logLevel: optional(env, 'LOG_LEVEL') ?? (env.JEST_WORKER_ID ? 'silent' : 'info'),
    demoData: (optional(env, 'DEMO_DATA') ?? (production ? 'false' : 'true')) === 'true',
    ragHours: {
      RED: integer(env, 'RAG_RED_HOURS', 4, 1, 720),
      AMBER: integer(env, 'RAG_AMBER_HOURS', 24, 1, 720),
      GREEN: integer(env, 'RAG_GREEN_HOURS', 72, 1, 720),
    },
    breakGlassMinutes: integer(env, 'BREAK_GLASS_MINUTES', 60, 5, 24 * 60),
    bankHolidaysFile: optional(env, 'BANK_HOLIDAYS_FILE'),
    // Room for a full 1,000-item submitRecords batch with long details.
    maxBodyBytes: optional(env, 'MAX_BODY_SIZE') ?? '16mb',
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    processes: processCount(env),
    executor: executorKind(env),
    compileAfterRuns: integer(env, 'GRAPHQL_COMPILE_AFTER_RUNS', DEFAULT_RUNS_BEFORE_COMPILING, 0, 1_000_000),
  };
}
