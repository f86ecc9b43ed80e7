// The plant model's OEE metrics: ISO 22400-2 (src/core/oee.ts), never above 100%, whatever the scenario.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderStudyReport } from '../study/report-html.js';
import { parseStudyDefinition } from '../study/definition.js';
import { summarizeStudy } from '../study/result.js';
import type { ScenarioOverrides } from './spec.js';
import { runPlantReplication } from './replication.js';
import { compileYaml, plantYaml } from './test-plants.js';

// Seeded so a failure replays; fast-check prints the seed and the shrunk counterexample on failure.
const SEED = Number(process.env.FC_SEED ?? 20251125);
/** The ideal and actual production times are the same seconds summed two ways: allow their rounding. */
const ROUNDING = 1e-9;
const OEE_FIELDS = ['availability', 'performance', 'quality', 'oee'] as const;

/** A press with failures, fed without limit and emptied without limit: always working when up. */
const PRESS = compileYaml(
  plantYaml(
    `
- { id: rack, model: Buffer }
- { id: press, model: Station, properties: { name: Press 1, nominalCycleTime: 10 } }
- { id: out, model: Buffer }`,
    `
- { from: rack, name: feeds, to: press }
- { from: press, name: feeds, to: out }`,
    `
stations:
  press: { mtbf: 1000, mttr: 100 }`,
  ),
);

describe('OEE of a station in a study', () => {
  it('stays at most 100% when a scenario speeds the station up: the faster cycle is the ideal one', () => {
    const study = parseStudyDefinition({
      name: 'faster press',
      horizon: 200_000,
      warmup: 5_000,
      replications: 3,
      scenarios: { faster: { stations: { press: { speed: 1.25 } } } },
    });
    const outputs = [{}, { stations: { press: { speed: 1.25 } } }].map((scenario) =>
      [0, 1, 2].map((replication) =>
        runPlantReplication(PRESS, {
          seed: SEED,
          replication,
          warmup: study.warmup!,
          horizon: study.horizon,
          scenario,
        }),
      ),
    );
    const result = summarizeStudy(study, 'press.yaml', outputs);
    for (const scenario of result.scenarios) {
      for (const field of OEE_FIELDS) {
        const name = `station.press.${field}`;
        expect(scenario.metrics[name]!.n, `${scenario.name} ${field}`).toBe(3);
        for (const row of scenario.replications) {
          expect(row[name], `${scenario.name} ${field}`).toBeLessThanOrEqual(1 + ROUNDING);
        }
      }
      // Up 1000 of every 1100 s and always working when up: availability is MTBF/(MTBF+MTTR), and
      // each unit takes its ideal time, so performance is 1 (less the unit in process at the end).
      expect(scenario.metrics['station.press.availability']!.mean).toBeCloseTo(1000 / 1100, 1);
      expect(scenario.metrics['station.press.performance']!.mean).toBeCloseTo(1, 3);
    }
    // Faster, the press makes more units in the same time; its OEE is not above 100% for that.
    const [base, faster] = result.scenarios;
    expect(faster!.metrics['station.press.good']!.mean!).toBeGreaterThan(
      1.2 * base!.metrics['station.press.good']!.mean!,
    );
    const html = renderStudyReport(result);
    // The plant file's name for the station, its id beside it.
    expect(result.stationNames).toEqual({ press: 'Press 1' });
    expect(html).toContain('<span title="press">Press 1</span> <span class="small">press</span>');
    const percents = [...html.matchAll(/(\d+(?:\.\d+)?)(?: ± [\d.]+)?%/g)].map((m) => Number(m[1]));
    expect(percents.length).toBeGreaterThan(0);
    expect(Math.max(...percents)).toBeLessThanOrEqual(100);
  });

  it('no OEE figure passes 100% for random lines, speeds, failures, setups, scrap and warm-ups', () => {
    const distribution = fc.oneof(
      fc.double({ min: 1, max: 30, noNaN: true }),
      fc.record({
        kind: fc.constant('exponential'),
        mean: fc.double({ min: 1, max: 30, noNaN: true }),
      }),
    );
    const scenario = fc.record({
      first: distribution,
      second: distribution,
      speed: fc.double({ min: 0.3, max: 3, noNaN: true }),
      machines: fc.integer({ min: 1, max: 3 }),
      capacity: fc.integer({ min: 0, max: 3 }),
      interarrival: fc.option(fc.double({ min: 1, max: 40, noNaN: true }), { nil: undefined }),
      failures: fc.boolean(),
      scrap: fc.double({ min: 0, max: 0.3, noNaN: true }),
      warmup: fc.integer({ min: 0, max: 2_000 }),
      horizon: fc.integer({ min: 500, max: 8_000 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const source =
          s.interarrival === undefined
            ? ''
            : `sources:\n  arrivals: { to: rack, interarrival: { kind: exponential, mean: ${s.interarrival} } }\n`;
        const plant = compileYaml(
          plantYaml(
            `
- { id: rack, model: Buffer }
- { id: first, model: Station }
- { id: gap, model: Buffer, properties: { capacity: ${s.capacity} } }
- { id: second, model: Station }
- { id: out, model: Buffer }`,
            `
- { from: rack, name: feeds, to: first }
- { from: first, name: feeds, to: gap }
- { from: gap, name: feeds, to: second }
- { from: second, name: feeds, to: out }`,
            `${source}stations:
  first: { processing: ${JSON.stringify(s.first)}, setup: 0 }
  second: { processing: ${JSON.stringify(s.second)}${s.failures ? ', mtbf: 300, mttr: 60' : ''} }`,
          ),
        );
        const overrides: ScenarioOverrides = {
          stations: {
            first: { speed: s.speed, machines: s.machines, scrap: s.scrap },
            second: { speed: 1 / s.speed },
          },
        };
        const { metrics } = runPlantReplication(plant, {
          seed: s.seed,
          replication: 0,
          warmup: s.warmup,
          horizon: s.horizon,
          scenario: overrides,
        });
        for (const station of ['first', 'second']) {
          for (const field of OEE_FIELDS) {
            const value = metrics[`station.${station}.${field}`]!;
            if (Number.isNaN(value)) continue; // nothing produced or no production time: no figure
            expect(value, `${station}.${field}`).toBeGreaterThanOrEqual(0);
            expect(value, `${station}.${field}`).toBeLessThanOrEqual(1 + ROUNDING);
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
