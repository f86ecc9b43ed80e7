// Output statistics: observation tallies, time-weighted averages with warm-up reset, Student-t confidence intervals.
import { studentTQuantile } from './special-functions.js';

/** Anything that tells the simulated time; Simulation is one. */
export interface Clock {
  readonly now: number;
}

/** A statistic that forgets what it saw, at the end of a warm-up period. */
export interface Resettable {
  reset(): void;
}

/** Mean, variance (Welford, stable over millions of observations), min and max of observations. */
export class Tally implements Resettable {
  count = 0;
  min = Infinity;
  max = -Infinity;
  private m = 0;
  private s = 0;
  private total = 0;

  add(value: number): void {
    const n = ++this.count;
    const delta = value - this.m;
    this.m += delta / n;
    this.s += delta * (value - this.m);
    this.total += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** NaN before the first observation, so an empty statistic never passes for zero. */
  get mean(): number {
    return this.count > 0 ? this.m : NaN;
  }

  get sum(): number {
    return this.total;
  }

  /** Sample variance (n − 1). */
  get variance(): number {
    return this.count > 1 ? this.s / (this.count - 1) : NaN;
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }

  reset(): void {
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.m = 0;
    this.s = 0;
    this.total = 0;
  }
}

/** The time average of a piecewise-constant quantity (queue length, busy servers, stock level). */
export class TimeWeighted implements Resettable {
  private value: number;
  private lastTime: number;
  private startTime: number;
  private area = 0;
  min: number;
  max: number;

  constructor(
    private readonly clock: Clock,
    initial = 0,
  ) {
    this.value = initial;
    this.lastTime = clock.now;
    this.startTime = clock.now;
    this.min = initial;
    this.max = initial;
  }

  get current(): number {
    return this.value;
  }

  set(value: number): void {
    const now = this.clock.now;
    this.area += this.value * (now - this.lastTime);
    this.lastTime = now;
    this.value = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  add(delta: number): void {
    this.set(this.value + delta);
  }

  /** The time integral since the last reset, up to now. */
  get integral(): number {
    return this.area + this.value * (this.clock.now - this.lastTime);
  }

  /** The time average since the last reset, up to now; NaN over an empty interval. */
  get mean(): number {
    const span = this.clock.now - this.startTime;
    return span > 0 ? this.integral / span : NaN;
  }

  /** Restarts averaging now, keeping the current value: warm-up deletion. */
  reset(): void {
    const now = this.clock.now;
    this.area = 0;
    this.lastTime = now;
    this.startTime = now;
    this.min = this.value;
    this.max = this.value;
  }
}

export interface ConfidenceInterval {
  readonly mean: number;
  /** Half the width of the interval: the estimate is mean ± halfWidth. */
  readonly halfWidth: number;
  readonly low: number;
  readonly high: number;
  readonly sd: number;
  readonly n: number;
  readonly level: number;
}

/**
 * The Student-t interval for the mean of independent, roughly normal observations (one per
 * replication). With fewer than two observations the half width is NaN: there is no interval.
 */
export function confidenceInterval(values: readonly number[], level = 0.95): ConfidenceInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const tally = new Tally();
  for (const v of values) tally.add(v);
  const n = tally.count;
  const mean = tally.mean;
  const sd = tally.sd;
  const halfWidth = n > 1 ? studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n)) : NaN;
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth, sd, n, level };
}
