// The job-shop model: instances, schedules, and the checks that keep both honest.
import { ScheduleInstanceError } from './errors.js';

export interface Operation {
  /** Machine index, 0-based. */
  readonly machine: number;
  /** Processing time, a non-negative integer (any time unit, the same for all). */
  readonly duration: number;
}

export interface Job {
  /** The route: operations in the order the job must visit them. */
  readonly operations: readonly Operation[];
  /** Earliest start of the first operation; 0 when absent. */
  readonly release?: number;
  /** Due date, used by EDD, CR and ATC; see `dueDates` for the default. */
  readonly due?: number;
  /** Importance, used by ATC; 1 when absent. */
  readonly weight?: number;
}

/**
 * A job shop: each job visits machines in a fixed order, each machine works on one operation at a
 * time, without preemption. A job may skip machines or revisit one (a plant's routings do); the
 * OR-Library format is stricter, see `parseOrLibrary`.
 */
export interface JobShopInstance {
  readonly name?: string;
  readonly machines: number;
  readonly jobs: readonly Job[];
}

export interface Schedule {
  /** `starts[j][k]`: start time of operation k of job j. */
  readonly starts: readonly (readonly number[])[];
  /** Completion time of the last operation. */
  readonly makespan: number;
}

const isNonNegativeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Throws a `ScheduleInstanceError` naming the first job and operation at fault. */
export function validateInstance(instance: JobShopInstance): void {
  if (!Number.isSafeInteger(instance.machines) || instance.machines < 1) {
    throw new ScheduleInstanceError(`machine count must be a positive integer, got ${instance.machines}`, {
      path: '/machines',
    });
  }
  if (instance.jobs.length === 0) throw new ScheduleInstanceError('instance has no jobs', { path: '/jobs' });
  instance.jobs.forEach((job, j) => {
    if (job.operations.length === 0) {
      throw new ScheduleInstanceError(`job ${j} has no operations`, { path: `/jobs/${j}/operations` });
    }
    job.operations.forEach((op, k) => {
      const path = `/jobs/${j}/operations/${k}`;
      if (!isNonNegativeInteger(op.machine) || op.machine >= instance.machines) {
        throw new ScheduleInstanceError(
          `job ${j} operation ${k}: machine ${op.machine} is not in 0..${instance.machines - 1}`,
          { path: `${path}/machine` },
        );
      }
      if (!isNonNegativeInteger(op.duration)) {
        throw new ScheduleInstanceError(
          `job ${j} operation ${k}: duration ${op.duration} is not a non-negative integer`,
          { path: `${path}/duration` },
        );
      }
    });
    for (const field of ['release', 'due'] as const) {
      const value = job[field];
      if (value !== undefined && !(Number.isFinite(value) && (field === 'due' || value >= 0))) {
        throw new ScheduleInstanceError(`job ${j}: ${field} ${value} must be a finite number`, {
          path: `/jobs/${j}/${field}`,
        });
      }
    }
    if (job.weight !== undefined && !(Number.isFinite(job.weight) && job.weight > 0)) {
      throw new ScheduleInstanceError(`job ${j}: weight ${job.weight} must be a positive number`, {
        path: `/jobs/${j}/weight`,
      });
    }
  });
}

/** A bound no schedule can beat: the busiest machine's load, or the longest job from its release. */
export function lowerBound(instance: JobShopInstance): number {
  const load = new Array<number>(instance.machines).fill(0);
  let bound = 0;
  for (const job of instance.jobs) {
    let length = job.release ?? 0;
    for (const op of job.operations) {
      load[op.machine]! += op.duration;
      length += op.duration;
    }
    bound = Math.max(bound, length);
  }
  return Math.max(bound, ...load);
}

export interface ScheduleViolation {
  readonly kind: 'shape' | 'release' | 'precedence' | 'overlap' | 'makespan';
  readonly message: string;
}

/**
 * Every way `schedule` breaks the rules of `instance`; an empty list means it is feasible:
 * each job's operations in order, releases respected, one operation at a time per machine, and
 * the makespan equal to the last completion.
 */
export function validateSchedule(instance: JobShopInstance, schedule: Schedule): ScheduleViolation[] {
  const violations: ScheduleViolation[] = [];
  if (schedule.starts.length !== instance.jobs.length) {
    return [
      {
        kind: 'shape',
        message: `${schedule.starts.length} jobs in schedule, ${instance.jobs.length} in instance`,
      },
    ];
  }
  const onMachine: { start: number; end: number; job: number; op: number }[][] = Array.from(
    { length: instance.machines },
    () => [],
  );
  let lastEnd = 0;
  instance.jobs.forEach((job, j) => {
    const starts = schedule.starts[j]!;
    if (starts.length !== job.operations.length) {
      violations.push({
        kind: 'shape',
        message: `job ${j}: ${starts.length} start times for ${job.operations.length} operations`,
      });
      return;
    }
    let ready = job.release ?? 0;
    job.operations.forEach((op, k) => {
      const start = starts[k]!;
      if (!Number.isFinite(start)) {
        violations.push({ kind: 'shape', message: `job ${j} operation ${k}: start ${start} is not finite` });
        return;
      }
      if (start < ready) {
        violations.push({
          kind: k === 0 ? 'release' : 'precedence',
          message: `job ${j} operation ${k} starts at ${start}, before ${ready}`,
        });
      }
      ready = start + op.duration;
      lastEnd = Math.max(lastEnd, ready);
      onMachine[op.machine]?.push({ start, end: ready, job: j, op: k });
    });
  });
  onMachine.forEach((ops, m) => {
    // Zero-length operations occupy no time, so they never overlap anything.
    const busy = ops.filter((o) => o.end > o.start).sort((a, b) => a.start - b.start);
    for (let i = 1; i < busy.length; i++) {
      const before = busy[i - 1]!;
      const after = busy[i]!;
      if (after.start < before.end) {
        violations.push({
          kind: 'overlap',
          message: `machine ${m}: job ${after.job} operation ${after.op} starts at ${after.start}, while job ${before.job} operation ${before.op} runs until ${before.end}`,
        });
      }
    }
  });
  if (violations.length === 0 && schedule.makespan !== lastEnd) {
    violations.push({
      kind: 'makespan',
      message: `makespan ${schedule.makespan}, last operation ends at ${lastEnd}`,
    });
  }
  return violations;
}
