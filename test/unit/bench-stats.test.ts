import { percentile, summarise, timeInTurn } from '../../bench/stats';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(100);
    expect(percentile(sorted, 99)).toBe(198);
    expect(summarise([3, 1, 2])).toEqual({ count: 3, medianMs: 2, p99Ms: 3, maxMs: 3 });
  });

  it('runs tasks in turn, leaving the warm-up rounds out of the samples', async () => {
    const calls: string[] = [];
    const samples = await timeInTurn(3, 2, [async () => void calls.push('api'), async () => void calls.push('floor')]);
    expect(calls).toEqual(Array.from({ length: 5 }, () => ['api', 'floor']).flat());
    expect(samples.map((s) => s.length)).toEqual([3, 3]);
    expect(samples.flat().every((ms) => ms >= 0)).toBe(true);
  });
});
