import { readFile } from 'node:fs/promises';
import type { AgencyKind } from '../../domain/vocabulary';
import { HubClient, HubError } from './hub-client';
import { mapLine, type RecordInput } from './map-line';
import { profileFor, canonicalColumn } from './profiles';
import { formatOfFile, readLines, snake, type ImportFormat } from './read-lines';
import { writeErrorsFile, type LineError } from './errors-file';
import { messageOf } from '../run-cli';

/** The hub accepts at most this many items in one submitRecords call. */
export const MAX_BATCH = 1000;
/**
 * At most this much JSON in one call, whatever the batch size: a thousand items with long
 * narratives would pass the hub's default body limit (16 MB). A hub set lower answers 413, and the
 * batch is then sent in halves.
 */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export interface ImportOptions {
  readonly url: string;
  readonly token: string;
  readonly agency: string;
  readonly file: string;
  readonly format?: ImportFormat;
  readonly batchSize?: number;
  readonly errorsFile?: string;
  readonly retries?: number;
  readonly backoffMs?: number;
  /** Called once the file is read (total items to send) and after each batch (items sent so far). */
  readonly onProgress?: (sent: number, total: number) => void;
  readonly onWarning?: (message: string) => void;
}

export interface ImportSummary {
  readonly agencyKind: AgencyKind;
  readonly lines: number;
  readonly invalid: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly pendingMatch: number;
  /** Lines the hub refused (FAILED results) plus lines refused here. */
  readonly failed: number;
  readonly errors: readonly LineError[];
}

