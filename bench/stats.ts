/** Latency summaries for the benchmark: nearest-rank percentiles over measured samples. */
export interface LatencySummary {
  readonly count: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 100) / 100;
  return { count: sorted.length, medianMs: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? Number.NaN) };
}

/** Runs `task` `warmup` times unmeasured, then `runs` times, returning each run's milliseconds. */
export async function timeRuns(runs: number, warmup: number, task: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await task(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await task(warmup + i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

/**
 * Runs several tasks in turn, `warmup` rounds unmeasured and then `runs` rounds, returning each
 * task's milliseconds. Taking turns puts every task under the same conditions: on a shared
 * machine whose speed drifts during a run, measuring one task after the other would compare
 * different moments rather than different tasks.
 */
export async function timeInTurn(runs: number, warmup: number, tasks: ReadonlyArray<() => Promise<void>>): Promise<number[][]> {
  const samples: number[][] = tasks.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (const [t, task] of tasks.entries()) {
      const started = process.hrtime.bigint();
      await task();
      if (round >= warmup) samples[t].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return samples;
}
