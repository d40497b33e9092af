import pino from 'pino';

/**
 * Errors are logged by kind and code, never with the data that caused them: a database error
 * carries the statement's parameters and a "failing row" that would copy record content into logs.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; constraint?: unknown; table?: unknown; column?: unknown };
  const firstLine = (e.stack ?? '').split('\n').slice(1, 8).join('\n');
  return {
    type: e.name,
    message: e.message.slice(0, 200),
    code: typeof e.code === 'string' ? e.code : undefined,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
    table: typeof e.table === 'string' ? e.table : undefined,
    column: typeof e.column === 'string' ? e.column : undefined,
    stack: firstLine,
  };
}

/** JSON logs to stdout. Never log record content: ids and codes only. */
export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    base: { service: 'mash-hub' },
    serializers: { err: safeError, error: safeError },
    redact: ['req.headers.authorization', '*.token', '*.parameters', '*.detail', '*.query', '*.driverError', '*.variables'],
  });
}

export type Logger = pino.Logger;
