// Typed reading of the `simulation:` section: numbers, durations and distributions, each problem tied to its field.
import { distribution, isSimParameterError, type DistributionSpec } from '../engine/index.js';
import type { PlantSimulationSection } from '../../twin/plant.js';
import type { PlantSimulationIssue } from './errors.js';

export type Json = Record<string, unknown>;

const DURATION = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(s|min|h|d)\s*$/;
const DURATION_UNITS: Record<string, number> = { s: 1, min: 60, h: 3600, d: 86_400 };
const KINDS = [
  'constant',
  'exponential',
  'uniform',
  'triangular',
  'normal',
  'lognormal',
  'weibull',
  'erlang',
  'discrete',
  'empirical',
];

/** Escapes one JSON Pointer token (RFC 6901). */
export function token(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects issues; paths are relative to the section and reported from the file's root. */
export class SectionReader {
  readonly issues: PlantSimulationIssue[] = [];

  constructor(
    readonly file: string,
    private readonly section: PlantSimulationSection | undefined,
  ) {}

  fail(path: string, message: string): void {
    if (this.issues.length >= 100) return;
    const position = this.locate(path);
    const where = `${this.file}:${position.line}:${position.col}`;
    const field = `/simulation${path}`;
    this.issues.push({
      file: this.file,
      line: position.line,
      col: position.col,
      path: field,
      message: `${where}: ${field}: ${message}`,
    });
  }

  /** The field's position, else its nearest existing parent's (a missing field is reported at its owner). */
  private locate(path: string): { line: number; col: number } {
    let current = path;
    for (;;) {
      const position = this.section?.locate(current);
      if (position !== undefined) return position;
      if (current === '') return { line: 1, col: 1 };
      current = current.slice(0, current.lastIndexOf('/'));
    }
  }

  keys(value: Json, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(`${path}/${token(key)}`, `unknown field "${key}"; allowed here: ${allowed.join(', ')}`);
      }
    }
  }

  object(value: unknown, path: string, what: string): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    this.fail(path, `${what} is a mapping`);
    return undefined;
  }

  number(
    value: unknown,
    path: string,
    what: string,
    rule: { min?: number; above?: number; max?: number; below?: number; integer?: boolean } = {},
  ): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `${what} must be a finite number, got ${JSON.stringify(value)}`);
      return undefined;
    }
    const problem =
      rule.integer === true && !Number.isInteger(value)
        ? 'an integer'
        : rule.min !== undefined && value < rule.min
          ? `>= ${rule.min}`
          : rule.above !== undefined && !(value > rule.above)
            ? `> ${rule.above}`
            : rule.max !== undefined && value > rule.max
              ? `<= ${rule.max}`
              : rule.below !== undefined && !(value < rule.below)
                ? `< ${rule.below}`
                : undefined;
    if (problem !== undefined) {
      this.fail(path, `${what} must be ${problem}, got ${value}`);
      return undefined;
    }
    return value;
  }

  /** A time in seconds: a number, or a string with a unit ("90s", "15min", "8h", "2d"). */
  time(value: unknown, path: string, what: string, positive = false): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string') {
      const match = DURATION.exec(value);
      if (match === null) {
        this.fail(
          path,
          `${what} must be seconds or a duration such as "90s", "15min", "8h", "2d"; got "${value}"`,
        );
        return undefined;
      }
      value = Number(match[1]) * DURATION_UNITS[match[2]!]!;
    }
    return this.number(value, path, what, positive ? { above: 0 } : { min: 0 });
  }

  string(value: unknown, path: string, what: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.length > 0) return value;
    this.fail(path, `${what} must be a non-empty string, got ${JSON.stringify(value)}`);
    return undefined;
  }

  /**
   * A distribution of a time: an object with `kind` and its parameters, or a plain time, read as
   * a constant (processing, setup) or as the mean of an exponential (failures and repairs).
   * Its mean must be > 0 (or >= 0 when `zeroMean` allows it).
   */
  distribution(
    value: unknown,
    path: string,
    what: string,
    plain: 'constant' | 'exponential',
    zeroMean = false,
  ): DistributionSpec | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' || typeof value === 'string') {
      const t = this.time(value, path, what, plain === 'exponential' || !zeroMean);
      if (t === undefined) return undefined;
      return plain === 'constant' ? { kind: 'constant', value: t } : { kind: 'exponential', mean: t };
    }
    if (!isObject(value)) {
      this.fail(path, `${what} is a time or a distribution { kind: ${KINDS.join(' | ')}, … }`);
      return undefined;
    }
    if (typeof value.kind !== 'string' || !KINDS.includes(value.kind)) {
      this.fail(
        `${path}/kind`,
        `${what}: unknown distribution kind ${JSON.stringify(value.kind)}; one of ${KINDS.join(', ')}`,
      );
      return undefined;
    }
    const spec = value as unknown as DistributionSpec;
    let mean: number;
    try {
      mean = distribution(spec).mean;
    } catch (error) {
      if (!isSimParameterError(error)) throw error;
      const parameter = error.parameter === 'kind' ? 'kind' : error.parameter;
      this.fail(`${path}/${parameter}`, `${what}: ${error.message}`);
      return undefined;
    }
    const allowed = new Set(['kind', ...parameterNames(spec.kind)]);
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) {
        this.fail(`${path}/${token(key)}`, `${what}: a ${spec.kind} distribution has no parameter "${key}"`);
        return undefined;
      }
    }
    if (!(zeroMean ? mean >= 0 : mean > 0)) {
      this.fail(path, `${what}: the mean must be ${zeroMean ? '>= 0' : '> 0'} seconds, got ${mean}`);
      return undefined;
    }
    return spec;
  }
}

function parameterNames(kind: DistributionSpec['kind']): string[] {
  switch (kind) {
    case 'constant':
      return ['value'];
    case 'exponential':
      return ['mean'];
    case 'uniform':
      return ['min', 'max'];
    case 'triangular':
      return ['min', 'mode', 'max'];
    case 'normal':
    case 'lognormal':
      return ['mean', 'sd'];
    case 'weibull':
      return ['shape', 'scale'];
    case 'erlang':
      return ['k', 'mean'];
    case 'discrete':
      return ['values', 'probabilities'];
    case 'empirical':
      return ['points', 'cumulative'];
  }
}
