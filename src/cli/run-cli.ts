import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase, type Database } from '../db/database';

/** A thrown value as one line of text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a command-line tool and exits with the code its `main` returns. The exit is explicit: the
 * embedded database's exit hooks would otherwise end the process with 0. A throw is written to
 * standard error as `failure` words it, and exits with the code it gives.
 */
export function runCli(main: () => Promise<number>, failure: (error: unknown) => { readonly message: string; readonly code: number }): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const { message, code } = failure(error);
      process.stderr.write(`${message}\n`);
      process.exit(code);
    },
  );
}

/**
 * The hub's database (DATABASE_URL, or the embedded one under .data/) for the length of `use`,
 * closed afterwards whatever happens. Logs at `logLevel`, or the configured level.
 */
export async function withHubDatabase<T>(
  options: { readonly migrate: boolean; readonly useRunningEmbedded?: boolean; readonly logLevel?: string },
  use: (database: Database) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(options.logLevel ?? config.logLevel);
  const database = await openDatabase(config, logger, { migrate: options.migrate, useRunningEmbedded: options.useRunningEmbedded });
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}
