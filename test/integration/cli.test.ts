import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createChild, createCounty } from '../factories';
import { startHub, TEST_SECRET, type Hub } from '../support/harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

/** Runs a built CLI; resolves with its exit code and output instead of throwing. */
async function cli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [path.join(root, 'dist/src/cli', script), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('command-line tools', () => {
  let hub: Hub;
  beforeAll(async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
    hub = await startHub();
    await createCounty(hub);
  }, 180_000);
  afterAll(() => hub.stop());

  it('npm run token mints a token the hub accepts, and refuses in production', async () => {
    const minted = await cli('token.js', ['--agency', 'NHEALTH', '--role', 'PRACTITIONER', '--role', 'MASH_RESEARCHER', '--sub', 'hv-7'], { JWT_SECRET: TEST_SECRET });
    expect(minted.code).toBe(0);
    const me = await hub.gql('{ me { sub agency { code } roles } }', {}, minted.stdout.trim());
    expect(me.data).toEqual({ me: { sub: 'hv-7', agency: { code: 'NHEALTH' }, roles: ['PRACTITIONER', 'MASH_RESEARCHER'] } });

    const production = await cli('token.js', ['--agency', 'NHEALTH'], { JWT_SECRET: TEST_SECRET.repeat(2), NODE_ENV: 'production' });
    expect(production.code).toBe(2);
    expect(production.stderr).toMatch(/refuses/);
    const badRole = await cli('token.js', ['--agency', 'NHEALTH', '--role', 'ROOT'], { JWT_SECRET: TEST_SECRET });
    expect(badRole.code).toBe(2);
  });

  it('npm run verify-audit passes an intact chain and fails a tampered one', async () => {
    const child = await createChild(hub);
    const token = hub.token('NCSC', ['MASH_RESEARCHER']);
    await hub.gql(`{ child(id: "${child.id}") { id } }`, {}, token);
    await hub.gql(`{ child(id: "${child.id}") { givenName } }`, {}, token);

    const intact = await cli('verify-audit.js', [], { DATABASE_URL: hub.databaseUrl });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/audit chain intact: [1-9]\d* rows verified/);

    await hub.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL session_replication_role = replica');
      await manager.query("UPDATE audit_event SET action = 'CHILD_SEARCH' WHERE seq = (SELECT min(seq) FROM audit_event)");
    });
    const broken = await cli('verify-audit.js', [], { DATABASE_URL: hub.databaseUrl });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/audit chain BROKEN at seq 1/);
  });
});
