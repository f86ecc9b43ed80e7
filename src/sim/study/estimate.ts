// Mean and 95% confidence interval of one metric over replications, in a form JSON keeps (null, never NaN).
import { confidenceInterval } from '../engine/index.js';

export interface MetricEstimate {
  /** null when no replication gave a finite value (e.g. no unit finished, so no lead time). */
  readonly mean: number | null;
  /** The interval is mean ± halfWidth; null with fewer than two values. */
  readonly halfWidth: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly sd: number | null;
  /** Replications with a finite value. */
  readonly n: number;
}

export const CONFIDENCE_LEVEL = 0.95;

/** The Student-t interval over the finite values; NaN or infinite values (no observation) are left out. */
export function estimate(values: readonly (number | null)[]): MetricEstimate {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return { mean: null, halfWidth: null, low: null, high: null, sd: null, n: 0 };
  const ci = confidenceInterval(finite, CONFIDENCE_LEVEL);
  // Identical values give sd 0 and an interval of width 0: exact, not missing.
  return {
    mean: orNull(ci.mean),
    halfWidth: orNull(ci.halfWidth),
    low: orNull(ci.low),
    high: orNull(ci.high),
    sd: orNull(ci.sd),
    n: finite.length,
  };
}

export function orNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
