/**
 * Prepared statements behave as `manager.query` does: inside a transaction they see its
 * uncommitted writes, outside they see only what is committed, they are counted, and they fail
 * with TypeORM's error carrying PostgreSQL's code.
 */
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { recordMetaByChild } from '../../src/access/record-store';
import { PREPARED_STATEMENT_TIMEOUT_MS, PreparedStatement, runPrepared } from '../../src/db/prepared';
import { createChild, createCounty, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';

describe('prepared statements', () => {
  let hub: Hub;
  let county: County;

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('outside a transaction, run on connections that end a statement hung for more than 30 seconds', async () => {
    const [row] = await runPrepared<{ timeout: string }>(hub.dataSource.manager, new PreparedStatement(`SELECT current_setting('statement_timeout') AS timeout`), []);
    expect(row.timeout).toBe(`${PREPARED_STATEMENT_TIMEOUT_MS / 1000}s`);
  });

  it('run inside the caller’s transaction, and outside it see only what is committed', async () => {
    const child = await createChild(hub);
    const recordId = randomUUID();
    let seenInside: string[] = [];
    let seenOutside: string[] = [];
    await hub.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO shared_record (id, agency_id, source_ref, child_id) VALUES ($1, $2, $3, $4)`, [recordId, county.police.id, `P-${recordId}`, child.id]);
      await manager.query(
        `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, content_hash, author_sub)
         VALUES ($1, 1, 'POLICE_INCIDENT', 'STANDARD', now(), 'seen only once committed', repeat('a', 64), 'author')`,
        [recordId],
      );
      seenInside = ((await recordMetaByChild(manager, [child.id])).get(child.id) ?? []).map((m) => m.id);
      seenOutside = ((await recordMetaByChild(hub.dataSource.manager, [child.id])).get(child.id) ?? []).map((m) => m.id);
    });
    const afterCommit = ((await recordMetaByChild(hub.dataSource.manager, [child.id])).get(child.id) ?? []).map((m) => m.id);

    expect(seenInside).toEqual([recordId]);
    expect(seenOutside).toEqual([]);
    expect(afterCommit).toEqual([recordId]);
  });

  it('are counted like any other statement', async () => {
    const child = await createChild(hub);
    hub.queries.reset();
    await recordMetaByChild(hub.dataSource.manager, [child.id]);
    expect(hub.queries.statements.filter((s) => s.includes('FROM shared_record r WHERE r.child_id = ANY'))).toHaveLength(1);
  });

  it('fail with TypeORM’s error and PostgreSQL’s code', async () => {
    const failing = new PreparedStatement(`SELECT 1 / $1::int AS x`);
    const error = await runPrepared(hub.dataSource.manager, failing, [0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('22012');
    // The connection it failed on stays usable.
    await expect(runPrepared<{ x: number }>(hub.dataSource.manager, failing, [1])).resolves.toEqual([{ x: 1 }]);
  });
});
