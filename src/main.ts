import 'reflect-metadata';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { openDatabase, type Database } from './db/database';
import { warnIfShortOfConnections } from './db/connection-room';
import { warnIfCalendarShort, workingCalendar } from './modules/enquiries/deadlines';
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
  // Signals are taken from the start, so one that comes while the hub is starting or announcing
  // itself still stops it in order; `stop` grows as each part comes up.
  let stop: () => Promise<void> = async () => {};
  onStopSignal(logger, () => stop());
  if (cluster.isWorker) {
    await serve(config, logger, (close) => (stop = close));
    return;
  }

  const database = await openDatabase(config, logger, { migrate: true, callerHandlesSignals: true });
  stop = () => database.close();
  if (config.demoData) {
    const loaded = await loadDemoDataIfEmpty(database.dataSource, logger);
    if (loaded) logger.info(loaded, 'demo data loaded');
  }
  // Read now, so a bad BANK_HOLIDAYS_FILE stops the start rather than the first enquiry; one that
  // ends too soon is advisory, as below.
  warnIfCalendarShort(workingCalendar(config), logger, new Date());
  // Advisory: a hub that starts is more use than one that will not over a figure read at start.
  await warnIfShortOfConnections(database.dataSource, config.processes, logger).catch((error: unknown) =>
    logger.warn({ err: error }, "could not read PostgreSQL's connection limits"),
  );
  if (config.processes === 1) {
    announce(config, await serve(config, logger, (close) => (stop = close), database));
    return;
  }

  // The workers use the database this process prepared; its own pool is not needed any more.
  await database.dataSource.destroy();
  const workers = await startWorkers({ count: config.processes, env: { DATABASE_URL: database.url }, logger });
  stop = async () => {
    try {
      await workers.stop();
    } finally {
      await database.close();
    }
  };
  announce(config, workers.port);
}

/** Serves requests from this process, resolving with the port; `onClose` is given what stops it, in order. */
async function serve(config: Config, logger: Logger, onClose: (close: () => Promise<void>) => void, opened?: Database): Promise<number> {
  const database = opened ?? (await openDatabase(config, logger, { migrate: false }));
  onClose(() => database.close());
  const auditWriter = new AuditWriter(database.dataSource, { logger });
  const server = await createHubServer({ config, dataSource: database.dataSource, logger, auditWriter });
  onClose(async () => {
    await server.stop();
    await auditWriter.close();
    await database.close();
  });
  const http = await server.listen(config.port);
  return (http.address() as AddressInfo).port;
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
