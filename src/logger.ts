import pino from 'pino';

/** JSON logs to stdout. Never log record content: ids and codes only. */
export function createLogger(level: string): pino.Logger {
  return pino({ level, base: { service: 'mash-hub' }, redact: ['req.headers.authorization', '*.token'] });
}

export type Logger = pino.Logger;
