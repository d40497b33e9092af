import { OneAtATime } from './one-at-a-time';

/** A run that stays under way until the test ends it, recording what each run was given. */
function controlledRuns() {
  const runs: number[][] = [];
  const ends: Array<() => void> = [];
  const run = (items: number[]): Promise<void> => {
    runs.push(items);
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  return { runs, ends, run };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OneAtATime', () => {
  it('starts the first item at once, and gathers everything added meanwhile into the next run', async () => {
    const { runs, ends, run } = controlledRuns();
    const scheduler = new OneAtATime<number>(run, () => undefined);
    scheduler.add(1);
    expect(runs).toEqual([[1]]);
    scheduler.add(2);
    scheduler.add(3);
    expect(runs).toEqual([[1]]);
    ends[0]();
    await turn();
    expect(runs).toEqual([[1], [2, 3]]);
    scheduler.add(4);
    ends[1]();
    await turn();
    expect(runs).toEqual([[1], [2, 3], [4]]);
    ends[2]();
    await scheduler.idle();
  });

  it('with deferStart, sends everything added in one turn of the event loop as one run', async () => {
    const { runs, ends, run } = controlledRuns();
    const scheduler = new OneAtATime<number>(run, () => undefined, { deferStart: true });
    scheduler.add(1);
    scheduler.add(2);
    expect(runs).toEqual([]);
    await turn();
    expect(runs).toEqual([[1, 2]]);
    ends[0]();
    await scheduler.idle();
    expect(runs).toHaveLength(1);
  });

  it('hands a failed run\'s items to `failed` and goes on with the next', async () => {
    const failed: Array<[number[], unknown]> = [];
    let calls = 0;
    const scheduler = new OneAtATime<number>(
      async (items) => {
        calls += 1;
        if (items.includes(1)) throw new Error('refused');
      },
      (items, error) => failed.push([[...items], error]),
    );
    scheduler.add(1);
    scheduler.add(2);
    await scheduler.idle();
    expect(failed).toEqual([[[1], new Error('refused')]]);
    expect(calls).toBe(2);
  });

  it('is idle only once nothing is waiting or under way', async () => {
    const { ends, run } = controlledRuns();
    const scheduler = new OneAtATime<number>(run, () => undefined, { deferStart: true });
    let idle = false;
    scheduler.add(1);
    void scheduler.idle().then(() => (idle = true));
    await turn();
    scheduler.add(2);
    ends[0]();
    await turn();
    expect(idle).toBe(false);
    ends[1]();
    await turn();
    await turn();
    expect(idle).toBe(true);
  });
});
