// `imverse schedule`: a job-shop schedule — each dispatching rule, then tabu search from the best
// of them — for an instance in OR-Library's or Taillard's format, or for orders on a plant's own stations.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isImverseError, ValidationError } from '../core/errors.js';
import { compilePlantSimulation } from '../sim/factory/index.js';
import {
  DISPATCH_RULES,
  dispatch,
  improve,
  parseJobShop,
  plantJobShop,
  ScheduleInstanceError,
  type DispatchRule,
  type JobShopInstance,
  type PlantJobShop,
  type PlantOrder,
  type Schedule,
} from '../sim/schedule/index.js';
import { parseDuration } from '../sim/study/index.js';
import { parsePlant } from '../twin/plant.js';

export interface ScheduleOptions {
  readonly plant?: string;
  readonly orders?: string;
  readonly rule?: string;
  readonly seconds?: number;
  readonly seed?: number;
  readonly json?: boolean;
}

export async function scheduleCommand(file: string | undefined, options: ScheduleOptions): Promise<number> {
  const rules = ruleList(options.rule);
  let instance: JobShopInstance;
  let plant: PlantJobShop | undefined;
  if (options.plant !== undefined || options.orders !== undefined) {
    if (options.plant === undefined || options.orders === undefined || file !== undefined) {
      throw new ValidationError(
        'IMV_REQUEST_INVALID',
        'give either a job-shop FILE (OR-Library or Taillard format), or both --plant and --orders',
        {
          path: options.plant === undefined ? '--plant' : '--orders',
        },
      );
    }
    plant = plantOrders(options.plant, options.orders);
    instance = plant.instance;
  } else if (file === undefined) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      'give a job-shop FILE (OR-Library or Taillard format), or --plant and --orders',
      {
        path: 'file',
      },
    );
  } else {
    instance = parseJobShop(read(file));
  }
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
          ...(plant === undefined ? {} : { orders: orderTimes(plant, schedule) }),
          jobs: instance.jobs.length,
          machines: instance.machines,
          dispatching: byRule,
          start: start.rule,
          makespan: schedule.makespan,
          provedOptimal: result?.provedOptimal ?? false,
          searchedMs: result?.elapsedMs,
          timeToBestMs: result?.timeToBestMs,
          operations: operations(instance, schedule, plant),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  // Plant orders are in seconds: shown in hours. Job-shop files have no unit.
  const span = (t: number) => (plant === undefined ? String(t) : hours(t));
  console.log(
    plant === undefined
      ? `${instance.name ?? file}: ${instance.jobs.length} jobs × ${instance.machines} machines`
      : `${instance.name}: ${instance.jobs.length} orders on ${instance.machines} stations`,
  );
  for (const { rule, makespan } of byRule) console.log(`  ${rule.padEnd(5)} makespan ${span(makespan)}`);
  if (result !== undefined) {
    console.log(
      `  tabu search from ${start.rule}: makespan ${span(result.makespan)}` +
        ` (best after ${((result.timeToBestMs ?? 0) / 1000).toFixed(1)} s of ${((result.elapsedMs ?? 0) / 1000).toFixed(1)} s` +
        `${result.provedOptimal ? ', optimal: equals a lower bound' : ''})`,
    );
  }
  console.log('');
  if (plant !== undefined) {
    for (const order of orderTimes(plant, schedule)) {
      const due =
        order.due === undefined
          ? ''
          : `, due ${hours(order.due)}${order.late > 0 ? `, late by ${hours(order.late)}` : ''}`;
      console.log(
        `  ${order.id} (${order.quantity} × ${order.variant}): ${hours(order.start)} → ${hours(order.end)}${due}`,
      );
    }
    return 0;
  }
  for (let m = 0; m < instance.machines; m++) {
    const sequence = operations(instance, schedule)
      .filter((op) => op.machine === m)
      .sort((a, b) => a.start - b.start)
      .map((op) => `J${op.job}@${op.start}`);
    console.log(`  machine ${String(m).padStart(2)}: ${sequence.join(' ')}`);
  }
  return 0;
}

/** Every operation with its job, machine, start and end, in job order (with plant orders: order and station). */
function operations(instance: JobShopInstance, schedule: Schedule, plant?: PlantJobShop) {
  return instance.jobs.flatMap((job, j) =>
    job.operations.map((op, k) => {
      const start = schedule.starts[j]![k]!;
      const named =
        plant === undefined ? {} : { order: plant.orders[j]!.id, station: plant.stations[op.machine]! };
      return { job: j, operation: k, machine: op.machine, ...named, start, end: start + op.duration };
    }),
  );
}

/** Each order's start, end and lateness, in seconds from the start of the schedule. */
function orderTimes(plant: PlantJobShop, schedule: Schedule) {
  return plant.orders.map((order, j) => {
    const job = plant.instance.jobs[j]!;
    const starts = schedule.starts[j]!;
    const last = job.operations.length - 1;
    const start = last < 0 ? 0 : starts[0]!;
    const end = last < 0 ? 0 : starts[last]! + job.operations[last]!.duration;
    return { ...order, start, end, late: order.due === undefined ? 0 : Math.max(0, end - order.due) };
  });
}

function hours(seconds: number): string {
  return `${(seconds / 3600).toFixed(1)} h`;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError('IMV_REQUEST_INVALID', `cannot read ${file}: ${(error as Error).message}`, {
      path: file,
    });
  }
}

/** The plant file's flow and an orders file `orders: [{ id, variant, quantity, due?, release? }]`. */
function plantOrders(plantFile: string, ordersFile: string): PlantJobShop {
  const plant = compilePlantSimulation(parsePlant(read(plantFile), plantFile), plantFile);
  const document = parse(read(ordersFile)) as { orders?: unknown } | null;
  if (!Array.isArray(document?.orders)) {
    throw new ScheduleInstanceError(
      `${ordersFile}: expected "orders:", a list of { id, variant, quantity, due?, release? }`,
      {
        path: '/orders',
      },
    );
  }
  const orders = document.orders.map((raw: unknown, i): PlantOrder => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const time = (key: 'due' | 'release') => {
      if (entry[key] === undefined) return {};
      try {
        return { [key]: parseDuration(entry[key], `/orders/${i}/${key}`) };
      } catch (error) {
        throw new ScheduleInstanceError(
          `${ordersFile}: ${isImverseError(error) ? error.message : String(error)}`,
          {
            path: `/orders/${i}/${key}`,
          },
        );
      }
    };
    return {
      id: String(entry.id ?? `order-${i + 1}`),
      variant: String(entry.variant),
      quantity: entry.quantity as number,
      ...time('due'),
      ...time('release'),
    };
  });
  return plantJobShop(plant, orders);
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
