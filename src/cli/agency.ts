import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Command } from 'commander';
import { messageOf, runCli, withHubDatabase } from './run-cli';
import { AuditWriter } from '../modules/audit/audit-writer';
import { upsertAgency } from '../modules/agencies/agency.service';
import { AGENCY_KINDS, type AgencyKind } from '../domain/vocabulary';

/**
 * `npm run agency -- --code NPOL --name "Northshire Police" --kind POLICE`: creates an agency, or
 * renames it, directly in the hub's database (DATABASE_URL, or the embedded one under .data/).
 * Every token names an agency the hub holds, so a new deployment's first agencies, and the one
 * its first ADMIN belongs to, are made here; after that an ADMIN may use `upsertAgency`. Audited
 * as AGENCY_UPSERT by the operator who ran it.
 */
async function main(): Promise<number> {
  const program = new Command('agency')
    .description('Create or rename a partner agency in the hub database')
    .requiredOption('--code <code>', 'agency code, 2 to 16 capital letters, digits or underscores (e.g. NPOL)')
    .requiredOption('--name <name>', 'the agency\'s name')
    .requiredOption('--kind <kind>', `one of ${AGENCY_KINDS.join(', ')}`)
    .option('--by <name>', 'who is running this, for the audit trail (default: the operating system user)')
    .parse();
  const options = program.opts<{ code: string; name: string; kind: string; by?: string }>();
  const kind = options.kind.trim().toUpperCase();
  if (!AGENCY_KINDS.includes(kind as AgencyKind)) {
    process.stderr.write(`--kind must be one of ${AGENCY_KINDS.join(', ')}\n`);
    return 2;
  }
  // Migrated as the hub migrates at start, so this may be the first thing run on a new database.
  return withHubDatabase({ migrate: true, useRunningEmbedded: true, logLevel: process.env.LOG_LEVEL ?? 'warn' }, async (database) => {
    const operator = userInfo().username;
    const agency = await database.dataSource.transaction(async (manager) => {
      const saved = await upsertAgency(manager, { code: options.code, name: options.name, kind: kind as AgencyKind });
      await new AuditWriter(database.dataSource).appendWithin(
        manager,
        { requestId: randomUUID(), viewer: { sub: `cli:${operator}`, name: options.by?.trim() || operator, agencyCode: 'CLI', roles: ['ADMIN'] } },
        [{ action: 'AGENCY_UPSERT', outcome: 'OK', query: { code: saved.code, via: 'npm run agency' } }],
      );
      return saved;
    });
    process.stdout.write(`agency ${agency.code} (${agency.kind}): ${agency.name}, id ${agency.id}\n`);
    return 0;
  });
}

runCli(main, (error) => {
  const problems = (error as { extensions?: { problems?: Array<{ field: string; message: string }> } }).extensions?.problems;
  const detail = problems?.map((p) => `${p.field.replace(/^input\./, '--')}: ${p.message}`).join('; ');
  return { message: `agency failed: ${detail ?? messageOf(error)}`, code: detail ? 2 : 1 };
});
