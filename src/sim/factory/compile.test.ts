// Bad plant files fail before any run, naming file, line and field; silent sections take their defaults from the twins.
import { describe, expect, it } from 'vitest';
import { isImverseError } from '../../core/errors.js';
import { isPlantSimulationError, type PlantSimulationIssue } from './errors.js';
import { compileYaml, plantYaml, TEST_FILE } from './test-plants.js';

const TWINS = `
- { id: rack, model: Buffer }
- { id: st-01, model: Station, properties: { nominalCycleTime: 30 } }
- { id: buf-01, model: Buffer, properties: { capacity: 5 } }
- { id: st-02, model: Station, properties: { nominalCycleTime: 40 } }
- { id: dock, model: Buffer }`;
const FLOW = `
- { from: rack, name: feeds, to: st-01 }
- { from: st-01, name: feeds, to: buf-01 }
- { from: buf-01, name: feeds, to: st-02 }
- { from: st-02, name: feeds, to: dock }`;

function issuesOf(text: string): PlantSimulationIssue[] {
  try {
    compileYaml(text);
  } catch (error) {
    if (!isPlantSimulationError(error)) throw error;
    expect(error.code).toBe('IMV_PLANT_SIMULATION_INVALID');
    expect(error.status).toBe(400);
    return [...error.issues];
  }
  throw new Error('the plant compiled');
}

