import { describe, expect, it } from 'vitest';
import { SimParameterError } from './errors.js';
import { runReplication, runReplications, summarizeReplications, type ModelBuilder } from './replications.js';

/** A counter of unit-rate arrivals and a level that is 100 during the first 10 time units, then 1. */
const build: ModelBuilder = ({ sim, random, replication }) => {
  const arrivals = random(0);
  const level = sim.timeWeighted(100);
  const count = sim.tally();
  sim.schedule(10, () => level.set(1));
  const arrive = (): void => {
    count.add(1);
    sim.schedule(arrivals.exponential(1), arrive);
  };
  sim.schedule(arrivals.exponential(1), arrive);
  return () => ({ level: level.mean, arrivals: count.count, replication });
};

describe('replications', () => {
  it('delete the warm-up from every registered statistic', () => {
    expect(runReplication(build, { seed: 1, warmup: 10, runLength: 90 }, 0).level).toBe(1);
    expect(runReplication(build, { seed: 1, runLength: 100 }, 0).level).toBeCloseTo(
      (100 * 10 + 90) / 100,
      12,
    );
  });

  it('give each replication its own streams and summarise with Student-t intervals', () => {
    const progress: number[] = [];
    const result = runReplications(build, {
      seed: 5,
      replications: 8,
      warmup: 10,
      runLength: 1000,
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const arrivals = result.metrics.arrivals!;
    expect(new Set(arrivals.values).size).toBeGreaterThan(1);
    expect(arrivals.low <= 1000 && 1000 <= arrivals.high).toBe(true);
    expect(result.metrics.replication!.values).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Split across workers and merged, the rows give the same summary as one serial run.
    const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((r) =>
      runReplication(build, { seed: 5, warmup: 10, runLength: 1000 }, r),
    );
    expect(summarizeReplications(rows)).toEqual(result.metrics);
  });

  it('reject a bad plan naming the field', () => {
    const bad = [
      { seed: 1.5, replications: 2, runLength: 10 },
      { seed: 1, replications: 0, runLength: 10 },
      { seed: 1, replications: 2, runLength: 0 },
      { seed: 1, replications: 2, runLength: 10, warmup: -1 },
    ];
    const fields = bad.map((options) => {
      try {
        runReplications(build, options);
        return 'none';
      } catch (error) {
        expect(error).toBeInstanceOf(SimParameterError);
        return (error as SimParameterError).parameter;
      }
    });
    expect(fields).toEqual(['seed', 'replications', 'runLength', 'warmup']);
  });
});
