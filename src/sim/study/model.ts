// The contract between a study and the simulation model it runs: what one replication takes and gives back.

/**
 * Changes to the plant for one scenario (machines, processing times, MTBF/MTTR, speeds, buffer
 * capacities, AGVs, source rate). Its exact shape belongs to the model that reads it; a study only
 * carries it as a JSON object, so any model with this contract can be studied.
 */
export type ScenarioOverrides = Readonly<Record<string, unknown>>;

/** What one replication is asked to do; times in seconds of simulated time. */
export interface ReplicationRequest {
  readonly seed: number;
  /** 0-based; replication r of every scenario uses the same random streams (common random numbers). */
  readonly replication: number;
  /** Omitted: the model's own (the plant file's `warmup`). */
  readonly warmup?: number;
  readonly horizon: number;
  readonly scenario?: ScenarioOverrides;
}

/** Time series and observations of one replication, measured after the warm-up. */
export interface ReplicationTraces {
  /** Units finished in each simulated hour. */
  readonly throughputPerHour: readonly number[];
  /** Mean work in process in each simulated hour. */
  readonly wipPerHour: readonly number[];
  /** Lead time (seconds) of each finished unit. */
  readonly leadTimes: readonly number[];
}

/**
 * What one replication gives back. Metric names the report knows: throughput (units/h),
 * throughput.VARIANT, leadTime (s), wip, station.ID.{utilisation,oee,blocked,starved,down},
 * buffer.ID.level, bottleneck (station index); any others are carried along.
 */
export interface ReplicationOutput {
  readonly metrics: Readonly<Record<string, number>>;
  readonly traces: ReplicationTraces;
  /** Events the engine processed, for speed figures. */
  readonly events: number;
  /** Names people know the stations by (the plant file's twin names), by the id the metrics use. */
  readonly stationNames?: Readonly<Record<string, string>>;
}

/** Runs one replication of a compiled model. */
export type ReplicateFunction<M> = (model: M, request: ReplicationRequest) => ReplicationOutput;

/**
 * A model module, loaded by URL in each worker thread: `compileModel` turns a model file's text
 * into something runnable (throwing a typed error listing the file's problems), once per worker;
 * `runModelReplication` runs one replication of it.
 */
export interface StudyModelModule<M = unknown> {
  compileModel(text: string, file: string): M | Promise<M>;
  runModelReplication: ReplicateFunction<M>;
}

/** The model text a study runs, and the name its errors and report use for it. */
export interface ModelSource {
  readonly file: string;
  readonly text: string;
}
