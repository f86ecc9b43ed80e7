// Tabu search over the critical path (N7 neighbourhood, annealed restarts) that shortens a job-shop schedule.
import { metropolisAccepts } from './annealing.js';
import { ScheduleOptionsError } from './errors.js';
import { DisjunctiveGraph } from './graph.js';
import {
  lowerBound,
  validateInstance,
  validateSchedule,
  type JobShopInstance,
  type Schedule,
} from './instance.js';
import { Neighbourhood } from './neighbourhood.js';
import { seededRandom } from './prng.js';
import { OrderTabuList } from './tabu-list.js';

export interface ImproveOptions {
  /** Seed of the search's random choices; the same seed and limits give the same result. Default 1. */
  readonly seed?: number;
  /** Stop after this many moves. Default 20 000 when there is no time limit, else unbounded. */
  readonly maxIterations?: number;
  /** Stop after this many milliseconds of `now()`; needs `now`. */
  readonly timeLimitMs?: number;
  /** The caller's clock in milliseconds (e.g. `performance.now`); used for limits and time to best. */
  readonly now?: () => number;
  /** Stop as soon as the makespan is at most this (e.g. a known optimum). */
  readonly target?: number;
  /** Moves without a new best before the search restarts from a perturbed schedule. Default 1000 + 20 × operations. */
  readonly stallIterations?: number;
}

export interface ImproveResult {
  readonly makespan: number;
  readonly schedule: Schedule;
  readonly initialMakespan: number;
  /** Moves made. */
  readonly iterations: number;
  /** Moves made when the best schedule was found. */
  readonly iterationsToBest: number;
  /** Milliseconds from the start to the best schedule; undefined without a clock. */
  readonly timeToBestMs: number | undefined;
  /** Milliseconds searched in all; undefined without a clock. */
  readonly elapsedMs: number | undefined;
  /** Restarts from a perturbed schedule. */
  readonly restarts: number;
  /** The makespan equals a lower bound (busiest machine or longest job): nothing can beat it. */
  readonly provedOptimal: boolean;
}

/**
 * Temperature of the restarts' acceptance rule as a fraction of the best makespan: a stretch whose
 * best is 1.5 % worse than the schedule restarts start from replaces it with probability 1/e.
 */
const TEMPERATURE = 0.015;

/**
 * Improves `initial` by tabu search. Each iteration takes a critical path and considers every move
 * of the N7 neighbourhood (see `Neighbourhood`: an operation of a critical block moved to the
 * block's front or end, or the block's first or last operation moved inside it — a superset of
 * Nowicki and Smutnicki's N5 swaps, so a path that is one long block still offers moves). Moves are
 * ranked by their estimated makespan (an estimate stops early once it has lost to the best so
 * far), the chosen one evaluated exactly (`applyMove`: heads and tails recomputed only where the
 * move can change them, in a topological order kept up to date from move to move). A move may not
 * restore a machine ordering undone within the tenure, drawn at random each move in the range of
 * Zhang et al.'s TS/SA; a tabu move is allowed when it promises a new best, and when every move is
 * tabu one is taken at random.
 *
 * When `stallIterations` moves bring no new best, the search restarts from a base schedule shaken
 * by random N7 moves, more of them after each restart that found nothing better, so that a stuck
 * search keeps moving on. The base is chosen as simulated annealing would (the idea of Zhang et
 * al.'s TS/SA hybrid, annealing choosing where tabu search intensifies): the best schedule of the
 * stretch just ended replaces it when no worse, or by Metropolis's rule when worse, at a
 * temperature of 1.5 % of the best makespan. Restarting from the best few schedules found (an
 * elite pool, as in i-TSAB) did worse on Taillard's 20×15 instances (see docs/scheduling.md).
 *
 * Deterministic for a given seed and iteration limit; a time limit only decides where the same
 * trajectory stops.
 *
 * @throws ScheduleInstanceError for an invalid instance; ScheduleOptionsError for an infeasible
 * initial schedule or invalid limits.
 */
