import { fork } from 'node:child_process';
import path from 'node:path';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Role } from '../src/domain/vocabulary';
import { childIdSql } from './generate';
import type { LoadRequest, LoadResult } from './load';
import { summarise, timeInTurn, timeRuns, type LatencySummary } from './stats';

/** What every measurement needs: the running hub, the database, and tokens. */
export interface BenchTarget {
  readonly url: string;
  readonly dataSource: DataSource;
  /** A plain connection for the raw-SQL floor, outside the hub's pool. */
  readonly floorClient: Client;
  token(agency: string, roles: Role[], sub: string): string;
}

interface GqlBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export async function gql<T>(target: BenchTarget, query: string, variables: Record<string, unknown>, token: string): Promise<GqlBody<T>> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GqlBody<T>;
}

const PURPOSE = { reason: 'Benchmark: multi-agency chronology for a strategy discussion' };

export interface IngestFigures {
  readonly available: boolean;
  readonly note?: string;
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly statuses: Record<string, number>;
}

/** The agency systems that feed the hub in the ingest measurement, each with its usual record. */
const FEEDS = [
  { agency: 'NPOL', sub: 'bench-police-rms', category: 'POLICE_INCIDENT', summary: 'Officers attended an address; child present' },
  { agency: 'NHEALTH', sub: 'bench-health-pas', category: 'HEALTH_CONTACT', summary: 'Seen at the walk-in centre with a parent' },
  { agency: 'NSCHOOL', sub: 'bench-school-mis', category: 'ATTENDANCE', summary: 'Absent without explanation for three days' },
  { agency: 'NCSC', sub: 'bench-social-care', category: 'SOCIAL_CARE_INVOLVEMENT', summary: 'Contact received and recorded by the front door' },
] as const;

/**
 * New records for known children (exact NHS number match), in batches of `batchSize`, from
 * `feeds` agency systems sending side by side (each its batches one after another), as the
 * county's police, health, school and social care systems do. Each feed first sends
 * `warmupRounds` batches that are not timed, as the other measurements warm up, so the figure is
 * of a hub in service rather than of its first compilation: a fresh process spent 227 and then
 * 133 µs of CPU per record on its first 8,000 and next 8,000 records, and 84 µs after that.
 * Later measurements found the two processes still settling after 16,000 records (each has served
 * eight batches by then: its heap is still growing, and an operation is compiled only from its
 * eleventh run): the next 20,000 cost them 76-120 µs a record, those after 56-83. The bench's
 * default of eight rounds of one batch per feed (32,000 records) covers that.
 */
