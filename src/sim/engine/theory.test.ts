// Validation against queueing theory: simulated Lq, Wq, utilisation and Little's law against the analytic values.
import { describe, expect, it } from 'vitest';
import { constant, exponential, type Distribution } from './distributions.js';
import type { ProcessGenerator } from './Process.js';
import {
  runReplication,
  runReplications,
  type Metrics,
  type ModelBuilder,
  type MetricSummary,
} from './replications.js';
import { Resource } from './Resource.js';
import { studentTQuantile } from './special-functions.js';

/** Stations in series, each with `servers` servers; Poisson arrivals at rate λ. A process per customer, as model writers write them. */
function seriesOfQueues(
  lambda: number,
  stations: readonly { servers: number; service: Distribution }[],
): ModelBuilder {
  return ({ sim, random }) => {
    const arrivals = random(0);
    const resources = stations.map((s, i) => new Resource(sim, s.servers, `station-${i}`));
    const streams = stations.map((_, i) => random(i + 1));
    const inSystem = sim.timeWeighted(0);
    const sojourn = sim.tally();
    function* customer(): ProcessGenerator {
      const arrived = sim.now;
      inSystem.add(1);
      for (let i = 0; i < stations.length; i++) {
        const request = resources[i]!.request();
        yield request;
        yield stations[i]!.service.sample(streams[i]!);
        resources[i]!.release(request);
      }
      inSystem.add(-1);
      sojourn.add(sim.now - arrived);
    }
    sim.process(function* (): ProcessGenerator {
      for (;;) {
        yield arrivals.exponential(1 / lambda);
        sim.process(customer());
      }
    });
    return () => {
      const metrics: Metrics = { L: inSystem.mean, W: sojourn.mean, departures: sojourn.count };
      resources.forEach((r, i) => {
        metrics[`Lq${i}`] = r.queueLength.mean;
        metrics[`Wq${i}`] = r.waits.mean;
        metrics[`rho${i}`] = r.utilisation;
        metrics[`granted${i}`] = r.waits.count;
      });
      return metrics;
    };
  };
}

/** Erlang's C formula: the probability that an arrival to an M/M/c queue waits. */
function erlangC(c: number, offered: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= offered / k;
    sum += term;
  }
  const last = (term * offered) / c;
  const rho = offered / c;
  const waiting = last / (1 - rho);
  return waiting / (sum + waiting);
}

const SEED = 20240501;
const plan = { seed: SEED, replications: 20, warmup: 500, runLength: 15_000 };

function expectCovers(
  summary: MetricSummary | undefined,
  expected: number,
  label: string,
  maxRelativeHalfWidth: number,
): void {
  expect(summary, label).toBeDefined();
  const { low, high, mean, halfWidth } = summary!;
  const where = `${label}: analytic ${expected.toFixed(4)}, simulated ${mean.toFixed(4)} ± ${halfWidth.toFixed(4)} (seed ${SEED})`;
  expect(low <= expected && expected <= high, where).toBe(true);
  // A test that passes only because its interval is wide proves nothing: bound the width too.
  expect(halfWidth / Math.max(expected, 1e-9), where).toBeLessThan(maxRelativeHalfWidth);
}

/** Little's law on each replication: L − λ̂·W has mean 0 within its own interval (λ̂ = departures / run length). */
function expectLittle(
  metrics: Readonly<Record<string, MetricSummary>>,
  runLength: number,
  label: string,
): void {
  const values = metrics.L!.values.map(
    (L, r) => L - (metrics.departures!.values[r]! / runLength) * metrics.W!.values[r]!,
  );
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const halfWidth = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  expect(
    Math.abs(mean) <= halfWidth || Math.abs(mean) < 1e-3 * metrics.L!.mean,
    `${label} Little: L − λW = ${mean} ± ${halfWidth} (seed ${SEED})`,
  ).toBe(true);
}

