import type { LoadResult } from './load';
import type { ChronologyFigures, IngestFigures, SearchFigures } from './scenarios';

/** The targets the hub must meet on a 2-core machine (issue: county-scale benchmark). */
export const TARGETS = {
  ingestRecordsPerSecond: 10_000,
  chronologyP99Ms: 50,
  chronologyFloorRatio: 3,
  searchP99Ms: 30,
  portalRequestsPerSecond: 1_000,
} as const;

export interface Measured {
  readonly ingest: IngestFigures & { readonly feeds: number; readonly warmupRounds: number };
  readonly chronology: ChronologyFigures;
  readonly search: SearchFigures;
  readonly portal: LoadResult & {
    readonly warmupSeconds: number;
    readonly warmupRequestsPerSecond: number | null;
    /** Requests of the untimed spell answered with an error of any kind. */
    readonly warmupFailures: number | null;
  };
  readonly memory: { readonly serverPeakRssMb: number; readonly serverProcesses: number };
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export function evaluate(m: Measured): TargetCheck[] {
  return [
    { target: `ingest >= ${TARGETS.ingestRecordsPerSecond} records/s`, measured: m.ingest.available ? `${m.ingest.recordsPerSecond}/s` : `n/a (${m.ingest.note})`, met: m.ingest.available && m.ingest.recordsPerSecond >= TARGETS.ingestRecordsPerSecond },
    { target: `chronology p99 <= ${TARGETS.chronologyP99Ms} ms`, measured: `${m.chronology.api.p99Ms} ms`, met: m.chronology.api.p99Ms <= TARGETS.chronologyP99Ms },
    { target: `chronology within ${TARGETS.chronologyFloorRatio}x the SQL floor (median)`, measured: `${m.chronology.ratioMedian}x`, met: m.chronology.ratioMedian <= TARGETS.chronologyFloorRatio },
    { target: `search p99 <= ${TARGETS.searchP99Ms} ms`, measured: `${m.search.latency.p99Ms} ms`, met: m.search.latency.p99Ms <= TARGETS.searchP99Ms },
    { target: `portal query >= ${TARGETS.portalRequestsPerSecond} requests/s`, measured: `${Math.round(m.portal.requestsPerSecond)}/s`, met: m.portal.requestsPerSecond >= TARGETS.portalRequestsPerSecond },
  ];
}

export function printReport(r: Measured & { county: { children: number; records: number; reused: boolean; buildSeconds: number; prewarmSeconds: number | null; auditEventsAtStart: number }; targets: TargetCheck[] }): void {
  const rows: Array<[string, string]> = [
    ['county', `${r.county.children} children, ${r.county.records} records (${r.county.reused ? 'reused' : `built in ${r.county.buildSeconds} s`}; ${r.county.prewarmSeconds === null ? 'not prewarmed' : 'prewarmed'}; ${r.county.auditEventsAtStart} audit events already)`],
    [`ingest (submitRecords, ${r.ingest.feeds} feed${r.ingest.feeds === 1 ? '' : 's'})`, r.ingest.available ? `${r.ingest.recordsPerSecond} records/s (${r.ingest.records} in ${r.ingest.seconds} s after ${r.ingest.warmupRounds} untimed round${r.ingest.warmupRounds === 1 ? '' : 's'}; ${JSON.stringify(r.ingest.statuses)})` : `not measured: ${r.ingest.note}`],
    [`child.${r.chronology.field} (${r.chronology.rows} rows)`, `median ${r.chronology.api.medianMs} ms, p99 ${r.chronology.api.p99Ms} ms`],
    ['  raw SQL floor, same rows', `median ${r.chronology.sqlFloor.medianMs} ms, p99 ${r.chronology.sqlFloor.p99Ms} ms`],
    ['  API / floor', `${r.chronology.ratioMedian}x median, ${r.chronology.ratioP99}x p99`],
    ['searchChildren (name part + DOB)', `median ${r.search.latency.medianMs} ms, p99 ${r.search.latency.p99Ms} ms (${r.search.queriesWithResults}/${r.search.latency.count} found)`],
    ['portal query, 50 connections', `${Math.round(r.portal.requestsPerSecond)} requests/s, median ${r.portal.latencyMedianMs} ms, p99 ${r.portal.latencyP99Ms} ms (${r.portal.requests} requests after ${r.portal.warmupSeconds} s untimed${r.portal.warmupRequestsPerSecond === null ? '' : ` at ${r.portal.warmupRequestsPerSecond}/s, ${r.portal.warmupFailures} failed`}, ${r.portal.non2xx} non-2xx, ${r.portal.graphqlErrors} with errors)`],
    [`server peak RSS (${r.memory.serverProcesses} process${r.memory.serverProcesses === 1 ? '' : 'es'})`, `${r.memory.serverPeakRssMb} MB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  process.stdout.write('\n' + rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n') + '\n\nTargets:\n');
  for (const t of r.targets) process.stdout.write(`  [${t.met ? 'met' : 'MISSED'}] ${t.target}: ${t.measured}\n`);
}
