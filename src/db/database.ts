import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';

export interface Database {
  /** Where the database is: DATABASE_URL, or the embedded server's address. */
  readonly url: string;
  readonly dataSource: DataSource;
  readonly embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise an embedded PostgreSQL whose data lives under `.data/`. */
export async function openDatabase(config: Config, logger: Logger, options: { migrate: boolean; callerHandlesSignals?: boolean }): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info({ dataDir: config.dataDir, port: config.embeddedPort }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir, port: config.embeddedPort, database: 'mash', persistent: true, logger, callerHandlesSignals: options.callerHandlesSignals,
    });
    url = embedded.url;
  }
  const dataSource = createDataSource(url);
  try {
    await dataSource.initialize();
    if (options.migrate) {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    url,
    dataSource,
    embedded,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
