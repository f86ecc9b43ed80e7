// Small plant files for the factory library's tests: YAML in, compiled PlantSimulation out.
import { parsePlant } from '../../twin/plant.js';
import { compilePlantSimulation } from './compile.js';
import type { PlantSimulation } from './spec.js';

export const TEST_FILE = 'test-plant.yaml';

/** A plant file from its twins, relationships and simulation section, each written as YAML lines. */
export function plantYaml(twins: string, relationships: string, simulation: string): string {
  const indent = (text: string, by: string): string =>
    text
      .trim()
      .split('\n')
      .map((line) => by + line)
      .join('\n');
  return [
    'imverse: plant/v1',
    'prefix: 88.100.1',
    'twins:',
    indent(twins, '  '),
    ...(relationships.trim() === '' ? [] : ['relationships:', indent(relationships, '  ')]),
    ...(simulation.trim() === '' ? [] : ['simulation:', indent(simulation, '  ')]),
    '',
  ].join('\n');
}

export function compileYaml(text: string): PlantSimulation {
  return compilePlantSimulation(parsePlant(text, TEST_FILE), TEST_FILE);
}
