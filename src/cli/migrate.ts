import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from '../db/database';

/** `npm run migration:run` / `migration:revert` on DATABASE_URL or the embedded database. */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'run' && command !== 'revert' && command !== 'show') {
    process.stderr.write('usage: migrate run|revert|show\n');
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger, { migrate: false, useRunningEmbedded: true });
  try {
    if (command === 'run') {
      const applied = await database.dataSource.runMigrations({ transaction: 'each' });
      process.stdout.write(applied.length === 0 ? 'no pending migrations\n' : `applied: ${applied.map((m) => m.name).join(', ')}\n`);
    } else if (command === 'revert') {
      await database.dataSource.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    } else {
      const pending = await database.dataSource.showMigrations();
      process.stdout.write(pending ? 'migrations are pending\n' : 'schema is up to date\n');
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
