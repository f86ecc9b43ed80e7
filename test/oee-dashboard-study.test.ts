// One OEE (docs/oee.md): the dashboard and a study give the same figures for the same state durations and counts.
import { describe, expect, it } from 'vitest';
import { runPlantReplication } from '../src/sim/factory/replication.js';
import { compileYaml, plantYaml } from '../src/sim/factory/test-plants.js';
import { stationKpis, type TimedValue } from '../src/world/kpis.js';

const SEED = 20251125;
const T0 = 1_764_000_000_000;

/**
 * A fast press with failures, sped up by a scenario, between random arrivals and a slower welder
 * behind a small buffer: it is starved, blocked, down and working in one run.
 */
const PLANT = compileYaml(
  plantYaml(
    `
- { id: rack, model: Buffer }
- { id: press, model: Station, properties: { nominalCycleTime: 8 } }
- { id: gap, model: Buffer, properties: { capacity: 2 } }
- { id: weld, model: Station }
- { id: out, model: Buffer }`,
    `
- { from: rack, name: feeds, to: press }
- { from: press, name: feeds, to: gap }
- { from: gap, name: feeds, to: weld }
- { from: weld, name: feeds, to: out }`,
    `
sources:
  arrivals: { to: rack, interarrival: { kind: exponential, mean: 10 } }
stations:
  press: { processing: 8, mtbf: 2000, mttr: 300, scrap: 0.05 }
  weld: { processing: { kind: exponential, mean: 8.5 } }`,
  ),
);

describe('OEE on the dashboard and in a study', () => {
  it('is the same for the same state durations and counts', () => {
    const horizon = 50_000;
    const speed = 1.25;
    const { metrics } = runPlantReplication(PLANT, {
      seed: SEED,
      replication: 0,
      warmup: 0,
      horizon,
      scenario: { stations: { press: { speed } } },
    });
    const m = (field: string): number => metrics[`station.press.${field}`]!;
    const seconds = {
      running: m('utilisation') * horizon,
      blocked: m('blocked') * horizon,
      starved: m('starved') * horizon,
      down: m('down') * horizon,
    };
    expect(seconds.blocked, 'the run has blocked time').toBeGreaterThan(0.02 * horizon);
    expect(seconds.starved, 'the run has starved time').toBeGreaterThan(0.02 * horizon);
    expect(seconds.down, 'the run has down time').toBeGreaterThan(0.02 * horizon);

    // The same durations as the station's reported states, and the same counts, on the dashboard.
    const states: TimedValue[] = [];
    let time = T0;
    for (const [state, s] of Object.entries(seconds)) {
      states.push({ time, value: state });
      time += s * 1000;
    }
    const { kpis } = stationKpis(
      {
        id: '88.100.1/press',
        name: 'Press',
        // The scenario's speed is the station's ideal cycle time now: 8 s ÷ 1.25.
        nominalCycleTime: 8 / speed,
        states,
        good: { before: 0, samples: [{ time: T0 + 1, value: m('good') }] },
        scrap: { before: 0, samples: [{ time: T0 + 1, value: m('scrap') }] },
      },
      T0,
      time,
    );
    expect(m('scrap')).toBeGreaterThan(0);
    for (const field of ['availability', 'performance', 'quality', 'oee'] as const) {
      // The dashboard gives four decimals.
      expect(kpis[field], field).toBeCloseTo(m(field), 3);
      expect(m(field), field).toBeLessThanOrEqual(1);
    }
  });
});
