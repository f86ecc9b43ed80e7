// Validates twin instance values (ADT-style twin JSON) against the schemas of a registered model.
import { NotFoundError, type Issue } from '../core/errors.js';
import { NAME_PATTERN } from './dtdl/limits.js';
import type { ModelRegistry } from './registry.js';
import type { ModelInfo, RelationshipInfo, Schema } from './types.js';

const SYSTEM_KEYS = new Set(['$dtId', '$etag', '$metadata']);

export interface ValidateTwinOptions {
  /** Only check the fields present (components need not be present). Default false. */
  readonly partial?: boolean;
}

/**
 * Validates a twin's content (top-level property/telemetry/component values, excluding $dtId/$etag/$metadata)
 * against the model's effective contents. Throws NotFoundError IMV_MODEL_NOT_FOUND for an unknown model.
 */
export function validateTwinContent(
  registry: ModelRegistry,
  modelId: string,
  content: Record<string, unknown>,
  options: ValidateTwinOptions = {},
): Issue[] {
  const model = registry.get(modelId);
  if (model === undefined)
    throw new NotFoundError('IMV_MODEL_NOT_FOUND', `model "${modelId}" is not registered`);
  const issues: Issue[] = [];
  validateContents(registry, model, content, '', options.partial ?? false, issues);
  return issues;
}

function validateContents(
  registry: ModelRegistry,
  model: ModelInfo,
  content: Record<string, unknown>,
  base: string,
  partial: boolean,
  issues: Issue[],
): void {
  for (const [key, value] of Object.entries(content)) {
    const path = pointer(base, key);
    if (SYSTEM_KEYS.has(key)) {
      if (key === '$metadata' && !isRecord(value))
        issues.push({ path, rule: 'metadata-object', message: '$metadata must be an object' });
      continue;
    }
    const schema = model.properties.get(key)?.schema ?? model.telemetry.get(key)?.schema;
    if (schema !== undefined) {
      issues.push(...validateValue(schema, value, path));
      continue;
    }
    const component = model.components.get(key);
    if (component !== undefined) {
      const inner = registry.get(component.schema);
      if (!isRecord(value))
        issues.push({
          path,
          rule: 'component-object',
          message: `component "${key}" must be an object (with "$metadata": {})`,
        });
      else if (inner !== undefined) validateContents(registry, inner, value, path, partial, issues);
      continue;
    }
    const what = model.relationships.has(key)
      ? 'is a Relationship; create it as a relationship, not a twin property'
      : model.commands.has(key)
        ? 'is a Command, not a value'
        : `is not defined by model "${model.id}"`;
    issues.push({ path, rule: 'unknown-field', message: `"${key}" ${what}` });
  }
  if (!partial) {
    for (const name of model.components.keys()) {
      if (!(name in content))
        issues.push({
          path: pointer(base, name),
          rule: 'component-missing',
          message: `component "${name}" is required (at least {"$metadata": {}})`,
        });
    }
  }
}

export function validateRelationshipProperties(
  rel: RelationshipInfo,
  properties: Record<string, unknown>,
): Issue[] {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const path = pointer('', key);
    const prop = rel.properties.get(key);
    if (prop === undefined)
      issues.push({
        path,
        rule: 'unknown-field',
        message: `"${key}" is not a property of relationship "${rel.name}"`,
      });
    else issues.push(...validateValue(prop.schema, value, path));
  }
  return issues;
}

/** Validates one JSON value against a schema; issues carry JSON Pointers below `path`. */
export function validateValue(schema: Schema, value: unknown, path: string): Issue[] {
  const issues: Issue[] = [];
  check(schema, value, path, issues);
  return issues;
}

const INT32 = 2147483647;
const FLOAT_MAX = 3.4028234663852886e38;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/i;
const DURATION =
  /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days =
    [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
      mo - 1
    ] ?? 0;
  return d <= days;
}

function isDateTime(text: string): boolean {
  const t = text.search(/[Tt ]/);
  if (t !== 10) return false;
  const time = text.slice(11);
  return isDate(text.slice(0, 10)) && TIME.test(time) && /([Zz]|[+-]\d{2}:\d{2})$/.test(time);
}

function intIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function check(schema: Schema, value: unknown, path: string, issues: Issue[]): void {
  const fail = (rule: string, message: string): void => {
    issues.push({ path, rule, message });
  };
  switch (schema.kind) {
    case 'primitive': {
      const t = schema.type;
      const ok = ((): boolean => {
        switch (t) {
          case 'boolean':
            return typeof value === 'boolean';
          case 'string':
            return typeof value === 'string';
          case 'integer':
            return intIn(value, -INT32 - 1, INT32);
          case 'long':
            return intIn(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
          case 'double':
            return typeof value === 'number' && Number.isFinite(value);
          case 'float':
            return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= FLOAT_MAX;
          case 'date':
            return typeof value === 'string' && isDate(value);
          case 'dateTime':
            return typeof value === 'string' && isDateTime(value);
          case 'time':
            return typeof value === 'string' && TIME.test(value);
          case 'duration':
            return typeof value === 'string' && DURATION.test(value) && !value.endsWith('T');
          case 'byte':
            return intIn(value, -128, 127);
          case 'short':
            return intIn(value, -32768, 32767);
          case 'unsignedByte':
            return intIn(value, 0, 255);
          case 'unsignedShort':
            return intIn(value, 0, 65535);
          case 'unsignedInteger':
            return intIn(value, 0, 4294967295);
          case 'unsignedLong':
            return intIn(value, 0, Number.MAX_SAFE_INTEGER);
          case 'decimal':
            return (
              (typeof value === 'number' && Number.isFinite(value)) ||
              (typeof value === 'string' && DECIMAL.test(value))
            );
          case 'bytes':
            return typeof value === 'string' && BASE64.test(value);
          case 'uuid':
            return typeof value === 'string' && UUID.test(value);
          case 'scaledDecimal':
            return (
              isRecord(value) &&
              intIn(value['scale'], -INT32 - 1, INT32) &&
              typeof value['value'] === 'string' &&
              DECIMAL.test(value['value'])
            );
        }
      })();
      if (!ok) fail(`value-${t}`, `expected ${describe(t)}, got ${show(value)}`);
      return;
    }
    case 'geospatial': {
      const type = schema.type[0]?.toUpperCase() + schema.type.slice(1);
      if (!isRecord(value) || value['type'] !== type || !Array.isArray(value['coordinates'])) {
        fail('value-geospatial', `expected a GeoJSON ${type} {"type": "${type}", "coordinates": [...]}`);
      }
      return;
    }
    case 'enum':
      if (!schema.values.some((v) => v.value === value)) {
        fail(
          'value-enum',
          `expected one of ${schema.values.map((v) => JSON.stringify(v.value)).join(', ')}, got ${show(value)}`,
        );
      }
      return;
    case 'array':
      if (!Array.isArray(value)) return fail('value-array', `expected an array, got ${show(value)}`);
      value.forEach((v, i) => check(schema.element, v, `${path}/${i}`, issues));
      return;
    case 'map':
      if (!isRecord(value)) return fail('value-map', `expected an object (map), got ${show(value)}`);
      for (const [k, v] of Object.entries(value)) {
        const at = pointer(path, k);
        if (!NAME_PATTERN.test(k))
          issues.push({
            path: at,
            rule: 'value-map-key',
            message: `map key "${k}" must start with a letter and contain only letters, digits and "_" (not ending with "_")`,
          });
        check(schema.value, v, at, issues);
      }
      return;
    case 'object': {
      if (!isRecord(value)) return fail('value-object', `expected an object, got ${show(value)}`);
      const fields = new Map(schema.fields.map((f) => [f.name, f]));
      for (const [k, v] of Object.entries(value)) {
        const f = fields.get(k);
        const at = pointer(path, k);
        if (f === undefined)
          issues.push({
            path: at,
            rule: 'unknown-field',
            message: `"${k}" is not a field of this object (fields: ${[...fields.keys()].join(', ') || 'none'})`,
          });
        else check(f.schema, v, at, issues);
      }
      return;
    }
  }
}

function describe(type: string): string {
  const d: Record<string, string> = {
    integer: 'an integer (32-bit)',
    long: 'an integer (within ±2^53-1)',
    double: 'a finite number',
    float: 'a finite number within float range',
    date: 'a date "YYYY-MM-DD"',
    dateTime: 'an RFC 3339 date-time such as "2024-05-01T12:00:00Z"',
    time: 'a time "hh:mm:ss"',
    duration: 'an ISO 8601 duration such as "PT15M"',
    scaledDecimal: 'an object {"scale": integer, "value": decimal string}',
  };
  return d[type] ?? `a ${type}`;
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Too deeply nested to print (or cyclic): say what it is instead.
    text = Array.isArray(value) ? 'an array' : typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(base: string, token: string): string {
  return `${base}/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