/** Stops the import before anything is sent: wrong agency, missing role, unreadable file. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

const ME = '{ me { sub roles agency { code kind } } }';
const SUBMIT = `mutation Submit($records: [RecordInput!]!) {
  submitRecords(records: $records) {
    results { index sourceRef status recordId childId version matchId errors { field message code } }
  }
}`;

type SubmitStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'PENDING_MATCH' | 'FAILED';
interface SubmitResult {
  index: number;
  sourceRef: string | null;
  status: SubmitStatus;
  errors: Array<{ field: string; message: string; code: string }>;
}

/** Reads, validates and sends one import file; the CLI is a thin shell around this. */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new ImportRefused(`--batch-size must be from 1 to ${MAX_BATCH}`);
  const format = options.format ?? formatOfFile(options.file);
  if (!format) throw new ImportRefused('cannot tell the format from the file name: give --format csv or --format jsonl');

  const client = new HubClient({
    url: options.url,
    token: options.token,
    retries: options.retries,
    backoffMs: options.backoffMs,
    onRetry: (attempt, error) => options.onWarning?.(`retry ${attempt} after: ${error.message}`),
  });
  const agencyKind = await checkToken(client, options.agency);
  const profile = profileFor(agencyKind);

  let content: string;
  try {
    content = await readFile(options.file, 'utf8');
  } catch (error) {
    throw new ImportRefused(`cannot read ${options.file}: ${messageOf(error)}`);
  }
  const read = await readLines(content, format);
  const ignored = read.headers.filter((h) => canonicalColumn(h, profile) === null);
  // Errors name a column as the file's own header does ("incident_date", not "occurred_at").
  const headerOf = new Map<string, string>();
  for (const header of read.headers) {
    const column = canonicalColumn(header, profile);
    if (column && !headerOf.has(column)) headerOf.set(column, header);
  }
  const asInFile = (column: string): string => headerOf.get(column) ?? column;
  if (ignored.length > 0) options.onWarning?.(`columns not read by the hub (ignored): ${ignored.join(', ')}`);

  const errors: LineError[] = read.broken.map((b) => ({ line: b.line, sourceRef: null, field: 'line', code: 'UNREADABLE', message: b.message }));
  const toSend: Array<{ line: number; input: RecordInput }> = [];
  const firstLineOf = new Map<string, number>();
  for (const source of read.lines) {
    const mapped = mapLine(source, profile);
    if (!mapped.ok) {
      for (const p of mapped.problems) errors.push({ line: mapped.line, sourceRef: mapped.sourceRef, field: asInFile(p.field), code: 'INVALID', message: p.message });
      continue;
    }
    const earlier = firstLineOf.get(mapped.input.sourceRef);
    if (earlier !== undefined) {
      errors.push({ line: mapped.line, sourceRef: mapped.input.sourceRef, field: 'source_ref', code: 'DUPLICATE', message: `repeats the source_ref of line ${earlier}` });
      continue;
    }
    firstLineOf.set(mapped.input.sourceRef, mapped.line);
    toSend.push({ line: mapped.line, input: mapped.input });
  }
  const invalidLines = new Set(errors.map((e) => e.line)).size;

  const counts: Record<SubmitStatus, number> = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, PENDING_MATCH: 0, FAILED: 0 };
  options.onProgress?.(0, toSend.length);
  type Item = (typeof toSend)[number];
  const record = (batch: readonly Item[], results: readonly SubmitResult[]): void => {
    for (const result of results) {
      const item = batch[result.index];
      counts[result.status] += 1;
      if (result.status !== 'FAILED' || !item) continue;
      const failures = result.errors.length > 0 ? result.errors : [{ field: 'record', message: 'refused by the hub', code: 'FAILED' }];
      for (const e of failures) errors.push({ line: item.line, sourceRef: item.input.sourceRef, field: asInFile(columnOf(e.field)), code: e.code, message: e.message });
    }
  };
  const send = async (batch: readonly Item[]): Promise<void> => {
    try {
      const data = await client.request<{ submitRecords: { results: SubmitResult[] } }>(SUBMIT, { records: batch.map((b) => b.input) });
      record(batch, data.submitRecords.results);
    } catch (error) {
      if (!(error instanceof HubError) || error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN') throw error;
      // Larger than this hub accepts in one request: the halves may not be.
      if (error.status === 413 && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await send(batch.slice(0, half));
        await send(batch.slice(half));
        return;
      }
      // The hub refused the whole batch (or stayed unreachable): every line in it failed, and
      // a re-run sends them again safely.
      const message = error.status === 413 ? `this line alone is larger than the hub accepts in one request (${error.message})` : error.message;
      record(batch, batch.map((b, index) => ({ index, sourceRef: b.input.sourceRef, status: 'FAILED', errors: [{ field: 'batch', message, code: error.code }] })));
    }
  };
  let sent = 0;
  for (const batch of batchesOf(toSend, batchSize, MAX_BATCH_BYTES)) {
    await send(batch);
    sent += batch.length;
    options.onProgress?.(sent, toSend.length);
  }

  errors.sort((a, b) => a.line - b.line);
  if (options.errorsFile) await writeErrorsFile(options.errorsFile, errors);
  return {
    agencyKind,
    lines: read.lines.length + read.broken.length,
    invalid: invalidLines,
    created: counts.CREATED,
    updated: counts.UPDATED,
    unchanged: counts.UNCHANGED,
    pendingMatch: counts.PENDING_MATCH,
    failed: counts.FAILED + invalidLines,
    errors,
  };
}

/** The token must be an INTEGRATION token of the agency named on the command line. */
async function checkToken(client: HubClient, agency: string): Promise<AgencyKind> {
  let me: { roles: string[]; agency: { code: string; kind: AgencyKind } };
  try {
    me = (await client.request<{ me: typeof me }>(ME)).me;
  } catch (error) {
    throw new ImportRefused(`the hub did not accept the token: ${messageOf(error)}`);
  }
  if (me.agency.code !== agency) throw new ImportRefused(`the token is for agency ${me.agency.code}, not ${agency}: nothing was sent`);
  if (!me.roles.includes('INTEGRATION')) throw new ImportRefused('the token lacks the INTEGRATION role: nothing was sent');
  return me.agency.kind;
}

/** "records.3.child.nhsNumber" from the hub → "nhs_number", the column the line used. */
export function columnOf(field: string): string {
  const path = field.replace(/^records(\.\d+|\[\d+\])\.?/, '').replace(/^child\./, '');
  return path.length > 0 ? path.split('.').map(snake).join('.') : 'record';
}

/** Consecutive items, at most `size` of them and (unless one alone is larger) `maxBytes` of JSON, per batch. */
function* batchesOf<T extends { readonly input: RecordInput }>(items: readonly T[], size: number, maxBytes: number): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item.input)) + 1;
    if (batch.length > 0 && (batch.length >= size || bytes + itemBytes > maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += itemBytes;
  }
  if (batch.length > 0) yield batch;
}
