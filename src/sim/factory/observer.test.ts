// What the live virtual plant relies on: state changes, units with well-formed serials and routes, and control.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random, Simulation } from '../engine/index.js';
import { parsePlant } from '../../twin/plant.js';
import { buildPlantModel } from './build.js';
import { compilePlantSimulation } from './compile.js';
import type { PlantObserver, StationState } from './observer.js';
import { compileYaml, plantYaml } from './test-plants.js';
import type { Unit } from './Unit.js';

const FILE = new URL('../../../examples/demo-plant.yaml', import.meta.url);
const SERIAL = /^88\.100\.1\/unit\/(GH40-A|GH40-B|BR12-L|BR12-R)-\d{6}$/;
const STATES: readonly StationState[] = [
  'running',
  'idle',
  'blocked',
  'starved',
  'down',
  'setup',
  'maintenance',
  'offline',
];

describe('the observer', () => {
  it('sees station states, units with serials, orders and routes, AGV moves and buffer levels', () => {
    const demo = compilePlantSimulation(
      parsePlant(readFileSync(FILE, 'utf8'), 'demo-plant.yaml'),
      'demo-plant.yaml',
    );
    const states = new Map<string, Set<StationState>>();
    const created: Unit[] = [];
    const completed: Unit[] = [];
    const started = new Set<Unit>();
    // Callbacks count what is wrong rather than call expect: they run hundreds of thousands of times.
    let finishedBeforeStart = 0;
    let agvMoves = 0;
    let badMoves = 0;
    let bufferEvents = 0;
    let badLevels = 0;
    let failures = 0;
    const observer: PlantObserver = {
      stationState: (station, state) => {
        (states.get(station) ?? states.set(station, new Set()).get(station)!).add(state);
      },
      unitCreated: (unit) => created.push(unit),
      unitStarted: (unit) => started.add(unit),
      unitFinished: (unit, _station, _time, cycleTime) => {
        if (!started.has(unit) || !(cycleTime > 0)) finishedBeforeStart++;
      },
      unitCompleted: (unit) => completed.push(unit),
      agvMoved: (agv, _from, _to, depart, arrive) => {
        if (!/^agv-0[1-4]$/.test(agv) || !(arrive >= depart)) badMoves++;
        agvMoves++;
      },
      bufferLevel: (_buffer, level) => {
        if (!(level >= 0)) badLevels++;
        bufferEvents++;
      },
      stationFailed: (_station, _machine, time, repairedAt) => {
        if (repairedAt >= time) failures++;
      },
    };
    const sim = new Simulation();
    const model = buildPlantModel(sim, demo, { random: (stream) => new Random(5, stream), observer });
    sim.run(2 * 86_400);
    const all = new Set([...states.values()].flatMap((set) => [...set]));
    expect([...all].every((state) => STATES.includes(state))).toBe(true);
    expect(all).toEqual(new Set(['running', 'starved', 'blocked', 'down', 'setup']));
    expect(states.get('line-1/st-01')).toContain('setup');
    expect(finishedBeforeStart).toBe(0);
    expect(created.length).toBeGreaterThan(1000);
    for (const unit of created) expect(unit.serial).toMatch(SERIAL);
    expect(new Set(created.map((u) => u.serial)).size).toBe(created.length);
    const housing = completed.find((u) => u.variant.startsWith('GH40'))!;
    expect(housing.order).toMatch(/^goods-in\/rack-01#\d+$/);
    // Line 1 then, by AGV, line 3: twenty stations in order, each left after it was entered.
    expect(housing.route!.map((step) => step.station)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `line-1/st-${String(i + 1).padStart(2, '0')}`),
      ...Array.from({ length: 10 }, (_, i) => `line-3/st-${String(i + 1).padStart(2, '0')}`),
    ]);
    for (const step of housing.route!) expect(step.leave).toBeGreaterThan(step.enter);
    expect(agvMoves).toBeGreaterThan(100);
    expect(badMoves).toBe(0);
    expect(bufferEvents).toBeGreaterThan(1000);
    expect(badLevels).toBe(0);
    expect(failures).toBeGreaterThan(0);
    const health = model.health('line-1/st-05');
    expect(health).toBeGreaterThanOrEqual(0);
    expect(health).toBeLessThanOrEqual(1);
    expect(model.health('line-1/st-06')).toBe(1);
  });

  it('health falls from 1 after a repair to 0 at the failure', () => {
    const plant = compileYaml(
      plantYaml(
        `
- { id: rack, model: Buffer }
- { id: mill, model: Station, properties: { nominalCycleTime: 10 } }
- { id: out, model: Buffer }`,
        `
- { from: rack, name: feeds, to: mill }
- { from: mill, name: feeds, to: out }`,
        'stations:\n  mill: { mtbf: { kind: constant, value: 1000 }, mttr: { kind: constant, value: 50 } }',
      ),
    );
    const sim = new Simulation();
    const model = buildPlantModel(sim, plant, { random: (stream) => new Random(1, stream) });
    const seen: [number, number, StationState][] = [];
    for (const t of [0, 250, 995, 1000, 1025, 1050, 1550]) {
      sim.run(t);
      seen.push([t, model.health('mill'), model.stationState('mill')]);
    }
    expect(seen).toEqual([
      [0, 1, 'running'],
      [250, 0.75, 'running'],
      [995, 0.005, 'running'],
      [1000, 0, 'down'],
      [1025, 0, 'down'],
      [1050, 1, 'running'],
      [1550, 0.5, 'running'],
    ]);
  });
});

