import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISPATCH_RULES, dispatch, dueDates, type DispatchRule } from './dispatch.js';
import { ScheduleOptionsError } from './errors.js';
import { validateSchedule, type JobShopInstance } from './instance.js';
import { parseOrLibrary } from './orlib.js';

const example = (name: string): JobShopInstance =>
  parseOrLibrary(readFileSync(new URL(`../../../examples/jobshop/${name}.txt`, import.meta.url), 'utf8'));

// Plant-like instances: routes that skip or revisit machines, zero times, releases, due dates, weights.
const plantInstance = fc.integer({ min: 1, max: 5 }).chain((machines) =>
  fc.record({
    machines: fc.constant(machines),
    jobs: fc.array(
      fc.record(
        {
          operations: fc.array(
            fc.record({
              machine: fc.integer({ min: 0, max: machines - 1 }),
              duration: fc.integer({ min: 0, max: 20 }),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          release: fc.integer({ min: 0, max: 30 }),
          due: fc.integer({ min: -10, max: 120 }),
          weight: fc.double({ min: 0.1, max: 5, noNaN: true }),
        },
        { requiredKeys: ['operations'] },
      ),
      { minLength: 1, maxLength: 7 },
    ),
  }),
);

describe('dispatch', () => {
  const cases = DISPATCH_RULES.flatMap((rule) =>
    (['non-delay', 'active'] as const).map((mode) => [rule, mode] as const),
  );

  it.each(cases)('%s (%s) yields a valid schedule on every example instance', (rule, mode) => {
    for (const name of ['ft06', 'ft10', 'la01', 'la06']) {
      const instance = example(name);
      const schedule = dispatch(instance, rule, { mode });
      expect(validateSchedule(instance, schedule)).toEqual([]);
    }
  });

  it.each(cases)('%s (%s) yields a valid schedule on generated plant orders', (rule, mode) => {
    fc.assert(
      fc.property(plantInstance, (instance) => {
        expect(validateSchedule(instance, dispatch(instance, rule, { mode, atcK: 3 }))).toEqual([]);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it('gives the textbook non-delay SPT makespan on ft10', () => {
    expect(dispatch(example('ft10'), 'SPT').makespan).toBe(1074);
  });

  it('never idles a machine in non-delay mode while an operation waits for it', () => {
    const instance = example('la01');
    const schedule = dispatch(instance, 'FIFO');
    // At each start time, no other operation that was ready earlier waited on that machine.
    const busyUntil = new Map<number, number>();
    const ops = instance.jobs.flatMap((job, j) =>
      job.operations.map((op, k) => ({ ...op, start: schedule.starts[j]![k]! })),
    );
    for (const op of ops.sort((a, b) => a.start - b.start)) {
      expect(op.start).toBeGreaterThanOrEqual(busyUntil.get(op.machine) ?? 0);
      busyUntil.set(op.machine, op.start + op.duration);
    }
  });

  it('puts urgent jobs first under EDD, short operations first under SPT', () => {
    const instance: JobShopInstance = {
      machines: 1,
      jobs: [
        { due: 50, operations: [{ machine: 0, duration: 2 }] },
        { due: 10, operations: [{ machine: 0, duration: 9 }] },
      ],
    };
    expect(dispatch(instance, 'EDD').starts).toEqual([[9], [0]]);
    expect(dispatch(instance, 'SPT').starts).toEqual([[0], [2]]);
    expect(dispatch(instance, 'FIFO').starts).toEqual([[0], [2]]);
  });

  it('weighs heavy jobs first under ATC when due dates do not decide', () => {
    const instance: JobShopInstance = {
      machines: 1,
      jobs: [
        { due: 0, weight: 1, operations: [{ machine: 0, duration: 5 }] },
        { due: 0, weight: 4, operations: [{ machine: 0, duration: 5 }] },
      ],
    };
    expect(dispatch(instance, 'ATC').starts).toEqual([[5], [0]]);
  });

  it('ranks late jobs by how late they are under CR', () => {
    const instance: JobShopInstance = {
      machines: 1,
      jobs: [
        { due: 20, operations: [{ machine: 0, duration: 4 }] },
        { due: 3, operations: [{ machine: 0, duration: 4 }] },
        { due: -5, operations: [{ machine: 0, duration: 4 }] },
      ],
    };
    expect(dispatch(instance, 'CR').starts).toEqual([[8], [4], [0]]);
  });

  it('defaults due dates to release plus 1.5 × total work', () => {
    const instance: JobShopInstance = {
      machines: 2,
      jobs: [
        {
          release: 4,
          operations: [
            { machine: 0, duration: 2 },
            { machine: 1, duration: 6 },
          ],
        },
        { due: 7, operations: [{ machine: 1, duration: 1 }] },
      ],
    };
    expect(dueDates(instance)).toEqual([16, 7]);
    expect(dueDates(instance, 2)).toEqual([20, 7]);
  });

  it.each([
    ['an unknown rule', () => dispatch(example('ft06'), 'LPT' as DispatchRule)],
    ['a zero ATC k', () => dispatch(example('ft06'), 'ATC', { atcK: 0 })],
    ['a negative due-date factor', () => dispatch(example('ft06'), 'EDD', { dueDateFactor: -1 })],
    ['an unknown mode', () => dispatch(example('ft06'), 'SPT', { mode: 'lazy' as 'active' })],
  ])('rejects %s', (_, run) => {
    expect(run).toThrow(ScheduleOptionsError);
  });
});
