import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScheduleInstanceError } from './errors.js';
import type { JobShopInstance } from './instance.js';
import { formatOrLibrary, parseOrLibrary } from './orlib.js';

const example = (name: string): string =>
  readFileSync(new URL(`../../../examples/jobshop/${name}.txt`, import.meta.url), 'utf8');

const SIZES: Record<string, [number, number]> = {
  ft06: [6, 6],
  ft10: [10, 10],
  la01: [10, 5],
  la02: [10, 5],
  la03: [10, 5],
  la04: [10, 5],
  la05: [10, 5],
  la06: [15, 5],
  la07: [15, 5],
  la08: [15, 5],
  la09: [15, 5],
  la10: [15, 5],
};

function parseError(text: string): ScheduleInstanceError {
  try {
    parseOrLibrary(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleInstanceError);
    return error as ScheduleInstanceError;
  }
  throw new Error('expected a ScheduleInstanceError');
}

describe('parseOrLibrary', () => {
  it('reads ft06 with its comment header', () => {
    const instance = parseOrLibrary(example('ft06'));
    expect(instance.machines).toBe(6);
    expect(instance.jobs).toHaveLength(6);
    expect(instance.jobs[0]!.operations.slice(0, 2)).toEqual([
      { machine: 2, duration: 1 },
      { machine: 0, duration: 3 },
    ]);
    expect(instance.jobs[5]!.operations.at(-1)).toEqual({ machine: 2, duration: 1 });
  });

  it.each(Object.entries(SIZES))(
    'reads %s with its published size, every job visiting every machine',
    (name, size) => {
      const instance = parseOrLibrary(example(name));
      expect([instance.jobs.length, instance.machines]).toEqual(size);
      for (const job of instance.jobs) {
        expect(job.operations.map((op) => op.machine).sort((a, b) => a - b)).toEqual(
          Array.from({ length: size[1] }, (_, m) => m),
        );
      }
    },
  );

  it('reads an instance block cut from jobshop1.txt as it is, with its name', () => {
    const block = [
      ' +++++++++++++++++++++++++++++',
      ' ',
      ' instance tiny',
      ' ',
      ' +++++++++++++++++++++++++++++',
      ' A 2x2 instance for the test',
      ' 2 2',
      ' 0 3 1 2',
      ' 1 4 0 1 ',
      ' +++++++++++++++++++++++++++++',
      '',
    ].join('\n');
    expect(parseOrLibrary(block)).toEqual({
      name: 'tiny',
      machines: 2,
      jobs: [
        {
          operations: [
            { machine: 0, duration: 3 },
            { machine: 1, duration: 2 },
          ],
        },
        {
          operations: [
            { machine: 1, duration: 4 },
            { machine: 0, duration: 1 },
          ],
        },
      ],
    });
  });

  it('accepts Windows line ends and comments between job lines', () => {
    const instance = parseOrLibrary('2 1\r\n0 5\r\n# the second job\r\n0 7\r\n');
    expect(instance.jobs.map((job) => job.operations[0]!.duration)).toEqual([5, 7]);
  });

  it.each([
    ['an empty text', '', 1, /no "jobs machines" size line/],
    ['a size line with three numbers', '2 2 2\n0 1 1 1\n0 1 1 1', 1, /two integers/],
    ['a zero job count', '# x\n0 2\n', 2, /job count must be at least 1/],
    ['a non-integer machine count', '2 2.5\n', 1, /machine count "2.5" is not an integer/],
    [
      'too few pairs on a job line',
      '2 2\n0 1 1 1\n0 1\n',
      3,
      /job 1: expected 2 "machine time" pairs \(4 numbers\), found 2/,
    ],
    ['an odd number count', '1 2\n0 1 1\n', 2, /found 3 numbers/],
    ['a non-integer time', '1 2\n0 1 1 2.5\n', 2, /job 0 operation 1: time "2.5" is not an integer/],
    ['a word for a time', '1 2\n0 1 1 x\n', 2, /time "x" is not an integer/],
    ['a negative time', '1 2\n\n0 -1 1 2\n', 3, /job 0 operation 0: time -1 is negative/],
    ['a machine out of range', '1 2\n0 1 2 2\n', 2, /machine 2 is not in 0..1/],
    ['a negative machine', '1 2\n-1 1 0 2\n', 2, /machine -1 is not in 0..1/],
    ['a job visiting a machine twice', '1 2\n0 1 0 2\n', 2, /job 0 visits machine 0 twice/],
    ['missing job lines', '3 1\n0 1\n0 1\n', 4, /announces 3 jobs, the text has 2/],
    ['an extra job line', '1 1\n0 1\n0 1\n', 3, /more job lines than the 1 jobs/],
    ['a second instance', ' instance a\n 1 1\n 0 1\n +++\n instance b\n 1 1\n 0 1\n', 5, /second instance/],
  ])('rejects %s, naming the line', (_, text, line, message) => {
    const error = parseError(text);
    expect(error.code).toBe('IMV_SCHEDULE_INSTANCE_INVALID');
    expect(error.status).toBe(400);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^line ${line}: `));
    expect(error.message).toMatch(message);
    expect(error.path).toBe(`@line:${line}`);
  });
});

// Random instances in the format's own shape: every job visits every machine once, in some order.
const arbitraryInstance = fc
  .record({ jobs: fc.integer({ min: 1, max: 8 }), machines: fc.integer({ min: 1, max: 6 }) })
  .chain(({ jobs, machines }) =>
    fc.record({
      machines: fc.constant(machines),
      jobs: fc.array(
        fc
          .tuple(
            fc.shuffledSubarray(
              Array.from({ length: machines }, (_, m) => m),
              { minLength: machines, maxLength: machines },
            ),
            fc.array(fc.integer({ min: 0, max: 999 }), { minLength: machines, maxLength: machines }),
          )
          .map(([route, durations]) => ({
            operations: route.map((machine, k) => ({ machine, duration: durations[k]! })),
          })),
        { minLength: jobs, maxLength: jobs },
      ),
    }),
  );

describe('formatOrLibrary', () => {
  it('round-trips generated instances through parseOrLibrary', () => {
    fc.assert(
      fc.property(
        arbitraryInstance,
        fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { nil: undefined }),
        (instance, name) => {
          const named: JobShopInstance = name === undefined ? instance : { ...instance, name };
          expect(parseOrLibrary(formatOrLibrary(named, ['generated']))).toEqual(named);
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('round-trips the example files', () => {
    for (const name of Object.keys(SIZES)) {
      const instance = parseOrLibrary(example(name));
      expect(parseOrLibrary(formatOrLibrary(instance))).toEqual(instance);
    }
  });

  it('refuses a route the format cannot hold', () => {
    const instance: JobShopInstance = { machines: 2, jobs: [{ operations: [{ machine: 0, duration: 1 }] }] };
    expect(() => formatOrLibrary(instance)).toThrow(
      /job 0 does not visit each of the 2 machines exactly once/,
    );
  });
});
