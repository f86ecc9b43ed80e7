// Tabu search over the critical path (N5 neighbourhood) that shortens a feasible job-shop schedule.
import { ScheduleOptionsError } from './errors.js';
import { DisjunctiveGraph } from './graph.js';
import {
  lowerBound,
  validateInstance,
  validateSchedule,
  type JobShopInstance,
  type Schedule,
} from './instance.js';
import { seededRandom } from './prng.js';

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
  /** Moves without a new best before the search restarts from a perturbed best. Default 300 + 10 × operations. */
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
  /** Perturbed restarts from the best schedule. */
  readonly restarts: number;
  /** The makespan equals a lower bound (busiest machine or longest job): nothing can beat it. */
  readonly provedOptimal: boolean;
}

/**
 * Improves `initial` by tabu search in the manner of Nowicki and Smutnicki (1996): each move swaps
 * two adjacent operations at the border of a block of the critical path (N5: the last two of the
 * first block, the first two of the last block, both pairs of the inner blocks). Moves are ranked
 * by the estimate of Taillard (1994) from heads and tails, the chosen one evaluated exactly by
 * longest path. A swapped pair may not be restored for a tenure drawn at random each move; a tabu
 * move is allowed when it promises a new best. After `stallIterations` without a new best, the
 * search restarts from the best schedule shaken by a few random critical swaps.
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
  const { head, tail, duration, jobPred, jobSucc, release } = graph;

  let current = initialMakespan;
  let best = current;
  const bestOrder = graph.order.slice();
  let iterations = 0;
  let iterationsToBest = 0;
  let timeToBest = 0;
  let stall = 0;
  let restarts = 0;

  const path = new Int32Array(n);
  const viaMachine = new Uint8Array(n);
  const blockStart = new Int32Array(n);
  const blockEnd = new Int32Array(n);
  const moveFirst = new Int32Array(2 * n);
  const moveSecond = new Int32Array(2 * n);

  // Tabu list: recent swaps (first, second); restoring `first` right before `second` is forbidden.
  const operationsPerMachine = n / instance.machines;
  const minTenure = Math.round(10 + instance.jobs.length / instance.machines);
  const maxTenure = Math.round(minTenure * (instance.jobs.length <= 2 * instance.machines ? 1.4 : 1.5)) + 1;
  const tabuFirst = new Int32Array(maxTenure).fill(-1);
  const tabuSecond = new Int32Array(maxTenure).fill(-1);
  const tabuAt = new Float64Array(maxTenure).fill(-Infinity);
  let tabuNext = 0;
  let tenure = minTenure;
  const isTabu = (first: number, second: number): boolean => {
    for (let i = 0; i < maxTenure; i++) {
      if (tabuFirst[i] === first && tabuSecond[i] === second && iterations - tabuAt[i]! < tenure) return true;
    }
    return false;
  };

  // Makespan estimate after swapping adjacent u (first) and v on their machine.
  const estimate = (u: number, v: number): number => {
    const before = graph.machinePred(u);
    const after = graph.machineSucc(v);
    const jpu = jobPred[u]!;
    const jpv = jobPred[v]!;
    const jsu = jobSucc[u]!;
    const jsv = jobSucc[v]!;
    const rv = Math.max(
      jpv >= 0 ? head[jpv]! + duration[jpv]! : release[v]!,
      before >= 0 ? head[before]! + duration[before]! : 0,
    );
    const ru = Math.max(jpu >= 0 ? head[jpu]! + duration[jpu]! : release[u]!, rv + duration[v]!);
    const qu = Math.max(
      jsu >= 0 ? tail[jsu]! + duration[jsu]! : 0,
      after >= 0 ? tail[after]! + duration[after]! : 0,
    );
    const qv = Math.max(jsv >= 0 ? tail[jsv]! + duration[jsv]! : 0, qu + duration[u]!);
    return Math.max(rv + duration[v]! + qv, ru + duration[u]! + qu);
  };

  const recordBest = (): void => {
    best = current;
    bestOrder.set(graph.order);
    iterationsToBest = iterations;
    timeToBest = clock ? clock() - started : 0;
    stall = 0;
  };

  const restart = (): void => {
    graph.copyOrderFrom(bestOrder);
    current = graph.evaluate();
    const kicks = 2 + random.int(Math.max(2, Math.round(operationsPerMachine / 2)));
    for (let kick = 0; kick < kicks; kick++) {
      const length = graph.criticalPath(current, path, viaMachine);
      let candidates = 0;
      for (let i = 1; i < length; i++) {
        if (viaMachine[i] === 1 && jobSucc[path[i - 1]!] !== path[i]) moveFirst[candidates++] = i;
      }
      if (candidates === 0) break;
      const at = moveFirst[random.int(candidates)]!;
      const u = path[at - 1]!;
      const v = path[at]!;
      graph.swapAdjacent(u, v);
      const makespan = graph.evaluate();
      if (makespan < 0) {
        graph.swapAdjacent(v, u);
        current = graph.evaluate();
      } else {
        current = makespan;
      }
    }
    tabuAt.fill(-Infinity);
    stall = 0;
    restarts++;
    if (current < best) recordBest();
  };

  let moves = 0;
  const addMove = (at: number): void => {
    const u = path[at]!;
    const v = path[at + 1]!;
    // Consecutive operations of one job on one machine cannot trade places.
    if (jobSucc[u] === v) return;
    if (moves > 0 && moveFirst[moves - 1] === u && moveSecond[moves - 1] === v) return;
    moveFirst[moves] = u;
    moveSecond[moves++] = v;
  };

  while (best > stopAt && iterations < limits.maxIterations) {
    if (clock && (iterations & 63) === 0 && clock() - started >= limits.timeLimitMs) break;
    iterations++;

    const length = graph.criticalPath(current, path, viaMachine);
    let blocks = 0;
    for (let i = 0; i < length; i++) {
      if (i === 0 || viaMachine[i] === 0) blockStart[blocks++] = i;
      blockEnd[blocks - 1] = i;
    }
    moves = 0;
    for (let b = 0; b < blocks; b++) {
      const s = blockStart[b]!;
      const e = blockEnd[b]!;
      if (e === s) continue;
      if (b > 0 || blocks === 1) addMove(s);
      if (b < blocks - 1 || blocks === 1) addMove(e - 1);
    }
    if (moves === 0) {
      restart();
      continue;
    }

    let chosen = -1;
    let chosenValue = Infinity;
    let ties = 0;
    let oldest = 0;
    let oldestAt = Infinity;
    for (let i = 0; i < moves; i++) {
      const u = moveFirst[i]!;
      const v = moveSecond[i]!;
      const value = estimate(u, v);
      // Swapping u and v puts v first; that is tabu when "v right before u" was recently undone.
      if (isTabu(v, u) && value >= best) {
        const at = tabuAgeOf(v, u);
        if (at < oldestAt) {
          oldestAt = at;
          oldest = i;
        }
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
    if (chosen < 0) chosen = oldest;

    const u = moveFirst[chosen]!;
    const v = moveSecond[chosen]!;
    graph.swapAdjacent(u, v);
    const makespan = graph.evaluate();
    if (makespan < 0) {
      // Only zero-length operations can close a cycle here: undo, and forbid the move for a while.
      graph.swapAdjacent(v, u);
      graph.evaluate();
      pushTabu(v, u);
      continue;
    }
    current = makespan;
    pushTabu(u, v);
    tenure = minTenure + random.int(maxTenure - minTenure + 1);
    if (current < best) recordBest();
    else if (++stall > limits.stallIterations) restart();
  }

  function pushTabu(first: number, second: number): void {
    tabuFirst[tabuNext] = first;
    tabuSecond[tabuNext] = second;
    tabuAt[tabuNext] = iterations;
    tabuNext = (tabuNext + 1) % maxTenure;
  }

  function tabuAgeOf(first: number, second: number): number {
    for (let i = 0; i < maxTenure; i++) {
      if (tabuFirst[i] === first && tabuSecond[i] === second) return tabuAt[i]!;
    }
    return -Infinity;
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
    stallIterations: options.stallIterations ?? 300 + 10 * operations,
  };
}
