// A study: the plant run under a base scenario and named alternatives, over replications with one seed.
import type { Issue } from '../../core/errors.js';
import { parseDuration } from './duration.js';
import { StudyDefinitionError } from './errors.js';
import type { ScenarioOverrides } from './model.js';

export interface NamedScenario {
  readonly name: string;
  readonly overrides: ScenarioOverrides;
}

/** A validated study; times in seconds of simulated time. */
export interface StudyDefinition {
  readonly name: string;
  /** Simulated time measured in each replication, after the warm-up. */
  readonly horizon: number;
  /**
   * Simulated time run and discarded before measuring, so the plant starts loaded rather than empty;
   * null: the model's own (the plant file states its warm-up).
   */
  readonly warmup: number | null;
  readonly replications: number;
  readonly seed: number;
  /** Overrides applied in every scenario; the base scenario is the plant with these alone. */
  readonly base: ScenarioOverrides;
  /** Alternatives compared with the base, each applied on top of it. */
  readonly scenarios: readonly NamedScenario[];
}

export const BASE_SCENARIO = 'base';
export const STUDY_DEFAULTS = { horizon: '30d', replications: 20, seed: 1 } as const;
export const STUDY_LIMITS = {
  replications: 1000,
  scenarios: 20,
  /** Ten years: a longer horizon is almost always a unit mistake (seconds taken for hours). */
  horizon: 10 * 365 * 86_400,
  overridesDepth: 16,
} as const;

const KEYS = ['name', 'horizon', 'warmup', 'replications', 'seed', 'base', 'scenarios'];
// Merging objects that carry these would reach the prototype chain.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const SCENARIO_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks a study as written (JSON or YAML, durations as strings) and lists every problem at once. */
export function parseStudyDefinition(input: unknown): StudyDefinition {
  const issues: Issue[] = [];
  const fail = (path: string, message: string): void => void issues.push({ path, message });
  if (!isPlainObject(input)) {
    throw new StudyDefinitionError('A study definition must be an object', { path: '' });
  }
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) fail(`/${key}`, `unknown field "${key}"; known: ${KEYS.join(', ')}`);
  }

  let name = 'study';
  if (input.name !== undefined) {
    if (typeof input.name === 'string' && input.name.trim().length > 0 && input.name.length <= 200) {
      name = input.name.trim();
    } else fail('/name', 'must be a non-empty string of at most 200 characters');
  }

  const duration = (key: 'horizon' | 'warmup', written: unknown): number => {
    try {
      return parseDuration(written, `/${key}`);
    } catch (error) {
      fail(`/${key}`, (error as Error).message);
      return NaN;
    }
  };
  const horizon = duration('horizon', input.horizon ?? STUDY_DEFAULTS.horizon);
  const warmup =
    input.warmup === undefined || input.warmup === null ? null : duration('warmup', input.warmup);
  if (horizon === 0) fail('/horizon', 'must be longer than 0');
  for (const [key, value] of [
    ['horizon', horizon],
    ['warmup', warmup],
  ] as const) {
    if (value !== null && value > STUDY_LIMITS.horizon) fail(`/${key}`, 'must be at most 10 years (3650d)');
  }

  const replications = input.replications ?? STUDY_DEFAULTS.replications;
  if (!(Number.isInteger(replications) && (replications as number) >= 1)) {
    fail('/replications', `must be a whole number >= 1, got ${JSON.stringify(replications)}`);
  } else if ((replications as number) > STUDY_LIMITS.replications) {
    fail('/replications', `must be at most ${STUDY_LIMITS.replications}`);
  }

  const seed = input.seed ?? STUDY_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) fail('/seed', `must be a whole number, got ${JSON.stringify(seed)}`);

  const base = overrides(input.base ?? {}, '/base', fail);

  const scenarios: NamedScenario[] = [];
  const written = input.scenarios ?? {};
  if (!isPlainObject(written)) {
    fail('/scenarios', 'must be an object mapping each scenario name to its overrides');
  } else {
    const names = Object.keys(written);
    if (names.length > STUDY_LIMITS.scenarios) {
      fail('/scenarios', `at most ${STUDY_LIMITS.scenarios} scenarios besides the base`);
    }
    for (const scenarioName of names) {
      const path = `/scenarios/${pointerEscape(scenarioName)}`;
      if (!SCENARIO_NAME.test(scenarioName)) {
        fail(
          path,
          'a scenario name is 1–64 letters, digits, "_", "." or "-", starting with a letter or digit',
        );
      } else if (scenarioName === BASE_SCENARIO) {
        fail(path, `"${BASE_SCENARIO}" is the base scenario: set its overrides under /base`);
      }
      scenarios.push({ name: scenarioName, overrides: overrides(written[scenarioName], path, fail) });
    }
  }

  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new StudyDefinitionError(
      `Study definition is invalid: ${issues[0]!.path} ${issues[0]!.message}${more}`,
      {
        issues,
      },
    );
  }
  return {
    name,
    horizon,
    warmup,
    replications: replications as number,
    seed: seed as number,
    base,
    scenarios,
  };
}

/** The scenarios in run order, base first, each alternative's overrides merged onto the base's. */
export function studyScenarios(study: StudyDefinition): NamedScenario[] {
  return [
    { name: BASE_SCENARIO, overrides: study.base },
    ...study.scenarios.map((s) => ({ name: s.name, overrides: mergeOverrides(study.base, s.overrides) })),
  ];
}

/** `top` over `bottom`: objects merge key by key, anything else (numbers, arrays) is replaced. */
export function mergeOverrides(bottom: ScenarioOverrides, top: ScenarioOverrides): ScenarioOverrides {
  const merged: Record<string, unknown> = { ...bottom };
  for (const [key, value] of Object.entries(top)) {
    const under = merged[key];
    merged[key] = isPlainObject(under) && isPlainObject(value) ? mergeOverrides(under, value) : value;
  }
  return merged;
}

function overrides(
  value: unknown,
  path: string,
  fail: (path: string, message: string) => void,
): ScenarioOverrides {
  if (!isPlainObject(value)) {
    fail(path, 'scenario overrides must be an object (e.g. { stations: { press: { machines: 2 } } })');
    return {};
  }
  const problem = jsonProblem(value, 0);
  if (problem !== undefined) fail(`${path}${problem.path}`, problem.message);
  return value;
}

/** Overrides cross threads and the database as JSON: finite numbers, bounded depth, nothing else. */
function jsonProblem(value: unknown, depth: number): { path: string; message: string } | undefined {
  if (depth > STUDY_LIMITS.overridesDepth) return { path: '', message: 'is nested too deeply' };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path: '', message: 'must be a finite number' };
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (Array.isArray(value) || isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key))
        return { path: `/${pointerEscape(key)}`, message: 'is not allowed as a name' };
      const problem = jsonProblem(item, depth + 1);
      if (problem !== undefined)
        return { path: `/${pointerEscape(key)}${problem.path}`, message: problem.message };
    }
    return undefined;
  }
  return { path: '', message: `must be JSON, not ${typeof value}` };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
