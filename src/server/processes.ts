import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger';

/**
 * Serving from several processes (HUB_PROCESSES). The primary has already migrated the database;
 * each worker opens its own pools and serves on the same port, the primary handing each new
 * connection to the next worker in turn. Nothing a request needs is held only in one process:
 * the audit chain is extended by the database, batches lock in the database, and the agency
 * list each process keeps is re-read within the same short while as with one process.
 *
 * A worker that dies unexpectedly is replaced, at most once a second, so a worker that cannot
 * start is not restarted in a tight loop.
 */
export interface WorkerSet {
  /** The port the workers share. */
  readonly port: number;
  /** Process ids of the workers now running. */
  pids(): number[];
  /** Asks every worker to finish its requests and stop, and waits until all have. */
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

/** Forks the workers and resolves once every one is listening; rejects if one exits first. */
export async function startWorkers(options: WorkerOptions): Promise<WorkerSet> {
  cluster.setupPrimary({ exec: options.exec ?? process.argv[1], execArgv: options.execArgv ?? process.execArgv, args: [] });
  const workers = new Set<Worker>();
  let stopping = false;
  let lastRestart = 0;
  let port = 0;

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(options.env);
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
          const wait = Math.max(0, lastRestart + RESTART_INTERVAL_MS - Date.now());
          lastRestart = Date.now() + wait;
          setTimeout(() => {
            if (!stopping) fork().catch((error: unknown) => options.logger.error({ err: error }, 'a replacement hub worker did not start'));
          }, wait);
        });
        resolve(worker);
      });
    });

  const stop = async (): Promise<void> => {
    stopping = true;
    const exits = [...workers].map((worker) => new Promise<void>((resolve) => {
      if (worker.isDead()) return resolve();
      worker.once('exit', () => resolve());
      worker.process.kill('SIGTERM');
    }));
    await Promise.all(exits);
  };

  try {
    await Promise.all(Array.from({ length: options.count }, fork));
  } catch (error) {
    await stop();
    throw error;
  }
  options.logger.info({ workers: options.count, port }, 'hub workers listening');
  return {
    port,
    pids: () => [...workers].map((worker) => worker.process.pid).filter((pid): pid is number => pid !== undefined),
    stop,
  };
}
