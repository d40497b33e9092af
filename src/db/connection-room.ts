import type { DataSource } from 'typeorm';
import { HubDataSource, poolSizeOf } from './prepared';

/**
 * Whether PostgreSQL has room for the connections the serving processes may open. Each process
 * has two pools (TypeORM's and the prepared-statement pool), each of up to the DataSource's pool
 * size, and opens them as load grows; a server without room refuses the excess with "too many
 * clients", which fails requests only under load, long after the hub started. So it is said at
 * the start, with the figures an operator needs.
 */
export interface ConnectionRoom {
  /** `max_connections`. */
  readonly maxConnections: number;
  /** Connections this role may still open: `max_connections`, less the reserved slots it may not use, less those in use by others. */
  readonly room: number;
}

/** Connections one serving process may open. */
export function connectionsPerProcess(dataSource: DataSource): number {
  return 2 * poolSizeOf(dataSource);
}

/** What PostgreSQL reports, with the connections of everyone but the reading DataSource. */
export interface ConnectionReading {
  readonly max: number;
  /** Slots kept from ordinary roles (`superuser_reserved_connections` and, from PostgreSQL 16, `reserved_connections`). */
  readonly reserved: number;
  readonly superuser: boolean;
  readonly others: number;
}

/**
 * The room left: `max_connections`, less the reserved slots unless the role is a superuser, less
 * the others' connections. PostgreSQL 16's reserved_connections are kept only from roles without
 * pg_use_reserved_connections; counted as kept here, which errs on the safe side.
 */
export function roomFrom(reading: ConnectionReading): number {
  const usable = reading.superuser ? reading.max : reading.max - reading.reserved;
  return Math.max(0, usable - reading.others);
}

/**
 * Reads the server's limits and what is in use now by others: the DataSource's own open
 * connections (the one reading among them) are part of what its processes need, not of what
 * is in use by others.
 */
export async function readConnectionRoom(dataSource: DataSource): Promise<ConnectionRoom> {
  // pg_stat_database counts every database's backends for any role; pg_stat_activity hides other
  // roles' sessions from one without pg_read_all_stats. Its count includes autovacuum workers,
  // which have slots of their own: that errs on the safe side.
  const [row] = await dataSource.query<Array<{ max: number; reserved: number; superuser: boolean; backends: number }>>(
    `SELECT current_setting('max_connections')::int AS max,
            current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved,
            (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS superuser,
            (SELECT coalesce(sum(numbackends), 0)::int FROM pg_stat_database) AS backends`,
  );
  // At least the connection that read the figures is the DataSource's own.
  const own = Math.max(1, dataSource instanceof HubDataSource ? dataSource.openConnections() : 1);
  return { maxConnections: row.max, room: roomFrom({ max: row.max, reserved: row.reserved, superuser: row.superuser, others: Math.max(0, row.backends - own) }) };
}

/** Logs a warning when `processes` serving processes could open more connections than there is room for. */
export async function warnIfShortOfConnections(
  dataSource: DataSource,
  processes: number,
  logger: { warn(fields: object, message: string): void },
): Promise<ConnectionRoom & { needed: number }> {
  const room = await readConnectionRoom(dataSource);
  const perProcess = connectionsPerProcess(dataSource);
  const needed = processes * perProcess;
  if (needed > room.room) {
    logger.warn(
      { processes, connectionsPerProcess: perProcess, needed, room: room.room, maxConnections: room.maxConnections },
      `the hub's ${processes} serving process(es) may open ${needed} connections but PostgreSQL has room for ${room.room}: ` +
        `under load, requests beyond that fail with "too many clients"; lower HUB_PROCESSES or raise max_connections`,
    );
  }
  return { ...room, needed };
}