describe('control', () => {
  const plant = compileYaml(
    plantYaml(
      `
- { id: rack, model: Buffer }
- { id: press, model: Station, properties: { nominalCycleTime: 10 } }
- { id: out, model: Buffer }`,
      `
- { from: rack, name: feeds, to: press }
- { from: press, name: feeds, to: out }`,
      '',
    ),
  );

  it('a stopped station finishes its unit, reports offline and takes no more until started', () => {
    const sim = new Simulation();
    const states: [StationState, number][] = [];
    const model = buildPlantModel(sim, plant, {
      random: (stream) => new Random(1, stream),
      observer: { stationState: (_station, state, time) => states.push([state, time]) },
    });
    sim.run(105);
    model.stopStation('press');
    sim.run(500);
    expect(model.counts().completed).toBe(11);
    expect(model.stationState('press')).toBe('offline');
    expect(states.at(-1)).toEqual(['offline', 110]);
    model.startStation('press');
    sim.run(600);
    expect(model.counts().completed).toBe(21);
    expect(model.metrics()['station.press.utilisation']).toBeCloseTo(210 / 600, 9);
  });

  it('setSpeed scales processing time from the next unit', () => {
    const sim = new Simulation();
    const model = buildPlantModel(sim, plant, { random: (stream) => new Random(1, stream) });
    sim.run(100);
    model.setSpeed('press', 2);
    sim.run(200);
    // Ten units in the first 100 s; the unit in process at 100 s finishes at 110, then one every 5 s.
    expect(model.counts().completed).toBe(10 + 1 + 18);
    expect(() => model.setSpeed('press', 0)).toThrow(/speed factor/);
    expect(() => model.stopStation('nope')).toThrow(/no station "nope"/);
  });

  it('a scenario adds a machine or enlarges a buffer without editing the file', () => {
    const sim = new Simulation();
    const model = buildPlantModel(sim, plant, {
      random: (stream) => new Random(1, stream),
      scenario: { stations: { press: { machines: 2 } } },
    });
    sim.run(100);
    expect(model.counts().completed).toBe(20);
    expect(() =>
      buildPlantModel(new Simulation(), plant, {
        random: (stream) => new Random(1, stream),
        scenario: { stations: { pres: { machines: 0 } } },
      }),
    ).toThrow(/no station "pres"/);
  });
});
