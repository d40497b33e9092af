/**
 * At the start the hub says when PostgreSQL lacks room for every connection its serving
 * processes may open, with the figures an operator needs.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connectionsPerProcess, readConnectionRoom, roomFrom, warnIfShortOfConnections } from '../../src/db/connection-room';
import { createDataSource } from '../../ormconfig';
import { startHub, type Hub } from '../support/harness';

interface Limits {
  readonly max: number;
  readonly reserved: number;
}

describe('room for the serving processes’ connections', () => {
  let hub: Hub;
  // A connection held open by another role throughout, which every reading must count.
  let other: Client;
  let limits: Limits;
  beforeAll(async () => {
    hub = await startHub();
    other = new Client({ connectionString: hub.databaseUrl });
    await other.connect();
    [limits] = await hub.sql<Limits>(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`,
    );
  });
  afterAll(async () => {
    await other.end();
    await hub.stop();
  });

  const warnings = (): { logger: { warn: (fields: object, message: string) => void }; seen: Array<{ fields: object; message: string }> } => {
    const seen: Array<{ fields: object; message: string }> = [];
    return { logger: { warn: (fields, message) => void seen.push({ fields, message }) }, seen };
  };

  it('counts two pools of the pool size per process', () => {
    expect(connectionsPerProcess(createDataSource(hub.databaseUrl, { poolSize: 7 }))).toBe(14);
    expect(connectionsPerProcess(createDataSource(hub.databaseUrl))).toBe(20);
  });

  it('keeps the reserved slots from ordinary roles only, and never gives less than none', () => {
    expect(roomFrom({ max: 100, reserved: 3, superuser: true, others: 10 })).toBe(90);
    expect(roomFrom({ max: 100, reserved: 3, superuser: false, others: 10 })).toBe(87);
    expect(roomFrom({ max: 100, reserved: 3, superuser: false, others: 99 })).toBe(0);
  });

  it('does not count the reading DataSource’s own open connections as in use by others', async () => {
    // Other suites run alongside on the same server and open and close connections between two
    // readings, so a reading may move by a few for reasons of theirs. Counted as others, the eight
    // connections opened here would take seven from the room every time; the check allows a move
    // of two and is tried three times.
    const attempts: Array<{ before: number; after: number }> = [];
    for (let attempt = 0; attempt < 3 && !attempts.some((a) => a.after >= a.before - 2); attempt += 1) {
      const own = createDataSource(hub.databaseUrl, { poolSize: 8 });
      await own.initialize();
      try {
        const before = await readConnectionRoom(own);
        // Eight statements at once open the pool's eight connections; they stay open, idle.
        await Promise.all(Array.from({ length: 8 }, () => own.query('SELECT pg_sleep(0.05)')));
        const after = await readConnectionRoom(own);
        attempts.push({ before: before.room, after: after.room });
      } finally {
        await own.destroy();
      }
    }
    expect(attempts.some((a) => a.after >= a.before - 2)).toBe(true);
  });

  it('gives a superuser max_connections less every other connection', async () => {
    const room = await readConnectionRoom(hub.dataSource);
    expect(room.maxConnections).toBe(limits.max);
    // At least the connection held open is someone else's.
    expect(room.room).toBeLessThanOrEqual(limits.max - 1);
    expect(room.room).toBeGreaterThan(0);
  });

  it('keeps the reserved slots out of an ordinary role’s room, and counts connections that role cannot see', async () => {
    const role = `mash_room_${randomBytes(6).toString('hex')}`;
    // Should a run be killed before the role is dropped, it cannot log in after an hour.
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    await hub.sql(`CREATE ROLE ${role} LOGIN PASSWORD 'room' VALID UNTIL '${expires}'`);
    const url = new URL(hub.databaseUrl);
    url.username = role;
    url.password = 'room';
    const ordinary = createDataSource(url.toString(), { poolSize: 1 });
    try {
      await ordinary.initialize();
      // The other role's sessions are hidden from this one in pg_stat_activity.
      const [{ visible }] = await ordinary.query<Array<{ visible: number }>>(
        `SELECT count(*)::int AS visible FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      expect(visible).toBe(0);
      const room = await readConnectionRoom(ordinary);
      expect(room.room).toBeLessThanOrEqual(limits.max - limits.reserved - 1);
      expect(room.room).toBeGreaterThan(0);
    } finally {
      if (ordinary.isInitialized) await ordinary.destroy();
      await hub.sql(`DROP ROLE ${role}`);
    }
  });

  it('is silent when the processes fit, and warns with the figures when they do not', async () => {
    // Pools of one: two connections a process, which any test server has room for.
    const small = createDataSource(hub.databaseUrl, { poolSize: 1 });
    await small.initialize();
    try {
      const fits = warnings();
      const one = await warnIfShortOfConnections(small, 1, fits.logger);
      expect(one.needed).toBe(2);
      expect(one.room).toBeGreaterThanOrEqual(2);
      expect(fits.seen).toEqual([]);

      const tooMany = warnings();
      const processes = Math.ceil((limits.max + 1) / 2);
      const many = await warnIfShortOfConnections(small, processes, tooMany.logger);
      expect(many.needed).toBe(processes * 2);
      expect(tooMany.seen).toHaveLength(1);
      expect(tooMany.seen[0].fields).toMatchObject({ processes, connectionsPerProcess: 2, needed: processes * 2, maxConnections: limits.max });
      expect(tooMany.seen[0].message).toMatch(/lower HUB_PROCESSES or raise max_connections/);
    } finally {
      await small.destroy();
    }
  });
});
