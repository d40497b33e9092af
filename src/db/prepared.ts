import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * A statement whose text never changes, run as a named prepared statement: PostgreSQL parses it
 * once per pooled connection and, once it has seen a few executions, keeps a generic plan. The
 * statements every record page runs (a child's facts, record metadata, content, front-door
 * events, the audit append) cost more to plan than to execute, so planning them once saves most
 * of the database's work per page.
 *
 * Not for text built per call: each distinct text would become another statement held by every
 * connection. A connection pooler in front of PostgreSQL must keep session state (PgBouncer in
 * session mode, or 1.21+ with max_prepared_statements set).
 */
export class PreparedStatement {
  /** Derived from the text, so two statements can never share a name with different texts. */
  readonly name: string;

  constructor(readonly text: string) {
    this.name = `mash_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  }
}

/**
 * Runs a prepared statement through the manager's connection: inside its transaction when it has
 * one, otherwise on a pooled connection for this statement alone. Logged and failing exactly as
 * `manager.query` does, so statement counts and error handling see no difference.
 */
export async function runPrepared<T>(manager: EntityManager, statement: PreparedStatement, parameters: readonly unknown[]): Promise<T[]> {
  const dataSource = manager.connection;
  const runner = manager.queryRunner ?? dataSource.createQueryRunner();
  const values = [...parameters];
  try {
    const client = (await runner.connect()) as PoolClient;
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
    if (!manager.queryRunner) await runner.release();
  }
}
