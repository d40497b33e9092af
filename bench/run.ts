import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createHubServer } from '../src/server/app';
import { AuditWriter } from '../src/modules/audit/audit-writer';
import { mintToken } from '../src/auth/tokens';
import { openCounty } from './county-db';
import { countySize, HEAVY_RECORDS } from './generate';
import { measureChronology, measureIngest, measurePortalLoad, measureSearch, type BenchTarget } from './scenarios';
import { evaluate, printReport } from './report';

/**
 * `npm run bench`: builds (or reuses) the synthetic county, starts the real hub in this
 * process on a free port, and measures ingest, chronology against its raw-SQL floor, search,
 * a concurrent portal load and the server's peak memory — all in one run, on the same data.
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

  // Production settings, except the per-account rate limit: the load test measures capacity.
  const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, LOG_LEVEL: 'warn', DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '0' });
  const logger = createLogger(config.logLevel);
  const auditWriter = new AuditWriter(county.dataSource, { logger });
  const server = await createHubServer({ config, dataSource: county.dataSource, logger, auditWriter });
  const http = await server.listen(0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  const floorClient = new Client({ connectionString: county.url });
  await floorClient.connect();

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
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
      target, Number(process.env.BENCH_INGEST_BATCHES ?? 20), 1000, Number(process.env.BENCH_INGEST_FEEDS ?? 4), Number(process.env.BENCH_INGEST_WARMUP ?? 4),
    );
    log('measuring the chronology of a child with ~1,000 records…');
    const chronology = await measureChronology(target, 200);
    log('measuring searchChildren…');
    const search = await measureSearch(target, 200);
    log('measuring the portal query under load (50 connections)…');
    const portal = await measurePortalLoad(target, 50, Number(process.env.BENCH_LOAD_SECONDS ?? 10));
    clearInterval(sampler);
    const peakRssMb = Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / (1024 * 1024));

    const results = {
      ranAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      county: { ...size, heavyChildRecords: HEAVY_RECORDS, reused: county.reused, buildSeconds, prewarmSeconds: county.prewarmSeconds },
      ingest,
      chronology,
      search,
      portal,
      memory: { serverPeakRssMb: peakRssMb },
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
    await server.stop();
    await auditWriter.close();
    await county.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
