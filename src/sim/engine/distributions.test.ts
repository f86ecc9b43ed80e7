import { describe, expect, it } from 'vitest';
import {
  constant,
  discrete,
  distribution,
  empirical,
  erlang,
  exponential,
  lognormal,
  normal,
  triangular,
  uniform,
  weibull,
  type Distribution,
  type DistributionSpec,
} from './distributions.js';
import { SimParameterError } from './errors.js';
import { Random } from './random.js';
import { Tally } from './statistics.js';

function moments(d: Distribution, n = 100_000, seed = 3): Tally {
  const random = new Random(seed);
  const tally = new Tally();
  for (let i = 0; i < n; i++) tally.add(d.sample(random));
  return tally;
}

/** Asserts the sample mean is within 4 standard errors of the theoretical mean. */
function expectMean(d: Distribution, sd: number, seed = 3): Tally {
  const n = 100_000;
  const tally = moments(d, n, seed);
  expect(Math.abs(tally.mean - d.mean), `${d.kind}, seed ${seed}`).toBeLessThan(
    (4 * sd) / Math.sqrt(n) + 1e-12,
  );
  return tally;
}

describe('distributions', () => {
  it('sample with their theoretical mean and spread', () => {
    expect(expectMean(exponential(2), 2).sd).toBeCloseTo(2, 1);
    const u = expectMean(uniform(1, 5), 4 / Math.sqrt(12));
    expect(u.min).toBeGreaterThanOrEqual(1);
    expect(u.max).toBeLessThan(5);
    const t = expectMean(triangular(1, 2, 6), 1.1);
    expect(t.min).toBeGreaterThanOrEqual(1);
    expect(t.max).toBeLessThanOrEqual(6);
    expect(triangular(1, 2, 6).mean).toBeCloseTo(3, 12);
    expect(expectMean(normal(10, 2), 2).sd).toBeCloseTo(2, 1);
    expect(expectMean(lognormal(5, 2), 2).sd).toBeCloseTo(2, 1);
    expect(weibull(2, 3).mean).toBeCloseTo(3 * 0.886226925452758, 10);
    expectMean(weibull(2, 3), 1.57);
    const e = expectMean(erlang(4, 8), 4);
    expect(e.sd).toBeCloseTo(4, 1);
    expect(expectMean(erlang(2000, 1), 1 / Math.sqrt(2000)).min).toBeGreaterThan(0);
    expect(moments(constant(4.5), 10).mean).toBe(4.5);
  });

  it('draw a discrete table in proportion to its weights', () => {
    const d = discrete([10, 20, 30], [1, 2, 1]);
    expect(d.mean).toBeCloseTo(20, 12);
    const random = new Random(8);
    const counts = new Map<number, number>();
    for (let i = 0; i < 40_000; i++) {
      const x = d.sample(random);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([10, 20, 30]);
    expect(Math.abs(counts.get(20)! - 20_000)).toBeLessThan(500);
  });

  it('interpolate a continuous empirical CDF', () => {
    const d = empirical([0, 1, 3], [0, 0.5, 1]);
    expect(d.mean).toBeCloseTo(0.25 + 1, 12);
    const tally = expectMean(d, 0.9);
    expect(tally.min).toBeGreaterThanOrEqual(0);
    expect(tally.max).toBeLessThanOrEqual(3);
  });

  it('are built from plain data and repeat for the same stream', () => {
    const spec: DistributionSpec = { kind: 'lognormal', mean: 3, sd: 1 };
    const a = distribution(spec);
    const b = distribution(spec);
    const ra = new Random(1, 2);
    const rb = new Random(1, 2);
    for (let i = 0; i < 100; i++) expect(a.sample(ra)).toBe(b.sample(rb));
    expect(distribution({ kind: 'constant', value: 2 }).mean).toBe(2);
  });

  it('reject invalid parameters with an error naming the parameter', () => {
    const cases: [() => Distribution, string][] = [
      [() => exponential(0), 'mean'],
      [() => exponential(Number.NaN), 'mean'],
      [() => uniform(3, 1), 'max'],
      [() => triangular(1, 0, 3), 'mode'],
      [() => triangular(1, 2, 1.5), 'max'],
      [() => normal(1, -1), 'sd'],
      [() => lognormal(-1, 1), 'mean'],
      [() => weibull(0, 1), 'shape'],
      [() => weibull(1, Infinity), 'scale'],
      [() => erlang(2.5, 1), 'k'],
      [() => discrete([1, 2], [1]), 'probabilities'],
      [() => discrete([1, 2], [1, -1]), 'probabilities/1'],
      [() => empirical([0, 2, 1], [0, 0.5, 1]), 'points/2'],
      [() => empirical([0, 1, 2], [0, 0.5, 0.9]), 'cumulative/2'],
      [() => distribution({ kind: 'poisson' } as unknown as DistributionSpec), 'kind'],
      [() => distribution({ kind: 'exponential' } as unknown as DistributionSpec), 'mean'],
    ];
    for (const [make, parameter] of cases) {
      let caught: unknown;
      try {
        make();
      } catch (error) {
        caught = error;
      }
      expect(caught, parameter).toBeInstanceOf(SimParameterError);
      const error = caught as SimParameterError;
      expect(error.parameter).toBe(parameter);
      expect(error.path).toBe(`/${parameter}`);
      expect(error.code).toBe('IMV_SIM_PARAMETER_INVALID');
      expect(error.message).toContain(parameter);
    }
  });
});
