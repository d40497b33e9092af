import { Command } from 'commander';
import { loadConfig } from '../config';
import { mintToken } from '../auth/tokens';
import { ROLES, type Role } from '../domain/vocabulary';

/** Mints a development token signed with JWT_SECRET (or the development secret). Never in production. */
function main(): void {
  const program = new Command('token')
    .description('Mint a demo bearer token for MASH Hub')
    .requiredOption('--agency <code>', 'agency code, e.g. NPOL')
    .option('--role <role...>', `one or more of ${ROLES.join(', ')}`, ['PRACTITIONER'])
    .option('--sub <sub>', 'subject (user id)')
    .option('--name <name>', 'display name')
    .option('--hours <hours>', 'lifetime in hours', '8')
    .parse();
  const options = program.opts<{ agency: string; role: string[]; sub?: string; name?: string; hours: string }>();
  const config = loadConfig();
  if (config.production) {
    process.stderr.write('npm run token refuses to mint tokens when NODE_ENV=production: use your identity provider.\n');
    process.exit(2);
  }
  const roles = options.role.flatMap((r) => r.split(',')).map((r) => r.trim().toUpperCase());
  const unknown = roles.filter((r) => !ROLES.includes(r as Role));
  if (unknown.length > 0) {
    process.stderr.write(`unknown role(s): ${unknown.join(', ')}; roles are ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  const hours = Number(options.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24) {
    process.stderr.write('--hours must be between 0 and 24\n');
    process.exit(2);
  }
  if (!config.jwt.secret) {
    process.stderr.write('set JWT_SECRET to mint HS256 tokens\n');
    process.exit(2);
  }
  const agency = options.agency.toUpperCase();
  const sub = options.sub ?? `demo-${agency.toLowerCase()}-${roles[0].toLowerCase()}`;
  process.stdout.write(
    `${mintToken(config.jwt.secret, { sub, name: options.name ?? `Demo ${roles[0].toLowerCase()} (${agency})`, agency, roles: roles as Role[] }, {
      expiresInSeconds: Math.round(hours * 3600),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    })}\n`,
  );
}

main();
