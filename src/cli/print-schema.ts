import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { getSchema } from '../graphql/schema';

/** Writes schema/schema.graphql from the code; a test fails when the committed file drifts. */
export async function renderSchema(): Promise<string> {
  return `${printSchema(await getSchema())}\n`;
}

if (require.main === module) {
  renderSchema()
    .then((sdl) => {
      const target = path.resolve(__dirname, '../../../schema/schema.graphql');
      writeFileSync(target, sdl);
      process.stdout.write(`wrote ${target}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    });
}
