import { Client } from 'pg';
import { withDatabase } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.MASH_TEST_SERVER_URL;
  if (serverUrl && process.env.DATABASE_URL) {
    // On a shared server, leave nothing behind.
    const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'mash\\_t\\_${process.pid}\\_%' OR datname = $1`,
      [process.env.MASH_TEST_TEMPLATE],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  }
  await globalThis.__MASH_EMBEDDED__?.stop();
}
