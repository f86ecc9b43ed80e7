// The demo plant's simulation section compiles and gives plausible figures; runs are reproducible and conserve units.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random, Simulation } from '../engine/index.js';
import { parsePlant } from '../../twin/plant.js';
import { buildPlantModel } from './build.js';
import { compilePlantSimulation } from './compile.js';
import { stationIds } from './index.js';
import { runPlantReplication } from './replication.js';
import { compileYaml, plantYaml } from './test-plants.js';

const FILE = new URL('../../../examples/demo-plant.yaml', import.meta.url);
const demo = compilePlantSimulation(
  parsePlant(readFileSync(FILE, 'utf8'), 'demo-plant.yaml'),
  'demo-plant.yaml',
);
const DAY = 86_400;

describe('the demo plant simulation', () => {
  it('compiles from the twins and its simulation section', () => {
    expect(demo.stations).toHaveLength(40);
    expect(demo.conveyors).toHaveLength(10);
    expect(demo.sources.map((s) => s.id)).toEqual(['goods-in/rack-01', 'goods-in/rack-02']);
    expect(demo.sinks.map((s) => s.id)).toEqual(['shipping/dock-01', 'shipping/dock-02']);
    expect(demo.variants).toEqual(['GH40-A', 'GH40-B', 'BR12-L', 'BR12-R']);
    expect(demo.agv?.vehicles.map((v) => v.id)).toEqual(['agv-01', 'agv-02', 'agv-03', 'agv-04']);
    expect(demo.warmup).toBe(DAY);
  });

  it('runs a simulated week with plausible figures', () => {
    const { metrics, traces, events } = runPlantReplication(demo, {
      seed: 7,
      replication: 0,
      horizon: 7 * DAY,
    });
    // Demand is 3600/118 housings and 3600/52 brackets an hour; the plant keeps up with both.
    const housings = metrics['throughput.GH40-A']! + metrics['throughput.GH40-B']!;
    const brackets = metrics['throughput.BR12-L']! + metrics['throughput.BR12-R']!;
    expect(housings).toBeGreaterThan(0.9 * (3600 / 118));
    expect(housings).toBeLessThan(1.1 * (3600 / 118));
    expect(brackets).toBeGreaterThan(0.9 * (3600 / 52));
    expect(brackets).toBeLessThan(1.1 * (3600 / 52));
    for (const id of stationIds(demo)) {
      const utilisation = metrics[`station.${id}.utilisation`]!;
      expect(utilisation, id).toBeGreaterThan(0);
      expect(utilisation, id).toBeLessThanOrEqual(1);
      const sum = ['utilisation', 'blocked', 'starved', 'down', 'setup']
        .map((m) => metrics[`station.${id}.${m}`]!)
        .reduce((a, b) => a + b, 0);
      expect(sum, id).toBeCloseTo(1, 9);
      expect(metrics[`station.${id}.oee`], id).toBeLessThanOrEqual(1.05);
    }
    // The end-of-line test of the gearbox line (108 s) is the slowest step in the plant.
    expect(stationIds(demo)[metrics.bottleneck!]).toBe('line-3/st-08');
    expect(metrics.leadTime).toBeGreaterThan(0);
    expect(metrics['agv.utilisation']).toBeGreaterThan(0);
    expect(metrics['agv.utilisation']).toBeLessThan(1);
    expect(traces.throughputPerHour).toHaveLength(7 * 24);
    expect(traces.wipPerHour).toHaveLength(7 * 24);
    expect(traces.leadTimes.length).toBeGreaterThan(1000);
    expect(events).toBeGreaterThan(100_000);
  });

  it('gives identical metrics for the same seed, and different ones for another replication', () => {
    const run = (replication: number) =>
      runPlantReplication(demo, { seed: 3, replication, warmup: 0, horizon: 2 * DAY });
    const a = run(0);
    expect(run(0)).toEqual(a);
    expect(run(1).metrics.leadTime).not.toBe(a.metrics.leadTime);
  });

  it('refuses a run plan it cannot honour', () => {
    expect(() => runPlantReplication(demo, { seed: 1, replication: 0, horizon: 0 })).toThrow(/horizon/);
    expect(() => runPlantReplication(demo, { seed: 1, replication: 0, warmup: -1, horizon: 60 })).toThrow(
      /warmup/,
    );
    expect(() => runPlantReplication(demo, { seed: 1.5, replication: 0, horizon: 60 })).toThrow(/seed/);
  });

  it('conserves units: created = completed + scrapped + consumed + in the plant', () => {
    const sim = new Simulation();
    const model = buildPlantModel(sim, demo, { random: (stream) => new Random(11, stream) });
    sim.run(3 * DAY);
    const counts = model.counts();
    expect(counts.scrapped).toBeGreaterThan(0);
    expect(counts.created).toBe(counts.completed + counts.scrapped + counts.consumed + counts.wip);
  });
});

describe('assembly and split', () => {
  it('an assembly joins one unit from each input; a split makes several; units are conserved', () => {
    const plant = compileYaml(
      plantYaml(
        `
- { id: housings, model: Buffer }
- { id: covers, model: Buffer }
- { id: join, model: Station, properties: { nominalCycleTime: 10 } }
- { id: cut, model: Station, properties: { nominalCycleTime: 4 } }
- { id: out, model: Buffer }`,
        `
- { from: housings, name: feeds, to: join }
- { from: covers, name: feeds, to: join }
- { from: join, name: feeds, to: cut }
- { from: cut, name: feeds, to: out }`,
        `
stations:
  join: { kind: assembly }
  cut: { kind: split, outputs: 3 }`,
      ),
    );
    const sim = new Simulation();
    const model = buildPlantModel(sim, plant, { random: (stream) => new Random(1, stream) });
    sim.run(1005);
    const counts = model.counts();
    const metrics = model.metrics();
    // 100 assemblies of 2 parts each (the last at 1000 s), each cut into 3 in 4 s.
    expect(metrics['station.join.good']).toBe(100);
    expect(metrics.completed).toBe(300);
    // The 101st assembly started at 1000 s and has already taken its cover.
    expect(counts.consumed).toBe(101);
    expect(counts.created).toBe(counts.completed + counts.scrapped + counts.consumed + counts.wip);
  });
});
