import 'reflect-metadata';
import cluster from 'node:cluster';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { openDatabase } from './db/database';
import { createHubServer } from './server/app';
import { startWorkers } from './server/processes';
import { AuditWriter } from './modules/audit/audit-writer';
import { loadDemoDataIfEmpty } from './demo/demo-data';

/**
 * Start: config -> database (migrated) -> demo data when empty -> HTTP, served by this process
 * or, with HUB_PROCESSES above 1, by that many workers sharing the port.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (cluster.isWorker) return serve(config, logger);

  const database = await openDatabase(config, logger, { migrate: true });
  if (config.demoData) {
    const loaded = await loadDemoDataIfEmpty(database.dataSource, logger);
    if (loaded) logger.info(loaded, 'demo data loaded');
  }
  if (config.processes === 1) return serve(config, logger, database);

  // The workers use the database this process prepared; its own pool is not needed any more.
  await database.dataSource.destroy();
  const workers = await startWorkers({ count: config.processes, env: { DATABASE_URL: database.url }, logger });
  announce(config, workers.port);
  onStopSignal(logger, async () => {
    await workers.stop();
    await database.close();
  });
}

/** Serves requests from this process until told to stop. */
async function serve(config: Config, logger: Logger, opened?: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  const database = opened ?? (await openDatabase(config, logger, { migrate: false }));
  const auditWriter = new AuditWriter(database.dataSource, { logger });
  const server = await createHubServer({ config, dataSource: database.dataSource, logger, auditWriter });
  await server.listen(config.port);
  if (cluster.isPrimary) announce(config, config.port);
  onStopSignal(logger, async () => {
    await server.stop();
    await auditWriter.close();
    await database.close();
  });
}

function announce(config: Config, port: number): void {
  const url = `http://localhost:${port}/graphql`;
  process.stdout.write(
    [
      '',
      `MASH Hub is serving GraphQL at ${url}${config.processes > 1 ? ` from ${config.processes} processes` : ''}`,
      config.production ? '' : 'Mint a demo token:   npm run token -- --agency NPOL --role MASH_RESEARCHER',
      config.production ? '' : `Then:  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d '{"query":"{ me { name agency { code } roles } }"}'`,
      '',
    ].join('\n') + '\n',
  );
}

/** On SIGINT or SIGTERM: finish what is under way, close, and exit (non-zero if that failed). */
function onStopSignal(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`MASH Hub failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
