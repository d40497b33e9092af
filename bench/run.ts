import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startWorkers } from '../src/server/processes';
import { mintToken } from '../src/auth/tokens';
import { openCounty } from './county-db';
import { countySize, HEAVY_RECORDS } from './generate';
import { measureChronology, measureIngest, measurePortalLoad, measureSearch, type BenchTarget } from './scenarios';
import { evaluate, printReport } from './report';

/**
 * `npm run bench`: builds (or reuses) the synthetic county, starts the real hub as `npm start`
 * would with HUB_PROCESSES (default `auto`, one process per core) on a free port, and measures
 * ingest, chronology against its raw-SQL floor, search, a concurrent portal load and the
 * server's peak memory (all its processes together), all in one run, on the same data.
 * BENCH_SCALE (default 1) shrinks the county for a quick run.
 */
const SECRET = 'benchmark-only-secret-0123456789abcdef';

function scaleFromEnv(): number {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) throw new Error('BENCH_SCALE must be a number above 0 and at most 10');
  return scale;
}

async function main(): Promise<void> {
  const size = countySize(scaleFromEnv());
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const started = Date.now();
  const county = await openCounty(size, log);
  const buildSeconds = Math.round((Date.now() - started) / 1000);
  // A reused county keeps every earlier run's audit events, and a longer trail makes each new event
  // dearer to index: reported so that runs can be compared.
  // The chain is numbered from 1 without gaps, so its last number is its length, read from the key.
  const [{ events }] = await county.dataSource.query<Array<{ events: number }>>(`SELECT coalesce(max(seq), 0)::int AS events FROM audit_event`);

  // Production settings, except the per-account rate limit: the load test measures capacity.
  const env = {
    NODE_ENV: 'production', JWT_SECRET: SECRET, LOG_LEVEL: 'warn', DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '0',
    DATABASE_URL: county.url, PORT: '0', HUB_PROCESSES: process.env.HUB_PROCESSES ?? 'auto',
    GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR ?? 'compiled',
  };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  // The hub's own entry point, run as npm start runs it (dist/bench/run.js -> dist/src/main.js).
  const workers = await startWorkers({
    count: config.processes, env, logger, exec: path.join(__dirname, '..', 'src', 'main.js'), execArgv: ['--max-semi-space-size=32'],
  });
  const url = `http://127.0.0.1:${workers.port}/graphql`;
  const floorClient = new Client({ connectionString: county.url });
  await floorClient.connect();

  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, residentBytes(workers.pids()));
  }, 100);
  const target: BenchTarget = {
    url,
    dataSource: county.dataSource,
    floorClient,
    token: (agency, roles, sub) => mintToken(SECRET, { sub, name: `Benchmark ${sub}`, agency, roles }),
  };
  try {
    log('measuring ingest through submitRecords…');
    const ingest = await measureIngest(
      target, Number(process.env.BENCH_INGEST_BATCHES ?? 20), 1000, Number(process.env.BENCH_INGEST_FEEDS ?? 4), Number(process.env.BENCH_INGEST_WARMUP ?? 8),
    );
    log('measuring the chronology of a child with ~1,000 records…');
    const chronology = await measureChronology(target, 200);
    log('measuring searchChildren…');
    const search = await measureSearch(target, 200);
    log('measuring the portal query under load (50 connections)…');
    // An untimed spell of the same load first, as for ingest: the server processes are fresh, and
    // took 10-15 s of this load to reach their steady cost per request. Its rate is reported too.
    const portalWarmupSeconds = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 15);
    const warmup = portalWarmupSeconds > 0 ? await measurePortalLoad(target, 50, portalWarmupSeconds) : null;
    const portal = {
      ...(await measurePortalLoad(target, 50, Number(process.env.BENCH_LOAD_SECONDS ?? 10))),
      warmupSeconds: portalWarmupSeconds,
      warmupRequestsPerSecond: warmup ? Math.round(warmup.requestsPerSecond) : null,
      warmupFailures: warmup ? warmup.non2xx + warmup.errors + warmup.graphqlErrors : null,
    };
    clearInterval(sampler);
    const peakRssMb = Math.round(peakRss / (1024 * 1024));

    const results = {
      ranAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      county: { ...size, heavyChildRecords: HEAVY_RECORDS, reused: county.reused, buildSeconds, prewarmSeconds: county.prewarmSeconds, auditEventsAtStart: events },
      ingest,
      chronology,
      search,
      portal,
      memory: { serverPeakRssMb: peakRssMb, serverProcesses: config.processes },
      graphqlExecutor: config.executor,
    };
    const report = { ...results, targets: evaluate(results) };
    printReport(report);
    const out = path.join(process.cwd(), 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
    log(`written to ${path.relative(process.cwd(), path.join(out, 'latest.json'))}`);
  } finally {
    clearInterval(sampler);
    await floorClient.end();
    await workers.stop();
    await county.close();
  }
}

/** The resident memory of the given processes together, sampled from /proc (Linux). */
function residentBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // Between exiting and being replaced a worker has no status to read.
    }
  }
  return total;
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
