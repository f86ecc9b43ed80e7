import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch.js';
import { ScheduleOptionsError } from './errors.js';
import { solve } from './index.js';
import { validateSchedule, type JobShopInstance } from './instance.js';
import { parseOrLibrary } from './orlib.js';
import { improve } from './tabu.js';
import { jobShopInstances } from './test-instances.js';

function example(name: string): { instance: JobShopInstance; optimum: number } {
  const text = readFileSync(new URL(`../../../examples/jobshop/${name}.txt`, import.meta.url), 'utf8');
  return { instance: parseOrLibrary(text), optimum: Number(/Optimum makespan: (\d+)/.exec(text)![1]) };
}

const NAMES = [
  'ft06',
  'ft10',
  'la01',
  'la02',
  'la03',
  'la04',
  'la05',
  'la06',
  'la07',
  'la08',
  'la09',
  'la10',
];

describe('improve', () => {
  it('reaches the optimum 55 on ft06 from the FIFO schedule', () => {
    const { instance } = example('ft06');
    const initial = dispatch(instance, 'FIFO');
    expect(initial.makespan).toBeGreaterThan(55);
    const result = improve(instance, initial, { seed: 1, maxIterations: 5000, target: 55 });
    expect(result.makespan).toBe(55);
    expect(result.schedule.makespan).toBe(55);
    expect(validateSchedule(instance, result.schedule)).toEqual([]);
  });

  // A guard on the data as much as on the search: a makespan below a proven optimum means a typo.
  it.each(NAMES)('improves %s to a valid schedule that never beats the known optimum', (name) => {
    const { instance, optimum } = example(name);
    const initial = dispatch(instance, 'SPT');
    const result = improve(instance, initial, { seed: 3, maxIterations: 3000 });
    expect(validateSchedule(instance, result.schedule)).toEqual([]);
    expect(result.makespan).toBeGreaterThanOrEqual(optimum);
    expect(result.makespan).toBeLessThanOrEqual(initial.makespan);
    expect(result.initialMakespan).toBe(initial.makespan);
    expect(result.makespan).toBeLessThan(initial.makespan);
  });

  // With N5 moves and restarts from the single best schedule, seeds 2 and 6 on ft10 from SPT found
  // 945 by move 12,089 and 23,867 and nothing better in the 80,000 moves measured: stuck. The wider
  // neighbourhood and the restarts must keep such a seed going: more moves, a shorter schedule.
  it.each([2, 6])(
    'keeps improving with more moves on ft10 with seed %i, a seed that used to stall',
    (seed) => {
      const { instance, optimum } = example('ft10');
      const initial = dispatch(instance, 'SPT');
      const early = improve(instance, initial, { seed, maxIterations: 20_000 });
      const late = improve(instance, initial, { seed, maxIterations: 80_000 });
      expect(late.makespan).toBeLessThan(early.makespan);
      expect(late.makespan).toBeLessThan(945);
      expect(late.makespan).toBeGreaterThanOrEqual(optimum);
      expect(late.iterationsToBest).toBeGreaterThan(20_000);
      expect(late.restarts).toBeGreaterThan(0);
      expect(validateSchedule(instance, late.schedule)).toEqual([]);
    },
  );

  it('is deterministic for a seed, and the seed matters', () => {
    const { instance } = example('ft10');
    const initial = dispatch(instance, 'SPT');
    const run = (seed: number) => improve(instance, initial, { seed, maxIterations: 4000 });
    const first = run(11);
    expect(run(11)).toEqual(first);
    const others = [12, 13, 14].map((seed) => run(seed).schedule);
    expect(others.some((schedule) => JSON.stringify(schedule) !== JSON.stringify(first.schedule))).toBe(true);
  });

  it('stops at the time limit of the clock it is given, and times the best', () => {
    const { instance } = example('ft10');
    let clock = 0;
    const now = (): number => (clock += 1);
    const result = improve(instance, dispatch(instance, 'SPT'), { seed: 1, timeLimitMs: 640, now });
    // The clock is read once every 64 moves, plus once per new best.
    expect(result.iterations).toBeLessThanOrEqual(640 * 64);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(640);
    expect(result.timeToBestMs).toBeGreaterThan(0);
    expect(result.timeToBestMs).toBeLessThanOrEqual(result.elapsedMs!);
  });

  it('reports no time without a clock, and proves optimality when a lower bound is met', () => {
    const { instance } = example('la06');
    const result = improve(instance, dispatch(instance, 'FIFO'), { maxIterations: 100 });
    expect(result.timeToBestMs).toBeUndefined();
    expect(result.makespan).toBe(926);
    expect(result.provedOptimal).toBe(true);
    expect(result.iterations).toBe(0);
  });

  it('improves generated plant orders without breaking them', () => {
    const plantInstance = jobShopInstances({
      maxMachines: 4,
      maxJobs: 6,
      maxOperations: 5,
      maxDuration: 15,
      maxRelease: 20,
    });

    fc.assert(
      fc.property(plantInstance, fc.integer({ min: 0, max: 1000 }), (instance, seed) => {
        const initial = dispatch(instance, 'FIFO', { mode: 'active' });
        const result = improve(instance, initial, { seed, maxIterations: 200, stallIterations: 30 });
        expect(validateSchedule(instance, result.schedule)).toEqual([]);
        expect(result.makespan).toBeLessThanOrEqual(initial.makespan);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it.each([
    [
      'an infeasible initial schedule',
      { starts: [[0], [0]], makespan: 5 },
      {},
      /initial schedule is infeasible: machine 0/,
    ],
    [
      'a negative iteration limit',
      undefined,
      { maxIterations: -1 },
      /maxIterations must be a non-negative number/,
    ],
    ['a time limit without a clock', undefined, { timeLimitMs: 10 }, /a time limit needs a clock/],
    ['no bound at all', undefined, { maxIterations: Infinity }, /an unbounded search needs a time limit/],
    ['a fractional seed', undefined, { seed: 0.5 }, /seed must be an integer/],
  ])('rejects %s', (_, initial, options, message) => {
    const instance: JobShopInstance = {
      machines: 1,
      jobs: [{ operations: [{ machine: 0, duration: 5 }] }, { operations: [{ machine: 0, duration: 5 }] }],
    };
    const run = () => improve(instance, initial ?? dispatch(instance, 'FIFO'), options);
    expect(run).toThrow(ScheduleOptionsError);
    expect(run).toThrow(message);
  });
});

describe('solve', () => {
  it('starts from the best dispatching rule and reaches 55 on ft06', () => {
    const result = solve(example('ft06').instance, { seed: 1, maxIterations: 5000, target: 55 });
    expect(result.makespan).toBe(55);
    expect(['FIFO', 'SPT', 'EDD', 'CR', 'ATC']).toContain(result.rule);
  });
});
