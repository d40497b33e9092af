import { parse } from 'csv-parse';
import type { SourceLine } from './map-line';

export type ImportFormat = 'csv' | 'jsonl';

/** A line that could not be read as a record at all (wrong field count, invalid JSON). */
export interface BrokenLine {
  readonly line: number;
  readonly message: string;
}

export interface ReadResult {
  readonly lines: SourceLine[];
  readonly broken: BrokenLine[];
  /** Every column name the file uses, in order of first appearance. */
  readonly headers: string[];
}

/** The format named by a file's extension, or null when the extension says nothing. */
export function formatOfFile(file: string): ImportFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}

export function readLines(content: string, format: ImportFormat): Promise<ReadResult> {
  return format === 'csv' ? readCsv(content) : Promise.resolve(readJsonLines(content));
}

/**
 * CSV with a header row (RFC 4180 quoting; a quoted field may span lines). A line whose field
 * count differs from the header's is reported rather than guessed at.
 */
function readCsv(content: string): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    parse(
      content.replace(/^\uFEFF/, ''),
      { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true },
      (error, records) => {
        // With `info: true` each record comes wrapped with its position; the typings do not say so.
        const rows = (records ?? []) as unknown as Array<{ record: string[]; info: { lines: number } }>;
        if (error) {
          reject(new Error(`the file is not readable as CSV: ${error.message}`));
          return;
        }
        const [header, ...data] = rows;
        if (!header) {
          resolve({ lines: [], broken: [], headers: [] });
          return;
        }
        const headers = header.record;
        const lines: SourceLine[] = [];
        const broken: BrokenLine[] = [];
        for (const { record, info } of data) {
          if (record.length !== headers.length) {
            broken.push({ line: info.lines, message: `has ${record.length} fields; the header has ${headers.length}` });
            continue;
          }
          lines.push({ line: info.lines, fields: Object.fromEntries(headers.map((h, i) => [h, record[i]])) });
        }
        resolve({ lines, broken, headers });
      },
    );
  });
}

/** One JSON object per line; blank lines are skipped but still counted for line numbers. */
function readJsonLines(content: string): ReadResult {
  const lines: SourceLine[] = [];
  const broken: BrokenLine[] = [];
  const headers = new Set<string>();
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((text, index) => {
      const line = index + 1;
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        broken.push({ line, message: 'is not valid JSON' });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        broken.push({ line, message: 'is not a JSON object' });
        return;
      }
      const fields = flattenChild(value as Record<string, unknown>);
      Object.keys(fields).forEach((key) => headers.add(key));
      lines.push({ line, fields });
    });
  return { lines, broken, headers: [...headers] };
}

/**
 * JSON Lines may use the column names or the GraphQL names ("sourceRef"), and may nest the
 * child's fields under "child" as the GraphQL input does.
 */
function flattenChild(value: Record<string, unknown>): Record<string, unknown> {
  const { child, ...rest } = value;
  const nested = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  return Object.fromEntries([...Object.entries(nested), ...Object.entries(rest)].map(([k, v]) => [snake(k), v]));
}

/** camelCase GraphQL names ("nhsNumber") to the file's column names ("nhs_number"). */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
