import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { verifyAuditChain } from '../../src/modules/audit/chain-verifier';
import { createChild, createCounty } from '../factories';
import { startHub, TEST_SECRET, type Hub } from '../support/harness';
import { freePort } from '../support/global-setup';

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

  it('npm run agency creates an agency a token may then name, audited, and refuses a bad kind', async () => {
    const made = await cli('agency.js', ['--code', 'NPROB', '--name', 'Northshire Probation', '--kind', 'PROBATION', '--by', 'Hub operator'], { DATABASE_URL: hub.databaseUrl });
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/agency NPROB \(PROBATION\): Northshire Probation/);
    const me = await hub.gql<{ me: { agency: { code: string; name: string } } }>(`{ me { agency { code name } } }`, {}, hub.token('NPROB', ['PRACTITIONER']));
    expect(me.data?.me.agency).toEqual({ code: 'NPROB', name: 'Northshire Probation' });
    const [audit] = await hub.sql<{ actor_sub: string; actor_name: string; query: { code: string } }>(
      `SELECT actor_sub, actor_name, query FROM audit_event WHERE action = 'AGENCY_UPSERT' ORDER BY seq DESC LIMIT 1`);
    expect(audit).toMatchObject({ actor_name: 'Hub operator', query: { code: 'NPROB' } });
    expect(audit.actor_sub).toMatch(/^cli:/);
    const refused = await cli('agency.js', ['--code', 'NX', '--name', 'Nowhere', '--kind', 'BAKERY'], { DATABASE_URL: hub.databaseUrl });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--kind must be one of/);
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

/** Processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Checks every 100 ms until `condition` holds; fails after 20 s, naming what it waited for. */
async function until(condition: () => boolean, what: string): Promise<void> {
  await untilAsync(async () => condition(), what);
}

async function untilAsync(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 100) {
    if (waited > 20_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `npm start` (the built `dist/src/main.js`) as a child process, with the test's key, a free
 * port and silent logs unless `env` says otherwise. `serving` resolves with the URL and process
 * count it announces, and rejects if it exits first.
 */
function startHubProcess(env: Record<string, string>): { started: ChildProcess; serving: Promise<{ url: string; processes: number }>; output: () => string } {
  const started = spawn('node', [path.join(root, 'dist/src/main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', JWT_SECRET: TEST_SECRET, ...env },
  });
  let output = '';
  const serving = new Promise<{ url: string; processes: number }>((resolve, reject) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const announced = output.match(/serving GraphQL at (\S+?)(?: from (\d+) processes)?\n/);
      if (announced) resolve({ url: announced[1], processes: Number(announced[2] ?? 1) });
    });
    started.once('exit', (code) => reject(new Error(`the hub exited with ${code} before serving`)));
  });
  return { started, serving, output: () => output };
}

