import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger';

/**
 * Serving from several processes (HUB_PROCESSES). The primary has already migrated the database;
 * each worker opens its own pools and serves on the same port, the primary handing each new
 * connection to the next worker in turn. Nothing a request needs is held only in one process:
 * the audit chain is extended by the database, batches lock in the database, and the agency
 * list each process keeps is re-read within the same short while as with one process.
 *
 * A worker that dies unexpectedly is replaced, at most once a second; a replacement that cannot
 * start is tried again, less and less often, so the hub comes back once the cause has passed.
 * A replacement listens on the port the first workers were given: when every worker has died,
 * Node closes the shared socket, and with `PORT=0` the next listen would otherwise pick a new
 * port, leaving the announced address dead. Until one is listening again, connections are
 * refused; with `PORT=0`, should another program take the freed port meanwhile, replacements
 * keep failing to start (and are retried as above). A hub in service has a fixed port.
 */
export interface WorkerSet {
  /** The port the workers share. */
  readonly port: number;
  /** Process ids of the workers now running. */
  pids(): number[];
  /** Asks every worker to finish its requests and stop, and waits until all have; fails if one did not stop cleanly. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly count: number;
  /** Variables a worker reads its configuration from, on top of this process's own. */
  readonly env: Record<string, string>;
  /** The worker's script; by default this process's own. */
  readonly exec?: string;
  readonly execArgv?: string[];
  readonly logger: Pick<Logger, 'info' | 'error'>;
}

const RESTART_INTERVAL_MS = 1000;
const MAX_RESTART_INTERVAL_MS = 60_000;

/** Forks the workers and resolves once every one is listening; rejects if one exits first. */
export async function startWorkers(options: WorkerOptions): Promise<WorkerSet> {
  cluster.setupPrimary({ exec: options.exec ?? process.argv[1], execArgv: options.execArgv ?? process.execArgv, args: [] });
  const workers = new Set<Worker>();
  let stopping = false;
  let lastRestart = 0;
  let port = 0;

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      // The first workers share a port of the system's choosing when PORT is 0; later ones rejoin it.
      const worker = cluster.fork(port === 0 ? options.env : { ...options.env, PORT: String(port) });
      workers.add(worker);
      const failedToStart = (code: number | null, signal: string | null): void => {
        workers.delete(worker);
        reject(new Error(`a hub worker exited before it was listening (${signal ?? `exit code ${code}`})`));
      };
      worker.once('exit', failedToStart);
      worker.once('listening', (address) => {
        worker.off('exit', failedToStart);
        port = address.port;
        worker.once('exit', (code, signal) => {
          workers.delete(worker);
          if (stopping) return;
          options.logger.error({ pid: worker.process.pid, code, signal }, 'a hub worker stopped unexpectedly; replacing it');
          replace(RESTART_INTERVAL_MS);
        });
        resolve(worker);
      });
    });

  // One replacement at a time, at least a second apart; one that cannot start (the database
  // down, say) is tried again, waiting twice as long each time up to a minute.
  const replace = (delayMs: number): void => {
    const wait = Math.max(0, lastRestart + delayMs - Date.now());
    lastRestart = Date.now() + wait;
    setTimeout(() => {
      if (stopping) return;
      fork().catch((error: unknown) => {
        options.logger.error({ err: error }, 'a replacement hub worker did not start; trying again');
        replace(Math.min(delayMs * 2, MAX_RESTART_INTERVAL_MS));
      });
    }, wait);
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    const clean = await Promise.all([...workers].map((worker) => new Promise<boolean>((resolve) => {
      if (worker.isDead()) return resolve(worker.process.exitCode === 0);
      // A worker still loading when asked to stop ends by the signal itself: nothing was under way.
      worker.once('exit', (code, signal) => resolve(code === 0 || (code === null && signal === 'SIGTERM')));
      worker.process.kill('SIGTERM');
    })));
    const failed = clean.filter((ok) => !ok).length;
    if (failed > 0) throw new Error(`${failed} hub worker(s) did not stop cleanly`);
  };

  try {
    await Promise.all(Array.from({ length: options.count }, fork));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  options.logger.info({ workers: options.count, port }, 'hub workers listening');
  return {
    port,
    pids: () => [...workers].map((worker) => worker.process.pid).filter((pid): pid is number => pid !== undefined),
    stop,
  };
}
