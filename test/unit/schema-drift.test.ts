import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderSchema } from '../../src/cli/print-schema';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:generate` after changing types)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(committed).toBe(await renderSchema());
  });
});
