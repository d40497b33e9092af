import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../ormconfig';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { generateCounty, type CountySize } from './generate';

/**
 * The benchmark's own database: DATABASE_URL when set, else an embedded PostgreSQL under
 * .data/bench (one database per scale, so a quick run never disturbs the full county).
 */
export interface BenchDatabase {
  readonly url: string;
  readonly dataSource: DataSource;
  readonly reused: boolean;
  close(): Promise<void>;
}

const EMBEDDED_PORT = 54339;
// Enough cache for the county's hot indexes; applied once to the bench cluster (needs a restart).
const SETTINGS: Record<string, string> = { shared_buffers: '1GB', effective_cache_size: '4GB', work_mem: '16MB', maintenance_work_mem: '512MB' };

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function startTunedEmbedded(): Promise<EmbeddedDatabase> {
  const options = { dataDir: path.resolve('.data/bench'), port: EMBEDDED_PORT, database: 'mash_bench', persistent: true };
  const first = await startEmbeddedPostgres(options);
  const admin = new Client({ connectionString: withDatabase(first.url, 'postgres') });
  await admin.connect();
  const { rows } = await admin.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'shared_buffers'`);
  const tuned = rows[0]?.setting === String((1024 * 1024) / 8);
  if (!tuned) for (const [name, value] of Object.entries(SETTINGS)) await admin.query(`ALTER SYSTEM SET ${name} = '${value}'`);
  await admin.end();
  if (tuned) return first;
  await first.stop();
  return startEmbeddedPostgres(options);
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
}

/** Opens (migrating) the bench database and builds the county unless a matching one is there. */
export async function openCounty(size: CountySize, log: (line: string) => void): Promise<BenchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startTunedEmbedded();
    const database = size.scale === 1 ? 'mash_bench' : `mash_bench_s${String(size.scale).replace(/\W/g, '_')}`;
    await ensureDatabase(embedded.url, database);
    url = withDatabase(embedded.url, database);
  }
  const dataSource = createDataSource(url, { poolSize: 20, applicationName: 'mash-bench' });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.query(`CREATE TABLE IF NOT EXISTS bench_county (scale numeric NOT NULL, children int NOT NULL, records int NOT NULL, built_at timestamptz NOT NULL DEFAULT now())`);
  const [marker] = await dataSource.query<Array<{ scale: string; children: number; records: number }>>(`SELECT scale, children, records FROM bench_county`);
  let reused = false;
  if (marker) {
    if (marker.children !== size.children || marker.records !== size.records) {
      throw new Error(`this database holds a county of ${marker.children} children and ${marker.records} records; use another database for BENCH_SCALE=${size.scale}`);
    }
    reused = true;
    log(`reusing the county built earlier (${marker.children} children, ${marker.records} records)`);
  } else {
    const [{ count }] = await dataSource.query<Array<{ count: string }>>(`SELECT count(*) FROM child`);
    if (Number(count) > 0) throw new Error('this database already holds children that the benchmark did not make: refusing to write into it');
    log(`building a county of ${size.children} children and ${size.records} records`);
    // One transaction, so an interrupted build leaves nothing behind and the next run starts clean.
    await dataSource.transaction(async (manager) => {
      await generateCounty(manager, size, (line) => log(`  ${line}`));
      await manager.query(`INSERT INTO bench_county (scale, children, records) VALUES ($1, $2, $3)`, [size.scale, size.children, size.records]);
    });
    await dataSource.query(`VACUUM ANALYZE`);
  }
  return {
    url,
    dataSource,
    reused,
    close: async () => {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
