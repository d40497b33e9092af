import 'reflect-metadata';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { openDatabase } from './db/database';
import { createHubServer } from './server/app';
import { AuditWriter } from './modules/audit/audit-writer';
import { loadDemoDataIfEmpty } from './demo/demo-data';

/** Start: config -> database (migrated) -> demo data when empty -> HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger, { migrate: true });
  const auditWriter = new AuditWriter(database.dataSource, { logger });
  if (config.demoData) {
    const loaded = await loadDemoDataIfEmpty(database.dataSource, logger);
    if (loaded) logger.info(loaded, 'demo data loaded');
  }
  const server = await createHubServer({ config, dataSource: database.dataSource, logger, auditWriter });
  await server.listen(config.port);

  const url = `http://localhost:${config.port}/graphql`;
  process.stdout.write(
    [
      '',
      `MASH Hub is serving GraphQL at ${url}`,
      config.production ? '' : 'Mint a demo token:   npm run token -- --agency NPOL --role MASH_RESEARCHER',
      config.production ? '' : `Then:  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d '{"query":"{ me { name agency { code } roles } }"}'`,
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await server.stop();
      await auditWriter.close();
      await database.close();
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
