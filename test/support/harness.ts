import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { DataSource, Logger as OrmLogger } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createHubServer, type HubServer } from '../../src/server/app';
import { AuditWriter } from '../../src/modules/audit/audit-writer';
import { mintToken } from '../../src/auth/tokens';
import type { Role } from '../../src/domain/vocabulary';
import { withDatabase } from './global-setup';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** The agency directory's statements (src/auth/agency-directory.ts, record-store.ts agenciesById). */
const AGENCY_DIRECTORY_READS = new Set(['SELECT id, code, name, kind FROM agency WHERE code = $1', 'SELECT id, code, name, kind FROM agency']);

/** Counts every SQL statement the server issues, so tests can bound work per request. */
export class QueryCounter implements OrmLogger {
  count = 0;
  statements: string[] = [];
  /** The audit writer's index upkeep, at most once a second beside requests rather than part of any. */
  upkeep: string[] = [];
  /**
   * The agency directory filling its cache again when it lapses (every 30 s): part of whichever
   * request comes next, so a count taken across that moment would hold one statement more.
   */
  refills: string[] = [];
  logQuery(query: string): void {
    if (query.includes('gin_clean_pending_list')) {
      this.upkeep.push(query);
      return;
    }
    if (AGENCY_DIRECTORY_READS.has(query)) {
      this.refills.push(query);
      return;
    }
    this.count += 1;
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  reset(): void {
    this.count = 0;
    this.statements = [];
    this.upkeep = [];
    this.refills = [];
  }
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; field?: string; problems?: Array<{ field: string; message: string }> } & Record<string, unknown> }>;
}

export interface Hub {
  readonly url: string;
  /** This test file's own database. */
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  readonly queries: QueryCounter;
  readonly config: Config;
  /** Runs SQL directly against this test file's database (setup and assertions only). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  token(agency: string, roles: Role[], sub?: string): string;
  /** Stops the server and closes the pools; with DATABASE_URL set, also drops this file's database unless kept. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
  /** Drops this file's database on an external server (the embedded one is discarded whole). */
  dropDatabase(): Promise<void>;
}

/**
 * A hub on its own freshly cloned database, served over real HTTP on a free port.
 * Each test file calls this once (beforeAll) and stops it afterwards.
 */
export async function startHub(env: Record<string, string> = {}): Promise<Hub> {
  const serverUrl = process.env.MASH_TEST_SERVER_URL;
  const template = process.env.MASH_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('test database not prepared: run through jest (globalSetup)');
  const database = `mash_t_${process.env.MASH_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  await admin.end();

  // GRAPHQL_EXECUTOR from the environment, so the whole suite can be run under either executor
  // (.ci/run). The compiled one compiles every operation at once here: a test sends most of its
  // operations once, and would otherwise be answered by graphql-js whatever the executor.
  const executor = { GRAPHQL_COMPILE_AFTER_RUNS: '0', ...(process.env.GRAPHQL_EXECUTOR ? { GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR } : {}) };
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '0', ...executor, ...env });
  const queries = new QueryCounter();
  const dataSource = createDataSource(withDatabase(serverUrl, database), { logger: queries, poolSize: 20 });
  await dataSource.initialize();
  const logger = createLogger(config.logLevel);
  const auditWriter = new AuditWriter(dataSource);
  const server: HubServer = await createHubServer({ config, dataSource, logger, auditWriter });
  const http = await server.listen(0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;

  const dropDatabase = async (): Promise<void> => {
    if (!process.env.DATABASE_URL) return;
    const cleanup = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await cleanup.end();
  };

  return {
    url,
    databaseUrl: withDatabase(serverUrl, database),
    dataSource,
    queries,
    config,
    sql: (text, params) => dataSource.query(text, params),
    async gql(query, variables, token) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse;
      return { ...body, status: response.status } as never;
    },
    token: (agency, roles, sub = `${agency.toLowerCase()}-${roles.join('-').toLowerCase()}`) =>
      mintToken(TEST_SECRET, { sub, name: `Test ${sub}`, agency, roles }),
    async stop(options = {}) {
      await server.stop();
      await auditWriter.close();
      await dataSource.destroy();
      if (!options.keepDatabase) await dropDatabase();
    },
    dropDatabase,
  };
}

/** The one error code of a response, asserting there is exactly one kind. */
export function errorCode(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}
