import 'reflect-metadata';
import { verifyAuditChain } from '../modules/audit/chain-verifier';
import { messageOf, runCli, withHubDatabase } from './run-cli';

/**
 * `npm run verify-audit`: walks the audit hash chain of the hub's database (DATABASE_URL, or the
 * embedded database under .data/) and exits 1 when a link is broken, so a schedule can alert on it.
 */
async function main(): Promise<number> {
  return withHubDatabase({ migrate: false, useRunningEmbedded: true, logLevel: process.env.LOG_LEVEL ?? 'warn' }, async (database) => {
    const report = await verifyAuditChain(database.dataSource);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.ok) {
      process.stdout.write(`audit chain intact: ${report.checked} rows verified; last seq ${report.lastSeq ?? '-'} hash ${report.lastHash ?? '-'}\n`);
      return 0;
    }
    process.stderr.write(`audit chain BROKEN at seq ${report.firstBrokenSeq}: ${report.problem}\n`);
    return 1;
  });
}

runCli(main, (error) => ({ message: `verify-audit failed: ${messageOf(error)}`, code: 2 }));
