import type { Client } from 'pg';

/**
 * Resolves once some statement on the database waits for a lock (the request under test has
 * reached the row another transaction holds), however slow the machine; fails after 10 s, naming
 * what was expected to wait.
 */
export async function untilSomethingWaits(client: Client, what: string): Promise<void> {
  for (let waited = 0; ; waited += 50) {
    const [{ n }] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_locks WHERE NOT granted')).rows;
    if (Number(n) > 0) return;
    if (waited > 10_000) throw new Error(`${what} never waited`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
