import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { columnDrift } from '../db/schema-drift';
import { messageOf, runCli, withHubDatabase } from './run-cli';

/**
 * `npm run migration:generate -- Name`: drafts a migration from the difference between the
 * entities' columns and the migrated database, for a developer to review and complete with
 * the constraints and indexes the change needs.
 */
async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    process.stderr.write('usage: npm run migration:generate -- MigrationName (PascalCase)\n');
    return 2;
  }
  return withHubDatabase({ migrate: true, logLevel: 'warn' }, async (database) => {
    const drift = await columnDrift(database.dataSource);
    if (drift.up.length === 0) {
      process.stdout.write('no column differences between the entities and the migrations\n');
      return 0;
    }
    const stamp = Date.now();
    const body = (queries: string[]) => queries.map((q) => `    await q.query(${JSON.stringify(q)});`).join('\n');
    const file = path.resolve(__dirname, '../../../migrations', `${stamp}-${name}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\n/** Drafted from entity changes: add the constraints and indexes this change needs, then register it in src/db/migrations.ts. */\nexport class ${name}${stamp} implements MigrationInterface {\n  name = '${name}${stamp}';\n\n  public async up(q: QueryRunner): Promise<void> {\n${body(drift.up)}\n  }\n\n  public async down(q: QueryRunner): Promise<void> {\n${body(drift.down)}\n  }\n}\n`,
    );
    process.stdout.write(`drafted ${file}\n`);
    return 0;
  });
}

runCli(main, (error) => ({ message: messageOf(error), code: 1 }));
