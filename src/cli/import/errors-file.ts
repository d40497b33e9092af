import { writeFile } from 'node:fs/promises';

/** One reason a line of an import file was not saved. */
export interface LineError {
  readonly line: number;
  readonly sourceRef: string | null;
  /** The column (or "line", "child", "batch") the problem is about. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

const HEADER = ['line', 'source_ref', 'field', 'code', 'message'];

function cell(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function errorsCsv(errors: readonly LineError[]): string {
  const rows = errors.map((e) => [e.line, e.sourceRef, e.field, e.code, e.message].map(cell).join(','));
  return [HEADER.join(','), ...rows].join('\n') + '\n';
}

/** Always written when asked for, so an empty file (header only) proves a clean run. */
export async function writeErrorsFile(path: string, errors: readonly LineError[]): Promise<void> {
  await writeFile(path, errorsCsv(errors), 'utf8');
}
