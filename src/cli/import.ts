import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { ImportRefused, MAX_BATCH, runImport, type ImportSummary } from './import/run-import';
import type { ImportFormat } from './import/read-lines';
import { messageOf, runCli } from './run-cli';

/**
 * `npm run import -- --agency NPOL --file incidents.csv`: sends an agency export to the hub
 * in batches with the agency's INTEGRATION token. Exit codes: 0 every line saved (or parked
 * for matching), 1 some lines failed (see --errors), 2 nothing was sent.
 */
function integerOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH) throw new InvalidArgumentError(`a whole number from 1 to ${MAX_BATCH}`);
  return n;
}

function formatOption(value: string): ImportFormat {
  if (value !== 'csv' && value !== 'jsonl') throw new InvalidArgumentError('csv or jsonl');
  return value;
}

function printSummary(summary: ImportSummary, errorsFile: string | undefined): void {
  const rows: Array<[string, number]> = [
    ['lines read', summary.lines],
    ['created', summary.created],
    ['updated (new version)', summary.updated],
    ['unchanged', summary.unchanged],
    ['pending identity match', summary.pendingMatch],
    ['failed', summary.failed],
  ];
  process.stdout.write(rows.map(([label, n]) => `${label.padEnd(24)}${String(n).padStart(8)}`).join('\n') + '\n');
  if (summary.failed > 0) {
    process.stdout.write(errorsFile ? `Failed lines and reasons: ${errorsFile}\n` : 'Give --errors <file> to list the failed lines and why.\n');
  }
  if (summary.pendingMatch > 0) process.stdout.write('Lines pending a match are held by the hub until MASH staff confirm the child.\n');
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('import')
    .description('Send an agency export (CSV or JSON Lines) to MASH Hub; safe to re-run.')
    .requiredOption('--agency <code>', "your agency's code; must be the token's agency")
    .requiredOption('--file <path>', 'the export to send')
    .option('--url <url>', 'the hub GraphQL endpoint', process.env.MASH_URL ?? 'http://localhost:4000/graphql')
    .option('--token <jwt>', 'an INTEGRATION token for the agency (default: env MASH_TOKEN)')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)', formatOption)
    .option('--batch-size <n>', `records per request, at most ${MAX_BATCH}`, integerOption, 500)
    .option('--errors <path>', 'write each failed line and why to this CSV file')
    .option('--quiet', 'no progress bar')
    .parse(argv);
  const opts = program.opts<{ agency: string; file: string; url: string; token?: string; format?: ImportFormat; batchSize: number; errors?: string; quiet?: boolean }>();
  const token = opts.token ?? process.env.MASH_TOKEN;
  if (!token) {
    process.stderr.write('No token: give --token or set MASH_TOKEN (in development: npm run token -- --agency X --role INTEGRATION)\n');
    return 2;
  }
  const bar = !opts.quiet && process.stderr.isTTY ? new SingleBar({ format: 'sending [{bar}] {value}/{total} records', stream: process.stderr }, Presets.shades_classic) : null;
  let started = false;
  try {
    const summary = await runImport({
      url: opts.url,
      token,
      agency: opts.agency,
      file: opts.file,
      format: opts.format,
      batchSize: opts.batchSize,
      errorsFile: opts.errors,
      onProgress: (sent, total) => {
        if (!bar) return;
        if (!started) bar.start(total, sent);
        else bar.update(sent);
        started = true;
      },
      onWarning: (message) => process.stderr.write(`${bar ? '\n' : ''}warning: ${message}\n`),
    });
    bar?.stop();
    printSummary(summary, opts.errors);
    return summary.failed > 0 ? 1 : 0;
  } catch (error) {
    bar?.stop();
    process.stderr.write(`import stopped: ${messageOf(error)}\n`);
    return error instanceof ImportRefused ? 2 : 1;
  }
}

runCli(() => main(process.argv), (error) => ({ message: `import failed: ${messageOf(error)}`, code: 1 }));
