// The factory components against results known in closed form: M/M/1, blocking, availability, conveyor and AGV times.
import { describe, expect, it } from 'vitest';
import { Random, runReplications, Simulation, type MetricSummary } from '../engine/index.js';
import { buildPlantModel } from './build.js';
import type { PlantSimulation } from './spec.js';
import { compileYaml, plantYaml } from './test-plants.js';

const SEED = 20251125;

function replicate(plant: PlantSimulation, replications: number, warmup: number, runLength: number) {
  return runReplications(
    ({ sim, random }) => {
      const model = buildPlantModel(sim, plant, { random });
      return () => model.metrics();
    },
    { seed: SEED, replications, warmup, runLength },
  ).metrics;
}

function expectCovers(summary: MetricSummary | undefined, expected: number, label: string): void {
  expect(summary, label).toBeDefined();
  const { low, high, mean, halfWidth } = summary!;
  const where = `${label}: expected ${expected}, simulated ${mean} ± ${halfWidth} (seed ${SEED})`;
  expect(low <= expected && expected <= high, where).toBe(true);
  expect(halfWidth / expected, where).toBeLessThan(0.1);
}

describe('factory components against theory', () => {
  it('a one-station plant with exponential arrivals and service is an M/M/1 queue', () => {
    const lambda = 0.7;
    const plant = compileYaml(
      plantYaml(
        `
- { id: queue, model: Buffer }
- { id: st-01, model: Station }
- { id: out, model: Buffer }`,
        `
- { from: queue, name: feeds, to: st-01 }
- { from: st-01, name: feeds, to: out }`,
        `
sources:
  arrivals: { to: queue, interarrival: { kind: exponential, mean: ${1 / lambda} } }
stations:
  st-01: { processing: { kind: exponential, mean: 1 } }`,
      ),
    );
    const metrics = replicate(plant, 20, 500, 15_000);
    const rho = lambda;
    expectCovers(metrics['station.st-01.utilisation'], rho, 'utilisation');
    expectCovers(metrics.wip, rho / (1 - rho), 'L = ρ/(1−ρ)');
    expectCovers(metrics.leadTime, 1 / (1 - lambda), 'W = 1/(μ−λ)');
    expectCovers(metrics['buffer.queue.level'], (rho * rho) / (1 - rho), 'Lq = ρ²/(1−ρ)');
    expectCovers(metrics.throughput, lambda * 3600, 'throughput λ per hour');
  });

  it('a zero-capacity buffer blocks the fast station for E[max(a,b)−a]/E[max(a,b)] of the time', () => {
    // a = 1 s constant, b ~ exponential(mean 2): E[max(a, b)] = 1 + 2·e^(−1/2).
    const plant = compileYaml(
      plantYaml(
        `
- { id: rack, model: Buffer }
- { id: fast, model: Station }
- { id: gap, model: Buffer, properties: { capacity: 0 } }
- { id: slow, model: Station }
- { id: out, model: Buffer }`,
        `
- { from: rack, name: feeds, to: fast }
- { from: fast, name: feeds, to: gap }
- { from: gap, name: feeds, to: slow }
- { from: slow, name: feeds, to: out }`,
        `
stations:
  fast: { processing: 1 }
  slow: { processing: { kind: exponential, mean: 2 } }`,
      ),
    );
    const cycle = 1 + 2 * Math.exp(-0.5);
    const metrics = replicate(plant, 10, 100, 20_000);
    expectCovers(
      metrics['station.fast.blocked'],
      (cycle - 1) / cycle,
      'blocked fraction of the fast station',
    );
    expectCovers(
      metrics['station.slow.starved'],
      (cycle - 2) / cycle,
      'starved fraction of the slow station',
    );
    expect(metrics['buffer.gap.level']!.mean).toBe(0);
  });

  it('a station with MTBF and MTTR has availability MTBF/(MTBF+MTTR)', () => {
    const plant = compileYaml(
      plantYaml(
        `
- { id: rack, model: Buffer }
- { id: press, model: Station, properties: { nominalCycleTime: 10 } }
- { id: out, model: Buffer }`,
        `
- { from: rack, name: feeds, to: press }
- { from: press, name: feeds, to: out }`,
        `
stations:
  press: { mtbf: 1000, mttr: 100 }`,
      ),
    );
    const metrics = replicate(plant, 10, 0, 1_000_000);
    expectCovers(metrics['station.press.availability'], 1000 / 1100, 'availability');
    expectCovers(metrics['station.press.down'], 100 / 1100, 'down fraction');
    // Every good unit took exactly the nominal time: performance 1, OEE = availability.
    expectCovers(metrics['station.press.oee'], 1000 / 1100, 'OEE');
  });
});

