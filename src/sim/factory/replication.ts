// One replication of a plant simulation, as a study runner calls it from a worker thread: metrics, traces, events.
import { Random, SimParameterError, Simulation, type Metrics } from '../engine/index.js';
import { buildPlantModel } from './build.js';
import type { PlantObserver } from './observer.js';
import type { PlantSimulation, ScenarioOverrides } from './spec.js';

export interface PlantReplicationOptions {
  readonly seed: number;
  /** 0-based; with the seed it picks the random streams, as the engine's runReplication does. */
  readonly replication: number;
  /** Seconds discarded before measuring; the file's `warmup` when omitted. */
  readonly warmup?: number;
  /** Seconds measured after the warm-up. */
  readonly horizon: number;
  readonly scenario?: ScenarioOverrides;
  readonly observer?: PlantObserver;
}

export interface PlantReplicationResult {
  readonly metrics: Metrics;
  readonly traces: {
    /** Units completed in each measured hour. */
    readonly throughputPerHour: number[];
    /** Units in the plant at the end of each measured hour. */
    readonly wipPerHour: number[];
    /** A uniform sample of lead times (seconds), at most LEAD_TIME_SAMPLE. */
    readonly leadTimes: number[];
  };
  /** Events the engine ran, warm-up included. */
  readonly events: number;
  /** The plant file's station names, by id. */
  readonly stationNames: Readonly<Record<string, string>>;
}

const HOUR = 3600;

export function runPlantReplication(
  plant: PlantSimulation,
  options: PlantReplicationOptions,
): PlantReplicationResult {
  const warmup = options.warmup ?? plant.warmup;
  if (!(Number.isFinite(options.horizon) && options.horizon > 0)) {
    throw new SimParameterError(
      'horizon',
      `horizon must be a finite number of seconds > 0, got ${options.horizon}`,
    );
  }
  if (!(Number.isFinite(warmup) && warmup >= 0)) {
    throw new SimParameterError('warmup', `warmup must be a finite number of seconds >= 0, got ${warmup}`);
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new SimParameterError('seed', `seed must be a safe integer, got ${options.seed}`);
  }
  const sim = new Simulation();
  const model = buildPlantModel(sim, plant, {
    random: (stream) => new Random(options.seed, stream, options.replication),
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
  });
  if (warmup > 0) {
    sim.run(warmup);
    sim.resetStatistics();
  }
  const throughputPerHour: number[] = [];
  const wipPerHour: number[] = [];
  let lastCompleted = 0;
  const hourly = (): void => {
    const completed = model.completedSinceReset();
    throughputPerHour.push(completed - lastCompleted);
    lastCompleted = completed;
    wipPerHour.push(model.context.wip.current);
    if (sim.now + HOUR <= warmup + options.horizon + 1e-9) sim.schedule(HOUR, hourly);
  };
  if (options.horizon >= HOUR) sim.schedule(HOUR, hourly);
  sim.run(warmup + options.horizon);
  return {
    metrics: model.metrics(),
    traces: { throughputPerHour, wipPerHour, leadTimes: model.leadTimes() },
    events: sim.eventsProcessed,
    stationNames: model.stationNames(),
  };
}