/** Posts a GraphQL query over a connection of its own (no keep-alive pool) and resolves with the parsed answer. */
function askOnNewConnection(url: string, token: string, query: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** As `askOnNewConnection`, trying again while connections are refused (no worker listening yet), for up to 20 s. */
async function askOnceListening(url: string, token: string, query: string): Promise<unknown> {
  for (let waited = 0; ; waited += 100) {
    try {
      return await askOnNewConnection(url, token, query);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || waited > 20_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Sends SIGTERM and resolves with the exit code. */
function stopHubProcess(started: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
  started.kill('SIGTERM');
  return exited;
}

describe('npm start with HUB_PROCESSES', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
  }, 60_000);
  afterAll(() => hub.stop());

  it('serves from that many workers on one port, keeps one audit chain, replaces a worker that dies, and stops them all', async () => {
    const { started, serving } = startHubProcess({ DATABASE_URL: hub.databaseUrl, HUB_PROCESSES: '2', DEMO_DATA: 'false' });
    const pid = started.pid as number;
    try {
      const { url, processes } = await serving;
      expect(processes).toBe(2);
      const workers = childrenOf(pid);
      expect(workers).toHaveLength(2);

      const child = await createChild(hub);
      const token = hub.token('NCSC', ['MASH_RESEARCHER'], 'multi-process-researcher');
      const query = `{ child(id: "${child.id}") { givenName } }`;
      const ask = async (): Promise<unknown> => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query }),
        });
        return response.json();
      };
      const answers = await Promise.all(Array.from({ length: 40 }, ask));
      expect(answers).toEqual(Array.from({ length: 40 }, () => ({ data: { child: { givenName: child.givenName } } })));
      // Both workers appended to the chain at once: every read is there, and the chain is whole.
      const [{ reads }] = await hub.sql<{ reads: string }>(`SELECT count(*) AS reads FROM audit_event WHERE actor_sub = 'multi-process-researcher' AND action = 'CHILD_VIEW'`);
      expect(Number(reads)).toBe(40);
      expect((await verifyAuditChain(hub.dataSource)).ok).toBe(true);

      // A killed worker takes its connections with it, so asking again uses new ones: fetch's
      // kept-alive sockets to the dead worker fail if reused before their end has been read.
      const answer = { data: { child: { givenName: child.givenName } } };
      process.kill(workers[0], 'SIGKILL');
      await until(() => childrenOf(pid).length === 2 && !childrenOf(pid).includes(workers[0]), 'the first dead worker is replaced');
      // The other worker still listens, so nothing is refused.
      expect(await askOnNewConnection(url, token, query)).toEqual(answer);

      // Every worker killed at once: Node closes the shared socket, and the replacements must
      // listen on the announced port again (with PORT=0 a new listen would pick another). Until
      // one listens, connections are refused.
      const killed = childrenOf(pid);
      for (const worker of killed) process.kill(worker, 'SIGKILL');
      await until(() => childrenOf(pid).length === 2 && !childrenOf(pid).some((worker) => killed.includes(worker)), 'every dead worker is replaced');
      expect(await askOnceListening(url, token, query)).toEqual(answer);

      const running = childrenOf(pid);
      expect(await stopHubProcess(started)).toBe(0);
      expect(running.filter((worker) => existsSync(`/proc/${worker}`))).toEqual([]);
    } finally {
      if (started.exitCode === null) started.kill('SIGKILL');
    }
  }, 60_000);

  it('one process (the default) also finishes and exits 0 on SIGTERM', async () => {
    const { started, serving } = startHubProcess({ DATABASE_URL: hub.databaseUrl, DEMO_DATA: 'false' });
    try {
      expect((await serving).processes).toBe(1);
      expect(childrenOf(started.pid as number)).toEqual([]);
      const signalled = Date.now();
      expect(await stopHubProcess(started)).toBe(0);
      // An idle hub stops at once; it used to wait out Apollo's own signal handling (10 s).
      expect(Date.now() - signalled).toBeLessThan(5000);
    } finally {
      if (started.exitCode === null) started.kill('SIGKILL');
    }
  }, 60_000);

  it('lets the command-line tools use the embedded database a running hub serves from', async () => {
    const dataDir = path.join(tmpdir(), `mash-tools-${process.pid}-${Date.now()}`);
    const pgPort = String(await freePort());
    const { started, serving } = startHubProcess({ MASH_DATA_DIR: dataDir, EMBEDDED_PG_PORT: pgPort, DEMO_DATA: 'false' });
    try {
      await serving;
      const made = await cli('agency.js', ['--code', 'NYOT', '--name', 'Northshire Youth Offending Team', '--kind', 'OTHER'], { MASH_DATA_DIR: dataDir, EMBEDDED_PG_PORT: pgPort });
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      const verified = await cli('verify-audit.js', [], { MASH_DATA_DIR: dataDir, EMBEDDED_PG_PORT: pgPort });
      expect(verified.code).toBe(0);
      // The tools left the hub's database running: the hub still answers.
      const readyz = await fetch((await serving).url.replace('/graphql', '/readyz'));
      expect(readyz.status).toBe(200);
      expect(await stopHubProcess(started)).toBe(0);
    } finally {
      if (started.exitCode === null) started.kill('SIGKILL');
    }
  }, 60_000);

  it('with its embedded PostgreSQL, stops the database only after the workers have finished their requests', async () => {
    // Left for the hub to create, so the database's own user owns it when running as root.
    const dataDir = path.join(tmpdir(), `mash-start-${process.pid}-${Date.now()}`);
    const pgPort = await freePort();
    const { started, serving, output } = startHubProcess({
      MASH_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), HUB_PROCESSES: '2', DEMO_DATA: 'true', LOG_LEVEL: 'info',
    });
    const holder = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/mash` });
    // Its connection ends when the hub stops the database at the very end.
    holder.on('error', () => undefined);
    try {
      const { url, processes } = await serving;
      expect(processes).toBe(2);
      // Hold the audit chain's lock, so a search is still being recorded when the signal comes.
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock(7340001)');
      const token = hub.token('NPOL', ['MASH_RESEARCHER']);
      const answer = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ searchChildren(input: { name: "Zzzz" }) { edges { node { id } } } }' }),
      }).then((response) => response.json());
      // Signal only once the search's audit append is waiting for the lock, however slow the machine.
      await untilAsync(async () => {
        const { rows } = await holder.query(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = 7340001 AND objsubid = 1 AND NOT granted",
        );
        return rows.length > 0;
      }, 'the search waits to be recorded');
      const exited = stopHubProcess(started);
      // The starting process and both workers say they are stopping before the lock is let go.
      await until(() => (output().match(/"msg":"stopping"/g) ?? []).length === 3, 'every process has the signal');
      await holder.query('SELECT pg_advisory_unlock(7340001)');
      // The search was recorded and answered; the database went only after the workers.
      expect(await answer).toEqual({ data: { searchChildren: { edges: [] } } });
      expect(await exited).toBe(0);
    } finally {
      await holder.end().catch(() => undefined);
      if (started.exitCode === null) started.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
