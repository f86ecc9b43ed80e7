import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScheduleInstanceError } from './errors.js';
import { formatTaillard, parseTaillard, readTaillard } from './taillard.js';
import { taillardInstance } from './taillard-generator.js';

const example = (name: string): string =>
  readFileSync(new URL(`../../../examples/jobshop/${name}.txt`, import.meta.url), 'utf8');
const TAILLARD = Array.from({ length: 20 }, (_, i) => `ta${String(i + 1).padStart(2, '0')}`);

function parseError(text: string): ScheduleInstanceError {
  try {
    parseTaillard(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleInstanceError);
    return error as ScheduleInstanceError;
  }
  throw new Error('expected a ScheduleInstanceError');
}

describe('parseTaillard', () => {
  it('reads ta01 as Taillard published it: machines from 1 become machines from 0', () => {
    const { instance, header } = readTaillard(example('ta01'));
    expect([instance.jobs.length, instance.machines]).toEqual([15, 15]);
    expect(header).toEqual({
      timeSeed: 840612802,
      machineSeed: 398197754,
      upperBound: 1231,
      lowerBound: 1005,
    });
    // Times row 1 starts 94 66, Machines row 1 starts 7 13.
    expect(instance.jobs[0]!.operations.slice(0, 2)).toEqual([
      { machine: 6, duration: 94 },
      { machine: 12, duration: 66 },
    ]);
    // Last job: times end 20 97, machines end 10 6.
    expect(instance.jobs[14]!.operations.slice(-2)).toEqual([
      { machine: 9, duration: 20 },
      { machine: 5, duration: 97 },
    ]);
  });

  // The files were written from Taillard's generator; this keeps data and seeds honest both ways.
  it.each(TAILLARD)("reads %s, which is what Taillard's generator makes from its seeds", (name) => {
    const { instance, header } = readTaillard(example(name));
    expect(instance.jobs.length).toBe(name <= 'ta10' ? 15 : 20);
    expect(instance.machines).toBe(15);
    expect(
      taillardInstance({
        jobs: instance.jobs.length,
        machines: instance.machines,
        timeSeed: header.timeSeed!,
        machineSeed: header.machineSeed!,
      }),
    ).toEqual(instance);
  });

  it('reads a block without the description line, comments or seeds, and round-trips through formatTaillard', () => {
    const block = '2 2\nTimes\n3 5\n7 11\nMachines\n2 1\n1 2\n';
    const instance = parseTaillard(block);
    expect(instance).toEqual({
      machines: 2,
      jobs: [
        {
          operations: [
            { machine: 1, duration: 3 },
            { machine: 0, duration: 5 },
          ],
        },
        {
          operations: [
            { machine: 0, duration: 7 },
            { machine: 1, duration: 11 },
          ],
        },
      ],
    });
    expect(parseTaillard(formatTaillard(instance, {}, ['tiny']))).toEqual(instance);
    const ta05 = readTaillard(example('ta05'));
    const text = formatTaillard(ta05.instance, ta05.header);
    expect(example('ta05')).toContain(text);
  });

  const HEAD = 'Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound\n';
  it.each([
    ['an empty text', '', 1, /no size line/],
    ['a size line with seven numbers', '2 2 1 1 1 1 1\n', 1, /up to four more numbers/],
    ['a non-integer machine count', `${HEAD}2 x\n`, 2, /machine count "x" is not an integer/],
    ['a missing Times line', `${HEAD}1 2\n3 4\n`, 3, /expected a "Times" line, found "3 4"/],
    [
      'too few time rows',
      `${HEAD}2 2\nTimes\n1 2\nMachines\n1 2\n2 1\n`,
      5,
      /expected 2 lines of times \(one per job\), found 1/,
    ],
    [
      'a short time row',
      `${HEAD}1 2\nTimes\n1\nMachines\n1 2\n`,
      4,
      /job 0: expected 2 times \(one per machine\), found 1/,
    ],
    [
      'a word for a time',
      `${HEAD}1 2\nTimes\n1 y\nMachines\n1 2\n`,
      4,
      /job 0 step 1: time "y" is not an integer/,
    ],
    ['a negative time', `${HEAD}1 2\nTimes\n1 -2\nMachines\n1 2\n`, 4, /time -2 is negative/],
    [
      'machines numbered from 0',
      `${HEAD}1 2\nTimes\n1 2\nMachines\n0 1\n`,
      6,
      /machine 0 is not in 1..2 \(Taillard's format numbers machines from 1\)/,
    ],
    [
      'a job visiting a machine twice',
      `${HEAD}1 2\nTimes\n1 2\nMachines\n2 2\n`,
      6,
      /job 0 visits machine 2 twice/,
    ],
    ['a missing Machines section', `${HEAD}1 2\nTimes\n1 2\n`, 5, /expected a "Machines" line after line 4/],
    [
      'a second instance',
      `${HEAD}1 1\nTimes\n1\nMachines\n1\n${HEAD}1 1\n`,
      7,
      /a second instance starts here/,
    ],
  ])('rejects %s, naming the line', (_, text, line, message) => {
    const error = parseError(text);
    expect(error.code).toBe('IMV_SCHEDULE_INSTANCE_INVALID');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^line ${line}: `));
    expect(error.message).toMatch(message);
  });
});

describe('taillardInstance', () => {
  it("rejects seeds outside the generator's range", () => {
    expect(() => taillardInstance({ jobs: 2, machines: 2, timeSeed: 0, machineSeed: 1 })).toThrow(
      /timeSeed must be an integer in 1\.\.2147483646/,
    );
    expect(() => taillardInstance({ jobs: 0, machines: 2, timeSeed: 1, machineSeed: 1 })).toThrow(
      /jobs must be a positive integer/,
    );
  });
});