export async function measureIngest(
  target: BenchTarget, batches: number, batchSize: number, feeds = 1, warmupRounds = 1,
): Promise<IngestFigures & { feeds: number; warmupRounds: number }> {
  const run = Date.now().toString(36);
  // Children drawn afresh for each run, so that repeated runs spread their records over the county
  // instead of piling them onto the same children that the other measurements read.
  const children = await target.dataSource.query<Array<{ nhs_number: string; given_name: string; family_name: string; date_of_birth: string; gender: string }>>(
    `SELECT nhs_number, given_name, family_name, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, gender
     FROM child WHERE nhs_number IS NOT NULL ORDER BY md5(id::text || $2) LIMIT $1`,
    [batchSize, run],
  );
  const feedCount = Math.max(1, Math.min(feeds, FEEDS.length));
  const mutation = `mutation($records: [RecordInput!]!) { submitRecords(records: $records) { results { status errors { field message } } } }`;
  let failure: string | undefined;
  const sendBatch = async (feed: (typeof FEEDS)[number], batch: number, statuses: Record<string, number>): Promise<void> => {
    const records = children.map((c, i) => ({
      sourceRef: `BENCH-${run}-${batch}-${i}`,
      child: { nhsNumber: c.nhs_number, givenName: c.given_name, familyName: c.family_name, dateOfBirth: c.date_of_birth, gender: c.gender },
      category: feed.category,
      occurredAt: new Date(Date.UTC(2025, 0, 1) + (batch * batchSize + i) * 60_000).toISOString(),
      summary: `${feed.summary} (benchmark ${run}/${batch}/${i})`,
      detail: 'Fictional benchmark narrative: who was present, what was seen and the action taken.',
    }));
    const body = await gql<{ submitRecords: { results: Array<{ status: string }> } }>(target, mutation, { records }, target.token(feed.agency, ['INTEGRATION'], feed.sub));
    if (!body.data?.submitRecords) {
      failure = body.errors?.[0]?.message ?? 'no data';
      return;
    }
    for (const r of body.data.submitRecords.results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  };
  const feedsInUse = FEEDS.slice(0, feedCount);
  // The warm-up batches are numbered after the timed ones; each feed sends its own in turn.
  await Promise.all(
    feedsInUse.map(async (feed, feedIndex) => {
      for (let round = 0; round < warmupRounds; round += 1) await sendBatch(feed, batches + round * feedCount + feedIndex, {});
    }),
  );
  const statuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  await Promise.all(
    feedsInUse.map(async (feed, feedIndex) => {
      for (let b = feedIndex; b < batches && !failure; b += feedCount) await sendBatch(feed, b, statuses);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (failure) return { available: false, note: failure, records: 0, seconds: 0, recordsPerSecond: 0, statuses, feeds: feedCount, warmupRounds };
  const records = batches * children.length;
  return { available: true, records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds), statuses, feeds: feedCount, warmupRounds };
}

export interface ChronologyFigures {
  readonly field: 'chronology' | 'records';
  readonly rows: number;
  readonly api: LatencySummary;
  readonly sqlFloor: LatencySummary;
  readonly ratioMedian: number;
  readonly ratioP99: number;
}

const CHRONOLOGY = `query($id: ID!, $purpose: PurposeInput!) { child(id: $id) { chronology(purpose: $purpose, first: 200) {
  totalCount edges { node { kind occurredAt summary visibility category agency { code } } } } } }`;
const RECORDS = `query($id: ID!, $purpose: PurposeInput!) { child(id: $id) { records(purpose: $purpose, first: 200) {
  totalCount edges { node { id occurredAt category sensitivity visibility summary agency { code } } } } } }`;

/**
 * The first page (200, the most a page holds) of the heavy child's history as a MASH researcher
 * under the s47 basis sees it, against one hand-written query for the same 200 newest rows, the
 * two taking turns.
 */
export async function measureChronology(target: BenchTarget, runs: number): Promise<ChronologyFigures> {
  const [{ id }] = await target.dataSource.query<Array<{ id: string }>>(`SELECT ${childIdSql('1')} AS id`);
  const token = target.token('NCSC', ['MASH_RESEARCHER'], 'bench-researcher');
  const variables = { id, purpose: PURPOSE };
  let field: 'chronology' | 'records' = 'chronology';
  let probe = await gql<{ child: Record<string, { edges: unknown[] }> | null }>(target, CHRONOLOGY, variables, token);
  if (probe.errors) {
    field = 'records';
    probe = await gql(target, RECORDS, variables, token);
  }
  const rows = probe.data?.child?.[field]?.edges.length ?? 0;
  if (rows === 0) throw new Error(`child.${field} returned nothing for the heavy child: ${JSON.stringify(probe.errors ?? probe.data)}`);
  const query = field === 'chronology' ? CHRONOLOGY : RECORDS;
  const [api, floor] = await timeInTurn(runs, 10, [
    async () => {
      const body = await gql(target, query, variables, token);
      if (body.errors) throw new Error(body.errors[0].message);
    },
    async () => {
      await target.floorClient.query(
        `SELECT r.id, v.occurred_at, v.category, v.sensitivity, v.summary, a.code
         FROM shared_record r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version JOIN agency a ON a.id = r.agency_id
         WHERE r.child_id = $1 ORDER BY v.occurred_at DESC, r.id DESC LIMIT 200`,
        [id],
      );
    },
  ]);
  const apiSummary = summarise(api);
  const floorSummary = summarise(floor);
  return {
    field,
    rows,
    api: apiSummary,
    sqlFloor: floorSummary,
    ratioMedian: round(apiSummary.medianMs / floorSummary.medianMs),
    ratioP99: round(apiSummary.p99Ms / floorSummary.p99Ms),
  };
}

export interface SearchFigures {
  readonly latency: LatencySummary;
  readonly queriesWithResults: number;
}

/** searchChildren by the first four letters of the family name and the date of birth. */
export async function measureSearch(target: BenchTarget, runs: number): Promise<SearchFigures> {
  const sample = await target.dataSource.query<Array<{ family_name: string; dob: string }>>(
    `SELECT family_name, to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM child ORDER BY md5(id::text) LIMIT $1`,
    [runs + 10],
  );
  const token = target.token('NCSC', ['MASH_RESEARCHER'], 'bench-researcher');
  const query = `query($input: ChildSearchInput!) { searchChildren(input: $input, first: 20) { edges { node { id givenName familyName dateOfBirth } } } }`;
  let withResults = 0;
  const samples = await timeRuns(runs, 10, async (i) => {
    const child = sample[i % sample.length];
    const body = await gql<{ searchChildren: { edges: unknown[] } }>(target, query, { input: { name: child.family_name.slice(0, 4), dateOfBirth: child.dob } }, token);
    if (body.errors) throw new Error(body.errors[0].message);
    if (i >= 10 && (body.data?.searchChildren.edges.length ?? 0) > 0) withResults += 1;
  });
  return { latency: summarise(samples), queriesWithResults: withResults };
}

/** The query a police portal makes most: a child's details and the first page of what is held. */
export const PORTAL_QUERY = `query($id: ID!) { child(id: $id) { givenName familyName ageYears dateOfBirth
  records(purpose: { reason: "Police officer checking what partners hold before a home visit" }, first: 20) {
    totalCount edges { node { id category occurredAt visibility summary agency { code } } } } } }`;

/** 50 connections for the given time against children who have consent, from a separate process. */
export async function measurePortalLoad(target: BenchTarget, connections: number, durationSeconds: number): Promise<LoadResult> {
  const rows = await target.dataSource.query<Array<{ id: string }>>(`SELECT child_id AS id FROM consent ORDER BY child_id LIMIT 2000`);
  const request: LoadRequest = {
    url: target.url,
    token: target.token('NPOL', ['PRACTITIONER'], 'bench-officer'),
    query: PORTAL_QUERY,
    childIds: rows.map((r) => r.id),
    connections,
    durationSeconds,
  };
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load.js'));
    child.once('message', (message: { ok: boolean; result?: LoadResult; error?: string }) =>
      message.ok && message.result ? resolve(message.result) : reject(new Error(message.error)),
    );
    child.once('error', reject);
    child.send(request);
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

