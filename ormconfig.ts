import 'reflect-metadata';
import type { Logger } from 'typeorm';
import { DEFAULT_POOL_SIZE, HubDataSource } from './src/db/prepared';
import { ENTITIES } from './src/db/entities';
import { MIGRATIONS } from './src/db/migrations';

/**
 * The one TypeORM DataSource definition, shared by the server, the tests and the migration CLI.
 * Schema changes happen only through migrations: `synchronize` is never on.
 */
export function createDataSource(
  url: string,
  options: { poolSize?: number; applicationName?: string; logger?: Logger; maxQueryExecutionTime?: number } = {},
): HubDataSource {
  return new HubDataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: options.logger ? ['query'] : false,
    logger: options.logger,
    maxQueryExecutionTime: options.maxQueryExecutionTime,
    extra: { max: options.poolSize ?? DEFAULT_POOL_SIZE, application_name: options.applicationName ?? 'mash-hub' },
  });
}

/** For the TypeORM CLI (`npm run migration:generate`), which needs DATABASE_URL. */
export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/mash');
