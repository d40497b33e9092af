import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from '../db/database';
import { verifyAuditChain } from '../modules/audit/chain-verifier';

/**
 * `npm run verify-audit`: walks the audit hash chain of the hub's database (DATABASE_URL, or the
 * embedded database under .data/) and exits 1 when a link is broken, so a schedule can alert on it.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const database = await openDatabase(config, logger, { migrate: false, useRunningEmbedded: true });
  try {
    const report = await verifyAuditChain(database.dataSource);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.ok) {
      process.stdout.write(`audit chain intact: ${report.checked} rows verified; last seq ${report.lastSeq ?? '-'} hash ${report.lastHash ?? '-'}\n`);
      return 0;
    }
    process.stderr.write(`audit chain BROKEN at seq ${report.firstBrokenSeq}: ${report.problem}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

// Exit explicitly: the embedded database's exit hooks would otherwise end the process with 0.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify-audit failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
