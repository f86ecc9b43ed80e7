import { describe, expect, it } from 'vitest';
import { BASE_SCENARIO, parseStudyDefinition, studyScenarios } from './definition.js';
import type { StudyDefinitionError } from './errors.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseStudyDefinition(input);
  } catch (error) {
    expect((error as StudyDefinitionError).code).toBe('IMV_STUDY_INVALID');
    return [...(error as StudyDefinitionError).issues];
  }
  throw new Error('expected the definition to be refused');
}

describe('parseStudyDefinition', () => {
  it('fills in the defaults', () => {
    expect(parseStudyDefinition({})).toEqual({
      name: 'study',
      horizon: 30 * 86_400,
      warmup: null,
      replications: 20,
      seed: 1,
      base: {},
      scenarios: [],
    });
  });

  it('reads durations and merges each alternative onto the base', () => {
    const study = parseStudyDefinition({
      name: ' More presses ',
      horizon: '7d',
      warmup: '12h',
      replications: 5,
      seed: 42,
      base: { stations: { press: { machines: 1, mttr: 600 } }, source: { rate: 30 } },
      scenarios: {
        'two-presses': { stations: { press: { machines: 2 } } },
        'bigger-buffer': { buffers: { 'buf-1': { capacity: 20 } } },
      },
    });
    expect(study.name).toBe('More presses');
    expect(study.horizon).toBe(7 * 86_400);
    expect(study.warmup).toBe(43_200);
    const scenarios = studyScenarios(study);
    expect(scenarios.map((s) => s.name)).toEqual([BASE_SCENARIO, 'two-presses', 'bigger-buffer']);
    expect(scenarios[1]!.overrides).toEqual({
      stations: { press: { machines: 2, mttr: 600 } },
      source: { rate: 30 },
    });
    expect(scenarios[2]!.overrides).toEqual({
      stations: { press: { machines: 1, mttr: 600 } },
      source: { rate: 30 },
      buffers: { 'buf-1': { capacity: 20 } },
    });
  });

  it('lists every problem with its path', () => {
    const issues = issuesOf({
      horizon: '10x',
      warmup: -1,
      replications: 2.5,
      seed: 'one',
      colour: 'red',
      scenarios: { base: {}, 'bad name!': {}, ok: { rate: Infinity }, list: [] },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        '/colour',
        '/horizon',
        '/warmup',
        '/replications',
        '/seed',
        '/scenarios/base',
        '/scenarios/bad name!',
        '/scenarios/ok/rate',
        '/scenarios/list',
      ].sort(),
    );
  });

  it('refuses a zero horizon, too many replications, and prototype keys in overrides', () => {
    expect(issuesOf({ horizon: 0 }).map((i) => i.path)).toEqual(['/horizon']);
    expect(issuesOf({ replications: 1001 }).map((i) => i.path)).toEqual(['/replications']);
    expect(issuesOf({ base: JSON.parse('{"__proto__": {"x": 1}}') }).map((i) => i.path)).toEqual([
      '/base/__proto__',
    ]);
    expect(issuesOf('horizon: 30d').map((i) => i.path)).toEqual([]);
  });
});
