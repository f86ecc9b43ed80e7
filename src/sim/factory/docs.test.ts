// The example in docs/simulation.md compiles and runs, so the documentation cannot drift from the code.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parsePlant } from '../../twin/plant.js';
import { compilePlantSimulation } from './compile.js';
import { isPlantSimulationError, type PlantSimulationError } from './errors.js';
import { runPlantReplication } from './replication.js';

it('the example of docs/simulation.md compiles and runs as described', () => {
  const doc = readFileSync(new URL('../../../docs/simulation.md', import.meta.url), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
  const plant = compilePlantSimulation(parsePlant(yaml, 'simulation.md'), 'simulation.md');
  expect(plant.stations.find((s) => s.id === 'pack')!.processing).toEqual({
    '*': { kind: 'constant', value: 30 },
  });
  expect(plant.conveyors).toEqual([{ id: 'cv-01', length: 4, speed: 0.25, pitch: 0.8 }]);
  expect(plant.sources.map((s) => s.id)).toEqual(['rack']);
  expect(plant.sinks.map((s) => s.id)).toEqual(['dock']);
  expect(plant.warmup).toBe(7200);
  const { metrics } = runPlantReplication(plant, { seed: 1, replication: 0, horizon: 2 * 86_400 });
  // One arrival every 75 s on average: 48 an hour, less 1% scrap at the drill.
  expect(metrics.throughput).toBeGreaterThan(40);
  expect(metrics.throughput).toBeLessThan(55);
  expect(metrics['station.mill.setup']).toBeGreaterThan(0);
});

it('docs/simulation.md shows the errors the compiler really gives', () => {
  const doc = readFileSync(new URL('../../../docs/simulation.md', import.meta.url), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
  const edits: [string, string][] = [
    ['    drill: { processing:', '    drill: { kind: robot-cell, processing:'],
    ['  buffers:\n', '  flow:\n    - { from: pack, to: packing }\n  buffers:\n'],
    ['mean: 65, sd: 4', 'mean: 65, sd: -2'],
    ['  - { from: pack, name: feeds, to: dock }\n', '  - { from: pack, name: feeds, to: cv-01 }\n'],
  ];
  for (const [from, to] of edits) {
    const text = yaml.replace(from, to);
    expect(text).not.toBe(yaml);
    let message = '';
    try {
      compilePlantSimulation(parsePlant(text, 'plant.yaml'), 'plant.yaml');
    } catch (error) {
      expect(isPlantSimulationError(error)).toBe(true);
      message = (error as PlantSimulationError).issues[0]!.message;
    }
    expect(doc).toContain(`\n${message}\n`);
  }
});