describe('transport times', () => {
  it('a conveyor takes length/speed and accumulates floor(length/pitch) units behind a blocked end', () => {
    const plant = compileYaml(
      plantYaml(
        `
- { id: rack, model: Buffer }
- { id: cv, model: Conveyor, properties: { length: 3, nominalSpeed: 0.2, capacity: 4 } }
- { id: st, model: Station, properties: { nominalCycleTime: 100 } }
- { id: out, model: Buffer }`,
        `
- { from: rack, name: feeds, to: cv }
- { from: cv, name: feeds, to: st }
- { from: st, name: feeds, to: out }`,
        '',
      ),
    );
    expect(plant.conveyors).toEqual([{ id: 'cv', length: 3, speed: 0.2, pitch: 0.75 }]);
    const sim = new Simulation();
    const started: number[] = [];
    const model = buildPlantModel(sim, plant, {
      random: (stream) => new Random(SEED, stream),
      observer: { unitStarted: (_unit, _station, time) => started.push(time) },
    });
    sim.run(1000);
    // The first unit enters at 0 and reaches the station after 3 m / 0.2 m/s.
    expect(started[0]).toBe(15);
    expect(started[1]).toBe(115);
    const metrics = model.metrics();
    expect(metrics['conveyor.cv.level']).toBeGreaterThan(3.5);
    expect(model.nodes.conveyors[0]!.level.max).toBe(4);
  });

  it('an AGV trip is empty travel, loading, loaded travel and unloading', () => {
    const plant = compileYaml(
      plantYaml(
        `
- { id: a, model: Buffer, properties: { capacity: 4, layout: { x: 0, y: 0 } } }
- { id: b, model: Buffer, properties: { capacity: 4, layout: { x: 30, y: 0 } } }
- { id: st, model: Station, properties: { nominalCycleTime: 5 } }
- { id: out, model: Buffer }
- { id: agv-01, model: AGV, properties: { maxSpeed: 1.5, layout: { x: 0, y: 40 } } }`,
        `
- { from: a, name: feeds, to: b, properties: { transport: agv, distance: 24, transferTime: 60 } }
- { from: b, name: feeds, to: st }
- { from: st, name: feeds, to: out }`,
        `
sources:
  orders: { to: a, orders: [{ id: SO-1, quantity: 1 }] }
agv: { speed: 2 }`,
      ),
    );
    const sim = new Simulation();
    const moves: [string, string, string, number, number, string | undefined][] = [];
    let startedAt = NaN;
    buildPlantModel(sim, plant, {
      random: (stream) => new Random(SEED, stream),
      observer: {
        agvMoved: (agv, from, to, depart, arrive, unit) =>
          moves.push([agv, from, to, depart, arrive, unit?.serial]),
        unitStarted: (_unit, _station, time) => (startedAt = time),
      },
    });
    sim.run(1000);
    // Home (0, 40) to a (0, 0): 40 m rectilinear at 2 m/s; a to b: the stated 24 m, not the layout's 30.
    expect(moves).toEqual([
      ['agv-01', 'agv-01', 'a', 0, 20, undefined],
      ['agv-01', 'a', 'b', 50, 62, '88.100.1/unit/UNIT-000001'],
    ]);
    expect(startedAt).toBe(20 + 30 + 12 + 30);
  });
});
