import { describe, expect, it } from 'vitest';
import { ScheduleInstanceError } from './errors.js';
import { lowerBound, validateInstance, validateSchedule, type JobShopInstance } from './instance.js';

// Two jobs over two machines; job 1 is released at 2.
const instance: JobShopInstance = {
  machines: 2,
  jobs: [
    {
      operations: [
        { machine: 0, duration: 3 },
        { machine: 1, duration: 2 },
      ],
    },
    {
      release: 2,
      operations: [
        { machine: 1, duration: 4 },
        { machine: 0, duration: 1 },
      ],
    },
  ],
};

describe('validateSchedule', () => {
  it('accepts a feasible schedule', () => {
    expect(
      validateSchedule(instance, {
        starts: [
          [0, 6],
          [2, 6],
        ],
        makespan: 8,
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'precedence',
      {
        starts: [
          [0, 2],
          [2, 6],
        ],
        makespan: 7,
      },
      /job 0 operation 1 starts at 2, before 3/,
    ],
    [
      'release',
      {
        starts: [
          [0, 6],
          [1, 6],
        ],
        makespan: 8,
      },
      /job 1 operation 0 starts at 1, before 2/,
    ],
    [
      'overlap',
      {
        starts: [
          [0, 5],
          [2, 6],
        ],
        makespan: 7,
      },
      /machine 1: job 0 operation 1 starts at 5, while job 1 operation 0 runs until 6/,
    ],
    [
      'makespan',
      {
        starts: [
          [0, 6],
          [2, 6],
        ],
        makespan: 9,
      },
      /makespan 9, last operation ends at 8/,
    ],
    ['shape', { starts: [[0, 6]], makespan: 8 }, /1 jobs in schedule, 2 in instance/],
    ['shape', { starts: [[0], [2, 6]], makespan: 8 }, /job 0: 1 start times for 2 operations/],
    [
      'shape',
      {
        starts: [
          [0, NaN],
          [2, 6],
        ],
        makespan: 8,
      },
      /start NaN is not finite/,
    ],
  ])('reports a %s violation', (kind, schedule, message) => {
    const violations = validateSchedule(instance, schedule);
    expect(violations.map((v) => v.kind)).toContain(kind);
    expect(violations.map((v) => v.message).join('\n')).toMatch(message);
  });

  it('lets zero-length operations share a machine instant', () => {
    const zero: JobShopInstance = {
      machines: 1,
      jobs: [{ operations: [{ machine: 0, duration: 0 }] }, { operations: [{ machine: 0, duration: 3 }] }],
    };
    expect(validateSchedule(zero, { starts: [[1], [0]], makespan: 3 })).toEqual([]);
  });
});

describe('validateInstance', () => {
  it.each([
    ['no machines', { machines: 0, jobs: [] }, '/machines'],
    ['no jobs', { machines: 1, jobs: [] }, '/jobs'],
    ['an empty job', { machines: 1, jobs: [{ operations: [] }] }, '/jobs/0/operations'],
    [
      'a machine out of range',
      { machines: 1, jobs: [{ operations: [{ machine: 1, duration: 1 }] }] },
      '/jobs/0/operations/0/machine',
    ],
    [
      'a fractional duration',
      { machines: 1, jobs: [{ operations: [{ machine: 0, duration: 0.5 }] }] },
      '/jobs/0/operations/0/duration',
    ],
    [
      'a negative release',
      { machines: 1, jobs: [{ release: -1, operations: [{ machine: 0, duration: 1 }] }] },
      '/jobs/0/release',
    ],
    [
      'an infinite due date',
      { machines: 1, jobs: [{ due: Infinity, operations: [{ machine: 0, duration: 1 }] }] },
      '/jobs/0/due',
    ],
    [
      'a zero weight',
      { machines: 1, jobs: [{ weight: 0, operations: [{ machine: 0, duration: 1 }] }] },
      '/jobs/0/weight',
    ],
  ])('rejects %s with a typed error and its path', (_, bad, path) => {
    let caught: unknown;
    try {
      validateInstance(bad as JobShopInstance);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScheduleInstanceError);
    expect((caught as ScheduleInstanceError).code).toBe('IMV_SCHEDULE_INSTANCE_INVALID');
    expect((caught as ScheduleInstanceError).path).toBe(path);
  });
});

describe('lowerBound', () => {
  it('is the busiest machine or the longest job from its release', () => {
    expect(lowerBound(instance)).toBe(7);
    expect(
      lowerBound({
        machines: 1,
        jobs: [{ operations: [{ machine: 0, duration: 4 }] }, { operations: [{ machine: 0, duration: 5 }] }],
      }),
    ).toBe(9);
  });
});
