// The time-series history port: every accepted value of every twin field, queryable by range,
// latest and downsampled buckets. The embedded default is SQLite with Gorilla-compressed chunks
// (sqlite-store.ts); a PostgreSQL adapter passes the same contract (store.contract.ts).
import type { Quality } from '../ingest/points.js';

export interface SeriesKey {
  readonly twin: string;
  readonly field: string;
}

export interface HistoryPoint {
  readonly twin: string;
  readonly field: string;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  readonly value: number | string | boolean;
  readonly quality?: Quality;
}

export interface Sample {
  readonly time: number;
  readonly value: number | string | boolean;
  readonly quality?: Quality;
}

export interface Bucket {
  /** Start of the bucket, ms since epoch (aligned to a multiple of the bucket width). */
  readonly time: number;
  readonly count: number;
  /** Numeric series only. */
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  /** The value of the latest sample in the bucket. */
  readonly last: number | string | boolean;
}

export interface HistoryStore {
  /** Appends points; resolves once they are durable (they survive kill -9). Same series and time: last write wins. */
  append(points: readonly HistoryPoint[]): Promise<void>;
  /** Samples with from <= time < to, oldest first, at most `limit`. */
  range(key: SeriesKey, from: number, to: number, limit?: number): Promise<Sample[]>;
  /** The latest sample of each series (absent ones are left out). */
  latest(keys: readonly SeriesKey[]): Promise<Map<string, Sample>>;
  /**
   * For each series, its latest sample at or before `time` (absent ones are left out), keyed by
   * seriesId: the state of many twins at one moment, for the world's replay.
   */
  latestAt(keys: readonly SeriesKey[], time: number): Promise<Map<string, Sample>>;
  /**
   * Samples of several series with from <= time < to, in time order (at one time, in the order of
   * `keys`), at most `limit`: every change of a set of fields in a window, in one read.
   */
  rangeMany(keys: readonly SeriesKey[], from: number, to: number, limit: number): Promise<HistoryPoint[]>;
  /** Downsampled: one bucket per `width` ms that holds samples, oldest first. */
  buckets(key: SeriesKey, from: number, to: number, width: number): Promise<Bucket[]>;
  /** Series known for a twin. */
  fields(twin: string): Promise<string[]>;
  /** Keep at most `ms` of history for the series of a twin field (or every field when field is '*'); older points are removed. */
  setRetention(key: { twin: string; field: string | '*' }, ms: number): Promise<void>;
  /** Removes points past their retention. Returns how many were removed. */
  enforceRetention(now: number): Promise<number>;
  close(): Promise<void>;
}

/** The map key used by `latest`. */
export function seriesId(key: SeriesKey): string {
  return `${key.twin}\u0000${key.field}`;
}
