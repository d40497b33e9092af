import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { Client } from 'pg';
import { embeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';

export interface Database {
  /** Where the database is: DATABASE_URL, or the embedded server's address. */
  readonly url: string;
  readonly dataSource: DataSource;
  readonly embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise an embedded PostgreSQL whose data lives under `.data/`. */
export async function openDatabase(
  config: Config,
  logger: Logger,
  options: {
    migrate: boolean;
    callerHandlesSignals?: boolean;
    /**
     * For the command-line tools: when the embedded database is already up (a hub is serving
     * from it), use it rather than start a second server on the same data, which would fail.
     * It is then left running. The hub itself never shares its embedded database.
     */
    useRunningEmbedded?: boolean;
  },
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url && options.useRunningEmbedded && (await answers(embeddedUrl(config.embeddedPort, 'mash')))) {
    url = embeddedUrl(config.embeddedPort, 'mash');
    logger.info({ port: config.embeddedPort }, 'using the embedded PostgreSQL already running');
  }
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

/** Whether a PostgreSQL answers at this address within a second. */
async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
