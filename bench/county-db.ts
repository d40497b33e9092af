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
  /** Seconds spent reading the county into shared buffers; null when pg_prewarm is unavailable. */
  readonly prewarmSeconds: number | null;
  close(): Promise<void>;
}

const EMBEDDED_PORT = 54339;
/**
 * Sized as a DBA would size a server for this county on a 24 GB machine, applied once to the
 * bench cluster (a restart follows): the whole county (about 2.4 GB) fits in shared buffers, and
 * a 1,000-record batch's WAL (about 25 MB, mostly first-touch page images of random-key index
 * pages) fits in the WAL buffers instead of being written out piecemeal mid-statement.
 */
const SETTINGS: Record<string, string> = {
  shared_buffers: '4GB',
  effective_cache_size: '12GB',
  work_mem: '16MB',
  maintenance_work_mem: '512MB',
  wal_buffers: '64MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
};

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
  const names = Object.keys(SETTINGS);
  const { rows } = await admin.query<{ value: string }>(`SELECT current_setting(n) AS value FROM unnest($1::text[]) WITH ORDINALITY AS s(n, i) ORDER BY i`, [names]);
  const tuned = names.every((name, i) => rows[i]?.value === SETTINGS[name]);
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
    await settle(dataSource, log);
  }
  const prewarmSeconds = await prewarm(dataSource, log);
  return {
    url,
    dataSource,
    reused,
    prewarmSeconds,
    close: async () => {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * Writes out the pages the build left dirty (about the whole county, 2.4 GB at full scale), so
 * that a run on a county just built starts as a run on a reused one does, whose cluster's last
 * checkpoint was its shutdown, instead of sharing the machine with the checkpoint that writes
 * them whenever the server starts it. (Two runs on counties just built had measured ingest at
 * 10,030 and 10,033 records/s, against 10,942 and 13,177 on reused ones.) A database role
 * without the right to checkpoint leaves it to the server, and the run says so.
 */
async function settle(dataSource: DataSource, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  try {
    await dataSource.query(`CHECKPOINT`);
  } catch (error) {
    log(`could not write out the new county (${String(error)}): the server's own checkpoint may overlap the measurements`);
    return;
  }
  log(`wrote out the new county (CHECKPOINT, ${Math.round((Date.now() - started) / 100) / 10} s)`);
}

/**
 * A hub that has been serving its county for a while holds its tables and indexes in memory; a
 * cluster just started holds none, and every random-key index page an ingest batch touches is
 * then a disk read (about 0.1 ms each here). The benchmark measures the steady state, so it reads
 * the county into shared buffers first (pg_prewarm, shipped with PostgreSQL) and says so.
 */
async function prewarm(dataSource: DataSource, log: (line: string) => void): Promise<number | null> {
  const started = Date.now();
  try {
    await dataSource.query(`CREATE EXTENSION IF NOT EXISTS pg_prewarm`);
    await dataSource.query(
      `SELECT sum(pg_prewarm(c.oid)) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 't')`,
    );
  } catch (error) {
    log(`not prewarming the county (${String(error)}): figures will include cold reads`);
    return null;
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`read the county into shared buffers (pg_prewarm, ${seconds} s)`);
  return seconds;
}
