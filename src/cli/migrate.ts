import 'reflect-metadata';
import { messageOf, runCli, withHubDatabase } from './run-cli';

/** `npm run migration:run` / `migration:revert` on DATABASE_URL or the embedded database. */
async function main(): Promise<number> {
  const command = process.argv[2];
  if (command !== 'run' && command !== 'revert' && command !== 'show') {
    process.stderr.write('usage: migrate run|revert|show\n');
    return 2;
  }
  return withHubDatabase({ migrate: false, useRunningEmbedded: true }, async (database) => {
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
    return 0;
  });
}

runCli(main, (error) => ({ message: messageOf(error), code: 1 }));
