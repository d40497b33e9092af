/**
 * At the start the hub says when PostgreSQL lacks room for every connection its serving
 * processes may open, with the figures an operator needs.
 */
import { connectionsPerProcess, readConnectionRoom, warnIfShortOfConnections } from '../../src/db/connection-room';
import { createDataSource } from '../../ormconfig';
import { startHub, type Hub } from '../support/harness';

describe('room for the serving processes’ connections', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.stop());

  const warnings = (): { logger: { warn: (fields: object, message: string) => void }; seen: Array<{ fields: object; message: string }> } => {
    const seen: Array<{ fields: object; message: string }> = [];
    return { logger: { warn: (fields, message) => void seen.push({ fields, message }) }, seen };
  };

  it('counts two pools of the pool size per process', () => {
    expect(connectionsPerProcess(createDataSource(hub.databaseUrl, { poolSize: 7 }))).toBe(14);
    expect(connectionsPerProcess(createDataSource(hub.databaseUrl))).toBe(20);
  });

  it('reads max_connections and what others use now', async () => {
    const [{ max, others, superuser, reserved }] = await hub.sql<{ max: number; others: number; superuser: boolean; reserved: number }>(
      `SELECT current_setting('max_connections')::int AS max,
              (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()) AS others,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`,
    );
    const room = await readConnectionRoom(hub.dataSource);
    expect(room.maxConnections).toBe(max);
    // Other tests' connections come and go meanwhile; the room is what is left of the limit.
    const usable = superuser ? max : max - reserved;
    expect(room.room).toBeLessThanOrEqual(usable);
    expect(room.room).toBeGreaterThanOrEqual(Math.max(0, usable - others - 40));
  });

  it('keeps the reserved slots out of an ordinary role’s room', async () => {
    const role = `mash_room_${process.pid}_${Date.now()}`;
    await hub.sql(`CREATE ROLE ${role} LOGIN PASSWORD 'room'`);
    const url = new URL(hub.databaseUrl);
    url.username = role;
    url.password = 'room';
    const ordinary = createDataSource(url.toString(), { poolSize: 1 });
    try {
      await ordinary.initialize();
      const [{ max, reserved }] = await hub.sql<{ max: number; reserved: number }>(
        `SELECT current_setting('max_connections')::int AS max,
                current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`,
      );
      expect(reserved).toBeGreaterThan(0);
      const room = await readConnectionRoom(ordinary);
      expect(room.room).toBeLessThanOrEqual(max - reserved);
      expect(room.room).toBeGreaterThanOrEqual(max - reserved - 60);
    } finally {
      if (ordinary.isInitialized) await ordinary.destroy();
      await hub.sql(`DROP ROLE ${role}`);
    }
  });

  it('is silent when the processes fit, and warns with the figures when they do not', async () => {
    const perProcess = connectionsPerProcess(hub.dataSource);
    const fits = warnings();
    const one = await warnIfShortOfConnections(hub.dataSource, 1, fits.logger);
    expect(one.needed).toBe(perProcess);
    expect(fits.seen).toEqual([]);

    const tooMany = warnings();
    const processes = Math.ceil((one.maxConnections + 1) / perProcess);
    const many = await warnIfShortOfConnections(hub.dataSource, processes, tooMany.logger);
    expect(many.needed).toBe(processes * perProcess);
    expect(tooMany.seen).toHaveLength(1);
    expect(tooMany.seen[0].fields).toMatchObject({ processes, connectionsPerProcess: perProcess, needed: processes * perProcess, maxConnections: one.maxConnections });
    expect(tooMany.seen[0].message).toMatch(/lower HUB_PROCESSES or raise max_connections/);
  });
});
