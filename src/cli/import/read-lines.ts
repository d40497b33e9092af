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
 * The newlines inside a raw record, not counting the one that ends it, nor those of blank lines
 * before it (csv-parse keeps those at the front of the next record's raw text).
 */
function newlinesWithin(raw: string): number {
  return (raw.replace(/^\s*\n/, '').replace(/\n$/, '').match(/\n/g) ?? []).length;
}

/** Why csv-parse could not read a record, in the terms of the errors file. */
function unreadable(error: { code?: string } | undefined, raw: string): string {
  if (error?.code === 'CSV_QUOTE_NOT_CLOSED') {
    const after = newlinesWithin(raw);
    return after === 0 ? 'opens a quote that is never closed' : `opens a quote that is never closed, so it and the ${after} line${after === 1 ? '' : 's'} after it could not be read`;
  }
  if (error?.code === 'CSV_INVALID_CLOSING_QUOTE') return 'closes a quoted field with more text after the quote';
  return 'is not readable as CSV';
}

/**
 * CSV with a header row (RFC 4180 quoting; a quoted field may span lines). A quote inside an
 * unquoted field ("he said "no"", as free-text exports write it) is kept as text, and fields are
 * trimmed. A line whose field count differs from the header's, or that cannot be read as CSV at
 * all (a quote never closed), is reported rather than guessed at, and the lines around it still
 * go. Every line of the file is accounted for: read, blank, or reported.
 */
function readCsv(content: string): Promise<ReadResult> {
  // One line ending throughout, so the parser's line numbers and the file's lines agree even in a
  // file whose lines end in both ways.
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return new Promise((resolve, reject) => {
    const skipped: Array<BrokenLine & { readonly last: number }> = [];
    parse(
      text,
      {
        // Spaces before a field are csv-parse's to skip, so `A, "Smith, John"` is two fields; its
        // right-trimming is left off: with it, a skipped record took the rest of the file with it.
        info: true, raw: true, ltrim: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true,
        skip_records_with_error: true,
        on_skip: (error, chunk) => {
          const raw = chunk ?? '';
          const last = (error as { lines?: number } | undefined)?.lines ?? 0;
          const first = last - newlinesWithin(raw);
          // A quote never closed runs to the end of the file: the line that opened it is the one to fix.
          skipped.push({ line: error?.code === 'CSV_QUOTE_NOT_CLOSED' ? first : last, message: unreadable(error, raw), last });
        },
      },
      (error, records) => {
        // With `info: true` each record comes wrapped with its position; the typings do not say so.
        const rows = (records ?? []) as unknown as Array<{ record: string[]; info: { lines: number }; raw: string }>;
        if (error) {
          reject(new Error(`the file is not readable as CSV: ${error.message}`));
          return;
        }
        const accounted = new Set<number>();
        const account = (first: number, last: number): void => {
          for (let line = first; line <= last; line += 1) accounted.add(line);
        };
        const broken: BrokenLine[] = skipped.map(({ line, message, last }) => {
          account(Math.min(line, last), last);
          return { line, message };
        });
        const [header, ...data] = rows;
        const headers = header ? header.record.map((name) => name.trim()) : [];
        if (header) account(header.info.lines - newlinesWithin(header.raw), header.info.lines);
        const lines: SourceLine[] = [];
        for (const { record, info, raw } of data) {
          account(info.lines - newlinesWithin(raw), info.lines);
          if (record.length !== headers.length) {
            broken.push({ line: info.lines, message: `has ${record.length} fields; the header has ${headers.length}` });
            continue;
          }
          lines.push({ line: info.lines, fields: Object.fromEntries(headers.map((h, i) => [h, record[i].trim()])) });
        }
        // A safety net: a line neither read, blank nor reported would otherwise be lost unannounced.
        text.split('\n').forEach((physical, index) => {
          if (physical.trim() !== '' && !accounted.has(index + 1)) broken.push({ line: index + 1, message: 'could not be read as CSV' });
        });
        broken.sort((a, b) => a.line - b.line);
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