export function improve(
  instance: JobShopInstance,
  initial: Schedule,
  options: ImproveOptions = {},
): ImproveResult {
  validateInstance(instance);
  const violations = validateSchedule(instance, initial);
  if (violations.length > 0) {
    throw new ScheduleOptionsError(`initial schedule is infeasible: ${violations[0]!.message}`, {
      issues: violations.slice(0, 20).map((v) => ({ path: '/initial', message: v.message, rule: v.kind })),
    });
  }
  const limits = readLimits(options, instance);
  const clock = options.now;
  const started = clock?.() ?? 0;
  const random = seededRandom(options.seed ?? 1);

  const graph = new DisjunctiveGraph(instance);
  graph.setOrderFromSchedule(instance, initial);
  const initialMakespan = graph.evaluate();
  if (initialMakespan < 0) {
    throw new ScheduleOptionsError(
      'initial schedule orders zero-length operations in a cycle; give them distinct starts',
    );
  }
  const n = graph.size;
  const bound = lowerBound(instance);
  const stopAt = Math.max(bound, options.target ?? bound);
  const { order } = graph;
  const neighbourhood = new Neighbourhood(graph);
  const tabu = new OrderTabuList(n);

  let current = initialMakespan;
  let best = current;
  const bestOrder = order.slice();
  // The best since the last restart: what may replace `base` when the search moves on.
  let runBest = current;
  const runBestOrder = order.slice();
  let iterations = 0;
  let iterationsToBest = 0;
  let timeToBest = 0;
  let stall = 0;
  let restarts = 0;
  let fruitlessRestarts = 0;

  const jobs = instance.jobs.length;
  const operationsPerMachine = n / instance.machines;
  const minTenure = Math.round(10 + jobs / instance.machines);
  const maxTenure = Math.round(minTenure * (jobs <= 2 * instance.machines ? 1.4 : 1.5));

  const recordBest = (): void => {
    best = current;
    bestOrder.set(order);
    iterationsToBest = iterations;
    timeToBest = clock ? clock() - started : 0;
    stall = 0;
    fruitlessRestarts = 0;
  };

  /** Makes move `from → to` when it leaves the graph acyclic; returns whether it did. */
  const makeMove = (from: number, to: number, tenure: number): boolean => {
    if (tenure > 0) tabu.record(order, from, to, iterations + tenure);
    const makespan = graph.applyMove(from, to);
    if (makespan >= 0) {
      current = makespan;
      return true;
    }
    // Only zero-length operations can close a cycle past the acyclicity test; the graph is left as
    // it was, and the move is forbidden.
    tabu.forbidMove(order, from, to, iterations + maxTenure);
    return false;
  };

  // The schedule restarts start from: the best of a stretch replaces it by Metropolis's rule.
  let base = current;
  const baseOrder = order.slice();

  const restart = (): void => {
    restarts++;
    fruitlessRestarts++;
    if (metropolisAccepts(runBest, base, TEMPERATURE * best, random)) {
      base = runBest;
      baseOrder.set(runBestOrder);
    }
    graph.copyOrderFrom(baseOrder);
    current = graph.evaluate();
    const strength = Math.max(2, Math.round(operationsPerMachine / 2)) + Math.min(fruitlessRestarts, 10);
    const kicks = 2 + random.int(strength);
    for (let kick = 0; kick < kicks; kick++) {
      const moves = neighbourhood.generate(current);
      if (moves === 0) break;
      const i = random.int(moves);
      makeMove(neighbourhood.from[i]!, neighbourhood.to[i]!, 0);
    }
    tabu.clear();
    stall = 0;
    runBest = current;
    runBestOrder.set(order);
    if (current < best) recordBest();
  };

  while (best > stopAt && iterations < limits.maxIterations) {
    if (clock && (iterations & 63) === 0 && clock() - started >= limits.timeLimitMs) break;
    iterations++;

    const moves = neighbourhood.generate(current);
    if (moves === 0) {
      restart();
      continue;
    }
    let chosen = -1;
    let chosenValue = Infinity;
    let ties = 0;
    let fallback = -1;
    let tabuCount = 0;
    for (let i = 0; i < moves; i++) {
      const from = neighbourhood.from[i]!;
      const to = neighbourhood.to[i]!;
      const value = neighbourhood.estimate(from, to, chosenValue > best ? chosenValue : best);
      if (value >= best && tabu.isTabu(order, from, to, iterations)) {
        if (random.int(++tabuCount) === 0) fallback = i;
        continue;
      }
      if (value < chosenValue) {
        chosenValue = value;
        chosen = i;
        ties = 1;
      } else if (value === chosenValue && random.int(++ties) === 0) {
        chosen = i;
      }
    }
    if (chosen < 0) chosen = fallback;
    const tenure = minTenure + random.int(maxTenure - minTenure + 1);
    if (!makeMove(neighbourhood.from[chosen]!, neighbourhood.to[chosen]!, tenure)) continue;
    if (current < runBest) {
      runBest = current;
      runBestOrder.set(order);
    }
    if (current < best) recordBest();
    else if (++stall > limits.stallIterations) restart();
  }

  graph.copyOrderFrom(bestOrder);
  const makespan = graph.evaluate();
  return {
    makespan,
    schedule: graph.toSchedule(instance, makespan),
    initialMakespan,
    iterations,
    iterationsToBest,
    timeToBestMs: clock ? timeToBest : undefined,
    elapsedMs: clock ? clock() - started : undefined,
    restarts,
    provedOptimal: makespan <= bound,
  };
}

interface Limits {
  readonly maxIterations: number;
  readonly timeLimitMs: number;
  readonly stallIterations: number;
}

function readLimits(options: ImproveOptions, instance: JobShopInstance): Limits {
  const nonNegative = (name: string, value: number | undefined): void => {
    if (value !== undefined && !(value >= 0)) {
      throw new ScheduleOptionsError(`${name} must be a non-negative number, got ${value}`, {
        path: `/${name}`,
      });
    }
  };
  nonNegative('maxIterations', options.maxIterations);
  nonNegative('timeLimitMs', options.timeLimitMs);
  nonNegative('stallIterations', options.stallIterations);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new ScheduleOptionsError(`seed must be an integer, got ${options.seed}`, { path: '/seed' });
  }
  if (options.target !== undefined && !Number.isFinite(options.target)) {
    throw new ScheduleOptionsError(`target must be a finite number, got ${options.target}`, {
      path: '/target',
    });
  }
  if (options.timeLimitMs !== undefined && options.now === undefined) {
    throw new ScheduleOptionsError('a time limit needs a clock: pass now (e.g. performance.now)', {
      path: '/now',
    });
  }
  if (options.maxIterations === Infinity && options.timeLimitMs === undefined) {
    throw new ScheduleOptionsError('an unbounded search needs a time limit: give timeLimitMs and now', {
      path: '/maxIterations',
    });
  }
  const operations = instance.jobs.reduce((sum, job) => sum + job.operations.length, 0);
  return {
    maxIterations: options.maxIterations ?? (options.timeLimitMs === undefined ? 20_000 : Infinity),
    timeLimitMs: options.timeLimitMs ?? Infinity,
    stallIterations: options.stallIterations ?? 1000 + 20 * operations,
  };
}
