/**
 * Stopping the hub waits for the requests it is handling, even those whose caller has gone: each
 * finishes its reads and writes its audit rows before the database closes, so a stop (a deploy,
 * SIGTERM) loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { mintToken } from '../../src/auth/tokens';
import { createCounty } from '../factories';
import { startHub, TEST_SECRET } from '../support/harness';

describe('stopping the hub', () => {
  it('finishes a request in flight, audit row included, before it stops', async () => {
    const hub = await startHub();
    await createCounty(hub);
    const token = mintToken(TEST_SECRET, { sub: 'officer-stop', name: 'Officer', agency: 'NPOL', roles: ['PRACTITIONER'] });
    const missing = randomUUID();
    // Another session locks the child table, so the request waits at its first read, before it
    // has anything to audit.
    const blocker = new Client({ connectionString: hub.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE child IN ACCESS EXCLUSIVE MODE');

    const caller = new AbortController();
    const answer = fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `query($id: ID!) { child(id: $id) { id } }`, variables: { id: missing } }),
      signal: caller.signal,
    }).catch((error: unknown) => error);
    for (let waited = 0; ; waited += 20) {
      const [{ waiting }] = (await blocker.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'relation' AND NOT l.granted AND d.datname = current_database()`,
      )).rows;
      if (waiting > 0) break;
      if (waited > 10_000) throw new Error('the request never reached its first read');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The caller gives up: no connection is left open, yet the request is still being handled.
    caller.abort();
    expect((await answer) as { name?: string }).toMatchObject({ name: 'AbortError' });

    let stopped = false;
    const stopping = hub.stop({ keepDatabase: true }).then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);

    await blocker.query('COMMIT');
    await stopping;

    // The denial was recorded before the pools closed.
    const [{ count }] = (await blocker.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_event WHERE actor_sub = 'officer-stop' AND child_id = $1 AND outcome = 'DENIED'`,
      [missing],
    )).rows;
    await blocker.end();
    await hub.dropDatabase();
    expect(count).toBe(1);
  });
});
