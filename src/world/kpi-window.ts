// The window and bucket width of a KPI read, from the query's from, to and bucket, checked.
import { ValidationError } from '../core/errors.js';

export interface KpiWindow {
  readonly from: number;
  readonly to: number;
  readonly bucket: number;
}

export const DEFAULT_SPAN_MS = 3_600_000;
export const MAX_SPAN_MS = 31 * 86_400_000;
export const MAX_BUCKETS = 1000;
/** About this many buckets by default: enough points for a chart, few enough to read at a glance. */
const TARGET_BUCKETS = 60;
/** Bucket widths a person reads easily; the default picks the first giving at most TARGET_BUCKETS. */
const NICE_WIDTHS = [
  1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
  10_800_000, 21_600_000, 43_200_000, 86_400_000,
];
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function time(text: string, name: 'from' | 'to'): number {
  const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new ValidationError(
      'IMV_KPI_RANGE_INVALID',
      `"${name}" is "${text}", neither ISO 8601 nor epoch milliseconds`,
      { path: `/query/${name}` },
    );
  }
  return ms;
}

function duration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!) : NaN;
  if (!Number.isFinite(ms) || ms < 1000) {
    throw new ValidationError(
      'IMV_KPI_BUCKET_INVALID',
      `"bucket" is "${text}": give a duration of at least 1s, such as 30s, 5m or 1h`,
      { path: '/query/bucket' },
    );
  }
  return ms;
}

/** Defaults: to = now, from = to − 1 h. A `to` in the future is read as now: nothing is known beyond it. */
export function resolveKpiWindow(
  query: { from?: string; to?: string; bucket?: string },
  now: number,
): KpiWindow {
  const to = Math.min(now, query.to === undefined ? now : time(query.to, 'to'));
  const from = query.from === undefined ? to - DEFAULT_SPAN_MS : time(query.from, 'from');
  if (from >= to) {
    throw new ValidationError(
      'IMV_KPI_RANGE_INVALID',
      '"from" must be before "to" and before now (a "to" in the future is read as now)',
      { path: '/query/from' },
    );
  }
  if (to - from > MAX_SPAN_MS) {
    throw new ValidationError('IMV_KPI_RANGE_INVALID', 'The window spans more than 31 days: narrow it', {
      path: '/query/from',
    });
  }
  const span = to - from;
  const bucket =
    query.bucket === undefined
      ? (NICE_WIDTHS.find((w) => span / w <= TARGET_BUCKETS) ?? NICE_WIDTHS.at(-1)!)
      : duration(query.bucket);
  const count = Math.ceil(to / bucket) - Math.floor(from / bucket);
  if (count > MAX_BUCKETS) {
    throw new ValidationError(
      'IMV_KPI_BUCKET_INVALID',
      `"bucket" ${query.bucket} gives ${count} buckets over this window; at most ${MAX_BUCKETS}: widen it`,
      { path: '/query/bucket' },
    );
  }
  return { from, to, bucket };
}
