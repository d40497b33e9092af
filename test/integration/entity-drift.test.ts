import { columnDrift } from '../../src/db/schema-drift';
import { startHub, type Hub } from '../support/harness';

describe('entities and migrations', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
    // TypeORM keys generated-column metadata by database name; this database is a renamed clone.
    await hub.sql('UPDATE typeorm_metadata SET database = current_database()');
  });
  afterAll(() => hub.stop());

  it('agree on every column (what `npm run migration:generate` would draft is empty)', async () => {
    expect(await columnDrift(hub.dataSource)).toEqual({ up: [], down: [] });
  });

  it('would notice a column the entities have and the database lacks', async () => {
    await hub.sql('ALTER TABLE consent DROP COLUMN evidence');
    const drift = await columnDrift(hub.dataSource);
    expect(drift.up.join('\n')).toMatch(/ADD "evidence"/);
  });
});
