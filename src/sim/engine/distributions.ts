// Random variates for model inputs: each distribution checks its parameters once and samples from a given stream.
import { SimParameterError } from './errors.js';
import type { Random } from './random.js';
import { gamma } from './special-functions.js';

export interface Distribution {
  readonly kind: string;
  /** The theoretical mean, for reports and sanity checks. */
  readonly mean: number;
  sample(random: Random): number;
}

/** The plain-data form of a distribution, as a plant file states it. Times are means, not rates. */
export type DistributionSpec =
  | { kind: 'constant'; value: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'triangular'; min: number; mode: number; max: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; mean: number; sd: number }
  | { kind: 'weibull'; shape: number; scale: number }
  | { kind: 'erlang'; k: number; mean: number }
  | { kind: 'discrete'; values: readonly number[]; probabilities: readonly number[] }
  | { kind: 'empirical'; points: readonly number[]; cumulative: readonly number[] };

export type DistributionKind = DistributionSpec['kind'];

function finite(kind: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SimParameterError(name, `${kind}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

function positive(kind: string, name: string, value: unknown): number {
  const x = finite(kind, name, value);
  if (!(x > 0)) throw new SimParameterError(name, `${kind}: ${name} must be > 0, got ${x}`);
  return x;
}

function nonNegative(kind: string, name: string, value: unknown): number {
  const x = finite(kind, name, value);
  if (!(x >= 0)) throw new SimParameterError(name, `${kind}: ${name} must be >= 0, got ${x}`);
  return x;
}

function numberArray(kind: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new SimParameterError(name, `${kind}: ${name} must be a non-empty array of numbers`);
  }
  return value.map((x: unknown, i: number) => finite(kind, `${name}/${i}`, x));
}

class Constant implements Distribution {
  readonly kind = 'constant';
  constructor(readonly mean: number) {}
  sample(): number {
    return this.mean;
  }
}

class Exponential implements Distribution {
  readonly kind = 'exponential';
  constructor(readonly mean: number) {}
  sample(random: Random): number {
    return -this.mean * Math.log(random.nextOpen());
  }
}

class Uniform implements Distribution {
  readonly kind = 'uniform';
  readonly mean: number;
  private readonly width: number;
  constructor(
    private readonly min: number,
    max: number,
  ) {
    this.width = max - min;
    this.mean = (min + max) / 2;
  }
  sample(random: Random): number {
    return this.min + this.width * random.next();
  }
}

class Triangular implements Distribution {
  readonly kind = 'triangular';
  readonly mean: number;
  private readonly split: number;
  constructor(
    private readonly min: number,
    private readonly mode: number,
    private readonly max: number,
  ) {
    this.mean = (min + mode + max) / 3;
    this.split = max > min ? (mode - min) / (max - min) : 0.5;
  }
  sample(random: Random): number {
    const u = random.next();
    const { min, mode, max } = this;
    if (u < this.split) return min + Math.sqrt(u * (max - min) * (mode - min));
    return max - Math.sqrt((1 - u) * (max - min) * (max - mode));
  }
}

/** Box–Muller, one variate per pair of uniforms: keeping the spare would tie the sample to call history. */
function standardNormal(random: Random): number {
  return Math.sqrt(-2 * Math.log(random.nextOpen())) * Math.cos(2 * Math.PI * random.next());
}

class Normal implements Distribution {
  readonly kind = 'normal';
  constructor(
    readonly mean: number,
    private readonly sd: number,
  ) {}
  sample(random: Random): number {
    return this.mean + this.sd * standardNormal(random);
  }
}

/** Parameterised by the mean and standard deviation of the variate itself, as data sheets give them. */
class Lognormal implements Distribution {
  readonly kind = 'lognormal';
  private readonly mu: number;
  private readonly sigma: number;
  constructor(
    readonly mean: number,
    sd: number,
  ) {
    const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
    this.sigma = Math.sqrt(sigma2);
    this.mu = Math.log(mean) - sigma2 / 2;
  }
  sample(random: Random): number {
    return Math.exp(this.mu + this.sigma * standardNormal(random));
  }
}

class Weibull implements Distribution {
  readonly kind = 'weibull';
  readonly mean: number;
  private readonly inverseShape: number;
  constructor(
    shape: number,
    private readonly scale: number,
  ) {
    this.inverseShape = 1 / shape;
    this.mean = scale * gamma(1 + 1 / shape);
  }
  sample(random: Random): number {
    return this.scale * Math.pow(-Math.log(random.nextOpen()), this.inverseShape);
  }
}

class Erlang implements Distribution {
  readonly kind = 'erlang';
  private readonly phaseMean: number;
  constructor(
    private readonly k: number,
    readonly mean: number,
  ) {
    this.phaseMean = mean / k;
  }
  sample(random: Random): number {
    // A product of uniforms needs one logarithm, but underflows for large k: take the log in chunks.
    let sum = 0;
    let product = 1;
    for (let i = 0; i < this.k; i++) {
      product *= random.nextOpen();
      if (product < 1e-280) {
        sum += Math.log(product);
        product = 1;
      }
    }
    return -this.phaseMean * (sum + Math.log(product));
  }
}

/** A discrete table: values with their probabilities (normalised, so weights work too). */
class Discrete implements Distribution {
  readonly kind = 'discrete';
  readonly mean: number;
  private readonly cumulative: Float64Array;
  constructor(
    private readonly values: readonly number[],
    probabilities: readonly number[],
  ) {
    const total = probabilities.reduce((a, b) => a + b, 0);
    this.cumulative = new Float64Array(values.length);
    let running = 0;
    let mean = 0;
    for (let i = 0; i < values.length; i++) {
      running += probabilities[i]! / total;
      this.cumulative[i] = running;
      mean += (values[i]! * probabilities[i]!) / total;
    }
    this.cumulative[values.length - 1] = 1;
    this.mean = mean;
  }
  sample(random: Random): number {
    const u = random.next();
    const cumulative = this.cumulative;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (u < cumulative[mid]!) high = mid;
      else low = mid + 1;
    }
    return this.values[low]!;
  }
}

/** A continuous piecewise-linear CDF through (points[i], cumulative[i]), e.g. from a histogram of measured times. */
class Empirical implements Distribution {
  readonly kind = 'empirical';
  readonly mean: number;
  constructor(
    private readonly points: readonly number[],
    private readonly cumulative: readonly number[],
  ) {
    let mean = 0;
    for (let i = 1; i < points.length; i++) {
      mean += ((cumulative[i]! - cumulative[i - 1]!) * (points[i]! + points[i - 1]!)) / 2;
    }
    this.mean = mean;
  }
  sample(random: Random): number {
    const u = random.next();
    const { points, cumulative } = this;
    let low = 1;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (u < cumulative[mid]!) high = mid;
      else low = mid + 1;
    }
    const c0 = cumulative[low - 1]!;
    const c1 = cumulative[low]!;
    const x0 = points[low - 1]!;
    return c1 > c0 ? x0 + ((u - c0) / (c1 - c0)) * (points[low]! - x0) : x0;
  }
}

export function constant(value: number): Distribution {
  return new Constant(finite('constant', 'value', value));
}

export function exponential(mean: number): Distribution {
  return new Exponential(positive('exponential', 'mean', mean));
}

export function uniform(min: number, max: number): Distribution {
  const a = finite('uniform', 'min', min);
  const b = finite('uniform', 'max', max);
  if (!(b >= a)) throw new SimParameterError('max', `uniform: max must be >= min (${a}), got ${b}`);
  return new Uniform(a, b);
}

export function triangular(min: number, mode: number, max: number): Distribution {
  const a = finite('triangular', 'min', min);
  const c = finite('triangular', 'mode', mode);
  const b = finite('triangular', 'max', max);
  if (!(c >= a)) throw new SimParameterError('mode', `triangular: mode must be >= min (${a}), got ${c}`);
  if (!(b >= c)) throw new SimParameterError('max', `triangular: max must be >= mode (${c}), got ${b}`);
  return new Triangular(a, c, b);
}

export function normal(mean: number, sd: number): Distribution {
  return new Normal(finite('normal', 'mean', mean), nonNegative('normal', 'sd', sd));
}

export function lognormal(mean: number, sd: number): Distribution {
  return new Lognormal(positive('lognormal', 'mean', mean), nonNegative('lognormal', 'sd', sd));
}

export function weibull(shape: number, scale: number): Distribution {
  return new Weibull(positive('weibull', 'shape', shape), positive('weibull', 'scale', scale));
}

export function erlang(k: number, mean: number): Distribution {
  const phases = positive('erlang', 'k', k);
  if (!Number.isInteger(phases) || phases > 10_000) {
    throw new SimParameterError('k', `erlang: k must be an integer in [1, 10000], got ${phases}`);
  }
  return new Erlang(phases, positive('erlang', 'mean', mean));
}

export function discrete(values: readonly number[], probabilities: readonly number[]): Distribution {
  const xs = numberArray('discrete', 'values', values);
  const ps = numberArray('discrete', 'probabilities', probabilities);
  if (ps.length !== xs.length) {
    throw new SimParameterError(
      'probabilities',
      `discrete: probabilities must have one entry per value (${xs.length}), got ${ps.length}`,
    );
  }
  ps.forEach((p, i) => nonNegative('discrete', `probabilities/${i}`, p));
  if (!(ps.reduce((a, b) => a + b, 0) > 0)) {
    throw new SimParameterError('probabilities', 'discrete: probabilities must not all be zero');
  }
  return new Discrete(xs, ps);
}

export function empirical(points: readonly number[], cumulative: readonly number[]): Distribution {
  const xs = numberArray('empirical', 'points', points);
  const cs = numberArray('empirical', 'cumulative', cumulative);
  if (xs.length < 2 || cs.length !== xs.length) {
    throw new SimParameterError(
      'cumulative',
      `empirical: points and cumulative must have the same length, at least 2 (got ${xs.length} and ${cs.length})`,
    );
  }
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i]! >= xs[i - 1]!)) {
      throw new SimParameterError(
        `points/${i}`,
        `empirical: points/${i} must not be below the point before it (${xs[i - 1]}), got ${xs[i]}`,
      );
    }
    if (!(cs[i]! >= cs[i - 1]!)) {
      throw new SimParameterError(
        `cumulative/${i}`,
        `empirical: cumulative/${i} must not be below the value before it (${cs[i - 1]}), got ${cs[i]}`,
      );
    }
  }
  if (cs[0] !== 0)
    throw new SimParameterError('cumulative/0', `empirical: cumulative/0 must be 0, got ${cs[0]}`);
  const last = cs.length - 1;
  if (cs[last] !== 1) {
    throw new SimParameterError(
      `cumulative/${last}`,
      `empirical: cumulative/${last} (the last) must be 1, got ${cs[last]}`,
    );
  }
  return new Empirical(xs, cs);
}

/** Builds a distribution from its plain-data form; errors name the field (path `/mean`, `/points/3`). */
export function distribution(spec: DistributionSpec): Distribution {
  switch (spec.kind) {
    case 'constant':
      return constant(spec.value);
    case 'exponential':
      return exponential(spec.mean);
    case 'uniform':
      return uniform(spec.min, spec.max);
    case 'triangular':
      return triangular(spec.min, spec.mode, spec.max);
    case 'normal':
      return normal(spec.mean, spec.sd);
    case 'lognormal':
      return lognormal(spec.mean, spec.sd);
    case 'weibull':
      return weibull(spec.shape, spec.scale);
    case 'erlang':
      return erlang(spec.k, spec.mean);
    case 'discrete':
      return discrete(spec.values, spec.probabilities);
    case 'empirical':
      return empirical(spec.points, spec.cumulative);
    default: {
      const kind: unknown = (spec as { kind?: unknown }).kind;
      throw new SimParameterError('kind', `unknown distribution kind ${JSON.stringify(kind)}`);
    }
  }
}
