// Independent replications with warm-up deletion, summarised as mean ± Student-t half width per metric.
import { SimParameterError } from './errors.js';
import { Random } from './random.js';
import { Simulation } from './Simulation.js';
import { confidenceInterval, type ConfidenceInterval } from './statistics.js';

export type Metrics = Record<string, number>;

export interface ReplicationContext {
  readonly sim: Simulation;
  /** 0-based index of this replication. */
  readonly replication: number;
  readonly seed: number;
  /**
   * Random stream `stream` of this replication. Give each source of randomness its own stream
   * number (arrivals 0, machine 1 times 1, …): then two scenarios run with the same seed see the
   * same arrivals (common random numbers), and their difference has a far tighter interval.
   */
  random(stream: number): Random;
}

/** Builds the model into ctx.sim and returns the function that reads its metrics at the end of the run. */
export type ModelBuilder = (context: ReplicationContext) => () => Metrics;

export interface ReplicationPlan {
  readonly seed: number;
  /** Simulated time discarded before statistics count (0: none). */
  readonly warmup?: number;
  /** Simulated time measured after the warm-up. */
  readonly runLength: number;
}

export interface ReplicationOptions extends ReplicationPlan {
  readonly replications: number;
  /** Confidence level of the intervals; 0.95 unless given. */
  readonly level?: number;
  /** Called after each replication, e.g. for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface MetricSummary extends ConfidenceInterval {
  /** One value per replication, in replication order. */
  readonly values: readonly number[];
}

export interface ReplicationsResult {
  readonly seed: number;
  readonly replications: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
}

function checkPlan(plan: ReplicationPlan): void {
  if (!Number.isSafeInteger(plan.seed)) {
    throw new SimParameterError('seed', `seed must be a safe integer, got ${plan.seed}`);
  }
  const warmup = plan.warmup ?? 0;
  if (!(warmup >= 0 && warmup < Infinity)) {
    throw new SimParameterError('warmup', `warmup must be a finite number >= 0, got ${warmup}`);
  }
  if (!(plan.runLength > 0 && plan.runLength < Infinity)) {
    throw new SimParameterError('runLength', `runLength must be a finite number > 0, got ${plan.runLength}`);
  }
}

/**
 * Runs replication number `replication` alone: worker threads each run some indices and the
 * parent combines the rows with summarizeReplications, with results identical to a serial run.
 */
export function runReplication(build: ModelBuilder, plan: ReplicationPlan, replication: number): Metrics {
  checkPlan(plan);
  if (!(Number.isInteger(replication) && replication >= 0 && replication < 2 ** 32)) {
    throw new SimParameterError(
      'replication',
      `replication must be an integer in [0, 2^32), got ${replication}`,
    );
  }
  const sim = new Simulation();
  const context: ReplicationContext = {
    sim,
    replication,
    seed: plan.seed,
    random: (stream) => new Random(plan.seed, stream, replication),
  };
  const readMetrics = build(context);
  const warmup = plan.warmup ?? 0;
  if (warmup > 0) {
    sim.run(warmup);
    sim.resetStatistics();
  }
  sim.run(warmup + plan.runLength);
  return readMetrics();
}

/** Mean and confidence interval of each metric over the rows, one row per replication. */
export function summarizeReplications(
  rows: readonly Metrics[],
  level = 0.95,
): Readonly<Record<string, MetricSummary>> {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  const summary: Record<string, MetricSummary> = {};
  for (const name of [...names].sort()) {
    const values = rows.map((row) => row[name] ?? NaN);
    summary[name] = { ...confidenceInterval(values, level), values };
  }
  return summary;
}

export function runReplications(build: ModelBuilder, options: ReplicationOptions): ReplicationsResult {
  const { replications } = options;
  if (!(Number.isInteger(replications) && replications >= 1)) {
    throw new SimParameterError('replications', `replications must be an integer >= 1, got ${replications}`);
  }
  checkPlan(options);
  const rows: Metrics[] = [];
  for (let r = 0; r < replications; r++) {
    rows.push(runReplication(build, options, r));
    options.onProgress?.(r + 1, replications);
  }
  return { seed: options.seed, replications, metrics: summarizeReplications(rows, options.level ?? 0.95) };
}
