import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNestingProblem, yamlNestingProblem } from './nesting.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('JSON nesting', () => {
  it('allows the limit and refuses one level more, naming where', () => {
    expect(jsonNestingProblem(nested(64), 64)).toBeUndefined();
    expect(jsonNestingProblem(`{"a":${nested(64)}}`, 64)).toContain(
      'deeper than 64 levels (at character 69)',
    );
    expect(jsonNestingProblem(nested(100_000), 64)).toContain('deeper than 64');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingProblem(JSON.stringify({ a: '[[[[{{{{\\"[[[[', b: '"{{{{' }), 3)).toBeUndefined();
  });

  it('measures what JSON.parse builds (property)', () => {
    const depthOf = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonNestingProblem(text, limit) === undefined).toBe(depthOf(value) <= limit);
      }),
      { seed: 64, verbose: true },
    );
  });
});

describe('YAML nesting', () => {
  it('refuses deep flow collections and deep compact block sequences', () => {
    expect(yamlNestingProblem(`a: ${nested(64)}`, 64)).toBeUndefined();
    expect(yamlNestingProblem(`a: ${nested(65)}`, 64)).toContain('deeper than 64');
    expect(yamlNestingProblem(`${'- '.repeat(100_000)}x`, 64)).toContain('deeper than 64');
    expect(yamlNestingProblem(`a:\n${' '.repeat(600)}b: 1`, 64)).toContain('deeper than 64');
  });

  it('passes an ordinary plant file', () => {
    const plant = [
      'imverse: plant/1',
      'prefix: 88.100.1 # the [tenant]',
      'twins:',
      '  line-1:',
      '    model: Line',
      '    properties: { name: "Line [1]", tags: [a, b] }',
      '    children:',
      '      - - nested: {x: [1, [2, [3]]]}',
    ].join('\n');
    expect(yamlNestingProblem(plant, 64)).toBeUndefined();
  });
});
