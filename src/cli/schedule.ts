// `imverse schedule FILE`: a job-shop schedule for an instance in OR-Library format — each
// dispatching rule, then tabu search from the best of them — printed as a table or JSON.
import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/errors.js';
import {
  DISPATCH_RULES,
  dispatch,
  improve,
  parseOrLibrary,
  type DispatchRule,
  type JobShopInstance,
  type Schedule,
} from '../sim/schedule/index.js';

export interface ScheduleOptions {
  readonly rule?: string;
  readonly seconds?: number;
  readonly seed?: number;
  readonly json?: boolean;
}

export async function scheduleCommand(file: string, options: ScheduleOptions): Promise<number> {
  const rules = ruleList(options.rule);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError('IMV_REQUEST_INVALID', `cannot read ${file}: ${(error as Error).message}`, {
      path: file,
    });
  }
  const instance = parseOrLibrary(text);
  const tried = rules.map((rule) => ({ rule, schedule: dispatch(instance, rule) }));
  const byRule = tried.map(({ rule, schedule }) => ({ rule, makespan: schedule.makespan }));
  const start = tried.reduce((best, next) => (next.schedule.makespan < best.schedule.makespan ? next : best));
  const seconds = options.seconds ?? 10;
  const now = performance.now.bind(performance);
  const result =
    seconds === 0
      ? undefined
      : improve(instance, start.schedule, { seed: options.seed ?? 1, timeLimitMs: seconds * 1000, now });
  const schedule = result?.schedule ?? start.schedule;
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          instance: instance.name ?? file,
          jobs: instance.jobs.length,
          machines: instance.machines,
          dispatching: byRule,
          start: start.rule,
          makespan: schedule.makespan,
          provedOptimal: result?.provedOptimal ?? false,
          searchedMs: result?.elapsedMs,
          timeToBestMs: result?.timeToBestMs,
          operations: operations(instance, schedule),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  console.log(`${instance.name ?? file}: ${instance.jobs.length} jobs × ${instance.machines} machines`);
  for (const { rule, makespan } of byRule) console.log(`  ${rule.padEnd(5)} makespan ${makespan}`);
  if (result !== undefined) {
    console.log(
      `  tabu search from ${start.rule}: makespan ${result.makespan}` +
        ` (best after ${((result.timeToBestMs ?? 0) / 1000).toFixed(1)} s of ${((result.elapsedMs ?? 0) / 1000).toFixed(1)} s` +
        `${result.provedOptimal ? ', optimal: equals a lower bound' : ''})`,
    );
  }
  console.log('');
  for (let m = 0; m < instance.machines; m++) {
    const sequence = operations(instance, schedule)
      .filter((op) => op.machine === m)
      .sort((a, b) => a.start - b.start)
      .map((op) => `J${op.job}@${op.start}`);
    console.log(`  machine ${String(m).padStart(2)}: ${sequence.join(' ')}`);
  }
  return 0;
}

/** Every operation with its job, machine, start and end, in job order. */
function operations(instance: JobShopInstance, schedule: Schedule) {
  return instance.jobs.flatMap((job, j) =>
    job.operations.map((op, k) => {
      const start = schedule.starts[j]![k]!;
      return { job: j, operation: k, machine: op.machine, start, end: start + op.duration };
    }),
  );
}

function ruleList(rule: string | undefined): DispatchRule[] {
  if (rule === undefined) return [...DISPATCH_RULES];
  const upper = rule.toUpperCase();
  const found = DISPATCH_RULES.find((known) => known === upper);
  if (found === undefined) {
    throw new ValidationError(
      'IMV_SCHEDULE_OPTIONS_INVALID',
      `--rule must be one of ${DISPATCH_RULES.join(', ')}, not "${rule}"`,
      { path: '--rule' },
    );
  }
  return [found];
}