/** The 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  expect(index, needle).toBeGreaterThanOrEqual(0);
  return index + 1;
}

function expectIssue(text: string, needle: string, path: string, message: RegExp): void {
  const issues = issuesOf(text);
  const issue = issues.find((i) => i.path === path);
  expect(issue, `${path} in ${JSON.stringify(issues, null, 2)}`).toBeDefined();
  expect(issue!.file).toBe(TEST_FILE);
  expect(issue!.line).toBe(lineOf(text, needle));
  expect(issue!.message).toMatch(message);
  expect(issue!.message.startsWith(`${TEST_FILE}:${issue!.line}:`)).toBe(true);
}

describe('compilePlantSimulation: defaults from the twins', () => {
  it('derives stations, buffers, source, sink and flow from a plant without a simulation section', () => {
    const plant = compileYaml(plantYaml(TWINS, FLOW, ''));
    expect(plant.stations.map((s) => [s.id, s.processing['*']])).toEqual([
      ['st-01', { kind: 'constant', value: 30 }],
      ['st-02', { kind: 'constant', value: 40 }],
    ]);
    expect(plant.buffers).toEqual([{ id: 'buf-01', capacity: 5 }]);
    expect(plant.sources.map((s) => s.id)).toEqual(['rack']);
    expect(plant.sinks).toEqual([{ id: 'dock' }]);
    expect(plant.links).toHaveLength(4);
    expect(plant.variants).toEqual(['UNIT']);
  });

  it('reads durations with units and plain mtbf/mttr as exponential means', () => {
    const plant = compileYaml(
      plantYaml(TWINS, FLOW, 'stations:\n  st-01: { mtbf: 8h, mttr: 15min, setup: 90s }'),
    );
    const st = plant.stations[0]!;
    expect(st.mtbf).toEqual({ kind: 'exponential', mean: 28_800 });
    expect(st.mttr).toEqual({ kind: 'exponential', mean: 900 });
    expect(st.setup).toEqual({ kind: 'constant', value: 90 });
  });
});

describe('compilePlantSimulation: bad input names file, line and field', () => {
  it('an unknown station kind', () => {
    const text = plantYaml(TWINS, FLOW, 'stations:\n  st-01: { kind: robot-cell }');
    expectIssue(
      text,
      'kind: robot-cell',
      '/simulation/stations/st-01/kind',
      /unknown station kind "robot-cell"/,
    );
  });

  it('a routing to a missing station', () => {
    const text = plantYaml(TWINS, FLOW, 'flow:\n  - { from: st-02, to: st-03 }');
    expectIssue(
      text,
      'to: st-03',
      '/simulation/flow/0/to',
      /no station, buffer, conveyor, source or sink "st-03"; did you mean "st-0[12]"\?/,
    );
  });

  it('a source feeding a missing station, in a list', () => {
    const text = plantYaml(TWINS, FLOW, 'sources:\n  extra:\n    to: [st-01, st-7]\n    interarrival: 60');
    expectIssue(text, 'to: [st-01, st-7]', '/simulation/sources/extra/to/1', /no station.*"st-7"/);
  });

  it('a station entry naming no station twin', () => {
    const text = plantYaml(TWINS, FLOW, 'stations:\n  st-09: { processing: 10 }');
    expectIssue(text, 'st-09:', '/simulation/stations/st-09', /no station twin "st-09"/);
  });

  it('a negative parameter', () => {
    const text = plantYaml(TWINS, FLOW, 'buffers:\n  buf-01:\n    capacity: -3');
    expectIssue(text, 'capacity: -3', '/simulation/buffers/buf-01/capacity', /capacity must be >= 0, got -3/);
    const mtbf = plantYaml(TWINS, FLOW, 'stations:\n  st-02:\n    mtbf: -5\n    mttr: 60');
    expectIssue(mtbf, 'mtbf: -5', '/simulation/stations/st-02/mtbf', /mtbf must be > 0, got -5/);
  });

  it('a non-finite parameter', () => {
    const text = plantYaml(TWINS, FLOW, 'stations:\n  st-02:\n    scrap: .nan');
    // YAML's .nan and .inf are not JSON numbers: the plant parser stops them, at their line.
    try {
      compileYaml(text);
      throw new Error('compiled');
    } catch (error) {
      expect(isImverseError(error) && error.code).toBe('IMV_IMPORT_INVALID');
      const issue = (error as { issues: { path: string; message: string }[] }).issues[0]!;
      expect(issue.path).toBe('/simulation/stations/st-02/scrap');
      expect(issue.message).toContain(`${TEST_FILE}:${lineOf(text, 'scrap: .nan')}:`);
    }
    const quoted = plantYaml(TWINS, FLOW, 'stations:\n  st-02:\n    processing: "forever"');
    expectIssue(
      quoted,
      'processing: "forever"',
      '/simulation/stations/st-02/processing',
      /seconds or a duration/,
    );
  });

  it('a distribution with invalid parameters', () => {
    const text = plantYaml(
      TWINS,
      FLOW,
      'stations:\n  st-01:\n    processing: { kind: lognormal, mean: 30, sd: -2 }',
    );
    expectIssue(
      text,
      'sd: -2',
      '/simulation/stations/st-01/processing/sd',
      /lognormal: sd must be >= 0, got -2/,
    );
    const kind = plantYaml(TWINS, FLOW, 'stations:\n  st-01:\n    processing: { kind: gaussian, mean: 30 }');
    expectIssue(
      kind,
      'kind: gaussian',
      '/simulation/stations/st-01/processing/kind',
      /unknown distribution kind "gaussian"/,
    );
  });

  it('a cyclic routing without exit', () => {
    const flow = `
- { from: rack, name: feeds, to: st-01 }
- { from: st-01, name: feeds, to: buf-01 }
- { from: buf-01, name: feeds, to: st-02 }`;
    const text = plantYaml(TWINS, flow, 'flow:\n  - { from: st-02, to: buf-01 }');
    expectIssue(
      text,
      'from: st-02, to: buf-01',
      '/simulation/flow/0',
      /cyclic routing without exit: .*st-02/,
    );
  });

  it('a station without exit and an unknown field, all in one error', () => {
    const flow = `
- { from: rack, name: feeds, to: st-01 }
- { from: st-01, name: feeds, to: buf-01 }
- { from: buf-01, name: feeds, to: st-02 }`;
    const text = plantYaml(TWINS, flow, 'stations:\n  st-02: { procesing: 10 }');
    const issues = issuesOf(text);
    expect(issues.map((i) => i.path).sort()).toEqual([
      '/simulation/stations/st-02',
      '/simulation/stations/st-02/procesing',
    ]);
    expect(issues.find((i) => i.path === '/simulation/stations/st-02')!.message).toMatch(
      /"st-02" has no exit/,
    );
  });
});
