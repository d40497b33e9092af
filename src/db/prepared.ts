import { hash } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';

/**
 * A statement whose text never changes, run as a named prepared statement: PostgreSQL parses it
 * once per connection and plans it once, generically, for whatever values it is given. The
 * statements every record page runs (a child's facts, record metadata, content, front-door
 * events, the audit append) take longer to plan than to run: a child's facts plan in about
 * 1 ms and run in 0.5.
 *
 * Only for text fixed at load time: each distinct text becomes a statement every connection
 * keeps. The statements' filters are ids and arrays of ids, where a generic plan is the plan
 * any values would get. A connection pooler in front of PostgreSQL must keep session state
 * (PgBouncer in session mode, or 1.21+ with max_prepared_statements set).
 */
export class PreparedStatement {
  /** Derived from the text, so two statements can never share a name with different texts. */
  readonly name: string;

  constructor(readonly text: string) {
    this.name = `mash_${hash('sha256', text, 'hex').slice(0, 24)}`;
  }
}

/** Connections in each of a DataSource's two pools (TypeORM's and the prepared-statement pool) unless given. */
export const DEFAULT_POOL_SIZE = 10;

/** The size of each of the DataSource's pools: the prepared-statement pool is made like TypeORM's. */
export function poolSizeOf(dataSource: DataSource): number {
  return (dataSource.options as { extra?: { max?: number } }).extra?.max ?? DEFAULT_POOL_SIZE;
}

/** How long a statement on the prepared-statement pool may run before PostgreSQL ends it. */
export const PREPARED_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The hub's DataSource: TypeORM's, plus a pool of its own for prepared statements run outside a
 * transaction. Those connections keep generic plans (`plan_cache_mode`); PostgreSQL's default
 * would re-plan each execution of these statements, since a plan for one child looks cheaper
 * than a plan for any number. Every other statement keeps the default, value-aware planning.
 */
export class HubDataSource extends DataSource {
  private genericPlans: Pool | undefined;

  /** Made on first use, so a migration run or a CLI never opens it; sized and named like TypeORM's pool. */
  preparedPool(): Pool {
    if (!this.genericPlans) {
      const options = this.options as { url?: string; extra?: { application_name?: string } };
      const pool = new Pool({
        connectionString: options.url,
        max: poolSizeOf(this),
        application_name: options.extra?.application_name,
        options: '-c plan_cache_mode=force_generic_plan',
        // These statements are short, and each kind runs one at a time per process (a shared read,
        // an audit append), so one that hangs would hold up every request behind it: it is ended
        // instead, and its requests fail, as does a connection the network has silently dropped.
        statement_timeout: PREPARED_STATEMENT_TIMEOUT_MS,
        query_timeout: PREPARED_STATEMENT_TIMEOUT_MS + 5_000,
        keepAlive: true,
      });
      // An idle connection that drops is replaced on next use; it must not take the process down.
      pool.on('error', (error) => this.logger.log('warn', `prepared-statement connection lost: ${error.message}`));
      this.genericPlans = pool;
    }
    return this.genericPlans;
  }

  /** Connections this DataSource holds open now, in both its pools, busy or idle. */
  openConnections(): number {
    const typeorm = (this.driver as { master?: Pool }).master;
    return (typeorm?.totalCount ?? 0) + (this.genericPlans?.totalCount ?? 0);
  }

  override async destroy(): Promise<void> {
    const pool = this.genericPlans;
    this.genericPlans = undefined;
    try {
      await super.destroy();
    } finally {
      await pool?.end();
    }
  }
}

/**
 * Runs a prepared statement: inside the manager's transaction when it has one, otherwise on the
 * hub's prepared-statement pool. Logged and failing exactly as `manager.query` does, so statement
 * counts and error handling see no difference.
 */
export async function runPrepared<T>(manager: EntityManager, statement: PreparedStatement, parameters: readonly unknown[]): Promise<T[]> {
  const dataSource = manager.connection;
  const values = [...parameters];
  const inTransaction = manager.queryRunner;
  const pool = !inTransaction && dataSource instanceof HubDataSource ? dataSource.preparedPool() : null;
  const runner = inTransaction ?? (pool ? undefined : dataSource.createQueryRunner());
  try {
    const client = pool ?? ((await runner?.connect()) as PoolClient);
    dataSource.logger.logQuery(statement.text, values, runner);
    const started = Date.now();
    try {
      const result = await client.query({ name: statement.name, text: statement.text, values });
      const slowAfter = dataSource.options.maxQueryExecutionTime;
      const took = Date.now() - started;
      if (slowAfter && took > slowAfter) dataSource.logger.logQuerySlow(took, statement.text, values, runner);
      return result.rows as T[];
    } catch (error) {
      dataSource.logger.logQueryError(error as Error, statement.text, values, runner);
      throw new QueryFailedError(statement.text, values, error as Error);
    }
  } finally {
    if (!inTransaction && runner) await runner.release();
  }
}
