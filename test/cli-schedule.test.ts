// `imverse schedule` as a planner runs it on a job shop in OR-Library's or Taillard's format.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'imverse-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function imverse(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

interface Result {
  makespan: number;
  dispatching: { rule: string; makespan: number }[];
  operations: { job: number; operation: number; machine: number; start: number; end: number }[];
}

describe('imverse schedule', () => {
  it('finds the optimal makespan 55 of ft06 and prints a schedule that keeps job order and machine capacity', () => {
    const run = imverse('schedule', 'examples/jobshop/ft06.txt', '--seconds', '3', '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as Result;
    expect(result.makespan).toBe(55);
    expect(result.dispatching.map((d) => d.rule)).toEqual(['FIFO', 'SPT', 'EDD', 'CR', 'ATC']);
    expect(result.operations).toHaveLength(36);
    for (const op of result.operations) {
      const previous = result.operations.find((o) => o.job === op.job && o.operation === op.operation - 1);
      if (previous !== undefined) expect(op.start).toBeGreaterThanOrEqual(previous.end);
      for (const other of result.operations) {
        if (other !== op && other.machine === op.machine) {
          expect(other.end <= op.start || other.start >= op.end).toBe(true);
        }
      }
    }
    expect(Math.max(...result.operations.map((op) => op.end))).toBe(55);
  });

  it("reads Taillard's own format: ta01, machines numbered from 1 in the file, from 0 in the output", () => {
    const run = imverse('schedule', 'examples/jobshop/ta01.txt', '--seconds', '1', '--rule', 'SPT', '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as Result & { jobs: number; machines: number };
    expect([result.jobs, result.machines]).toEqual([15, 15]);
    expect(result.operations).toHaveLength(225);
    // Job 0 starts with 94 time units on machine 7 of the file.
    expect(result.operations[0]).toMatchObject({ job: 0, operation: 0, machine: 6 });
    expect(result.operations[0]!.end - result.operations[0]!.start).toBe(94);
    // The optimum is 1231 (proven); the search cannot beat it and starts from SPT's schedule.
    expect(result.makespan).toBeGreaterThanOrEqual(1231);
    expect(result.makespan).toBeLessThanOrEqual(result.dispatching[0]!.makespan);
    const bad = join(dir, 'bad-taillard.txt');
    writeFileSync(bad, 'Nb of jobs, Nb of Machines\n1 2\nTimes\n5 6\nMachines\n0 1\n');
    const invalid = imverse('schedule', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/^error IMV_SCHEDULE_INSTANCE_INVALID: line 6: .*numbers machines from 1/m);
  });

  it('names the line of a malformed instance and refuses an unknown rule', () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, '2 2\n0 5 1 3\n0 4 1 x\n');
    const bad = imverse('schedule', file);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error IMV_SCHEDULE_INSTANCE_INVALID: line 3: .*"x"/m);
    const rule = imverse('schedule', 'examples/jobshop/ft06.txt', '--rule', 'fastest');
    expect(rule.code).toBe(1);
    expect(rule.err).toContain('--rule must be one of FIFO, SPT, EDD, CR, ATC');
    const missing = imverse('schedule', join(dir, 'none.txt'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read .*none\.txt/);
  });

  it("schedules a shift's orders on the plant's stations along each variant's route", () => {
    const run = imverse(
      'schedule',
      '--plant',
      'examples/demo-plant.yaml',
      '--orders',
      'examples/demo-orders.yaml',
      '--seconds',
      '1',
      '--json',
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as Omit<Result, 'operations'> & {
      orders: { id: string; start: number; end: number; release?: number; late: number }[];
      operations: (Result['operations'][number] & { order: string; station: string })[];
    };
    expect(result.orders.map((o) => o.id)).toEqual([
      'SO-1041',
      'SO-1042',
      'SO-1043',
      'SO-1044',
      'SO-1045',
      'SO-1046',
    ]);
    const housing = result.operations.filter((op) => op.order === 'SO-1041').map((op) => op.station);
    expect(housing[0]).toBe('line-1/st-01');
    expect(housing.at(-1)).toBe('line-3/st-10');
    expect(result.orders.find((o) => o.id === 'SO-1045')!.start).toBeGreaterThanOrEqual(2 * 3600);
    expect(result.makespan).toBe(Math.max(...result.orders.map((o) => o.end)));

    const bad = join(dir, 'orders.yaml');
    writeFileSync(bad, 'orders:\n  - { id: X, variant: GH99, quantity: 3 }\n');
    const refused = imverse('schedule', '--plant', 'examples/demo-plant.yaml', '--orders', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/IMV_SCHEDULE_INSTANCE_INVALID: order X: unknown variant GH99/);
  });
});