describe('validation against queueing theory', () => {
  it('M/M/1: Lq = ρ²/(1−ρ), Wq = ρ/(μ−λ), utilisation ρ', () => {
    const lambda = 0.7;
    const mu = 1;
    const rho = lambda / mu;
    const { metrics } = runReplications(
      seriesOfQueues(lambda, [{ servers: 1, service: exponential(1 / mu) }]),
      plan,
    );
    expectCovers(metrics.Lq0, (rho * rho) / (1 - rho), 'M/M/1 Lq', 0.1);
    expectCovers(metrics.Wq0, rho / (mu - lambda), 'M/M/1 Wq', 0.1);
    expectCovers(metrics.rho0, rho, 'M/M/1 utilisation', 0.02);
    expectCovers(metrics.L, rho / (1 - rho), 'M/M/1 L', 0.1);
    expectLittle(metrics, plan.runLength, 'M/M/1');
  });

  it('M/M/c (Erlang C): Lq = C(c, a)·ρ/(1−ρ), Wq = Lq/λ', () => {
    const c = 3;
    const lambda = 2.4;
    const mu = 1;
    const offered = lambda / mu;
    const rho = offered / c;
    const pWait = erlangC(c, offered);
    const Wq = pWait / (c * mu - lambda);
    const { metrics } = runReplications(
      seriesOfQueues(lambda, [{ servers: c, service: exponential(1 / mu) }]),
      plan,
    );
    expectCovers(metrics.Lq0, lambda * Wq, 'M/M/3 Lq', 0.1);
    expectCovers(metrics.Wq0, Wq, 'M/M/3 Wq', 0.1);
    expectCovers(metrics.rho0, rho, 'M/M/3 utilisation', 0.02);
    expectLittle(metrics, plan.runLength, 'M/M/3');
  });

  it('M/D/1 (Pollaczek–Khinchine): Lq = ρ²/(2(1−ρ))', () => {
    const lambda = 0.7;
    const service = 1;
    const rho = lambda * service;
    const Lq = (rho * rho) / (2 * (1 - rho));
    const { metrics } = runReplications(
      seriesOfQueues(lambda, [{ servers: 1, service: constant(service) }]),
      plan,
    );
    expectCovers(metrics.Lq0, Lq, 'M/D/1 Lq', 0.1);
    expectCovers(metrics.Wq0, Lq / lambda, 'M/D/1 Wq', 0.1);
    expectCovers(metrics.rho0, rho, 'M/D/1 utilisation', 0.02);
    expectLittle(metrics, plan.runLength, 'M/D/1');
  });

  it('tandem Jackson network: each station is an independent M/M/1, sojourn is the sum', () => {
    const lambda = 0.5;
    const mus = [1, 0.8];
    const { metrics } = runReplications(
      seriesOfQueues(
        lambda,
        mus.map((mu) => ({ servers: 1, service: exponential(1 / mu) })),
      ),
      plan,
    );
    mus.forEach((mu, i) => {
      const rho = lambda / mu;
      expectCovers(metrics[`Lq${i}`], (rho * rho) / (1 - rho), `tandem station ${i} Lq`, 0.1);
      expectCovers(metrics[`Wq${i}`], rho / (mu - lambda), `tandem station ${i} Wq`, 0.1);
      expectCovers(metrics[`rho${i}`], rho, `tandem station ${i} utilisation`, 0.02);
    });
    expectCovers(
      metrics.W,
      mus.reduce((sum, mu) => sum + 1 / (mu - lambda), 0),
      'tandem sojourn W',
      0.1,
    );
    expectLittle(metrics, plan.runLength, 'tandem');
  });

  it('repeats a replication to the bit for the same seed, and differs for another', () => {
    const build = seriesOfQueues(0.8, [
      { servers: 1, service: exponential(1) },
      { servers: 2, service: constant(1.5) },
    ]);
    const short = { seed: 99, warmup: 50, runLength: 500 };
    const a = runReplication(build, short, 3);
    const b = runReplication(build, short, 3);
    expect(a).toEqual(b);
    for (const key of Object.keys(a)) expect(Object.is(a[key], b[key]), key).toBe(true);
    expect(runReplication(build, { ...short, seed: 100 }, 3)).not.toEqual(a);
    expect(runReplication(build, short, 4)).not.toEqual(a);
  });
});
