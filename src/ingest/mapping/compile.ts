// Validates a parsed mapping file (YAML or JSON; the caller parses) and compiles it into a
// MappingSet. Every problem is collected with its JSON Pointer, so one run reports them all.
import { identifierProblem } from '../../core/id.js';
import { ValidationError, type Issue } from '../../core/errors.js';
import {
  MappingSet,
  type CompiledMapping,
  type FieldKind,
  type FieldMapping,
  type SparkplugMapping,
} from './MappingSet.js';
import { parseTopicPattern, type PatternLevel } from './topic-pattern.js';
import { unitConversion, unitDimension, unitNames } from './units.js';

/** Payload keys that always carry the time of an object's values. */
export const TIME_KEYS: readonly string[] = ['ts', 'time', 'timestamp'];

const ENTRY_KEYS = new Set(['topic', 'twin', 'field', 'fields', 'others', 'payload', 'nodeTwin', 'online']);
const FIELD_KEYS = new Set(['field', 'unit', 'to', 'scale', 'offset', 'type']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const KINDS: readonly FieldKind[] = ['number', 'string', 'boolean'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(...parts: (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

class Collector {
  readonly issues: Issue[] = [];
  constructor(readonly file: string | undefined) {}
  add(path: string, message: string, rule?: string): void {
    this.issues.push({
      path,
      message,
      ...(rule === undefined ? {} : { rule }),
      ...(this.file === undefined ? {} : { file: this.file }),
    });
  }
  unknownKeys(value: Record<string, unknown>, allowed: Set<string>, path: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) {
        this.add(path + pointer(key), `unknown key "${key}"; expected one of ${[...allowed].join(', ')}`);
      }
    }
  }
}

function compileField(spec: unknown, key: string, path: string, c: Collector): FieldMapping | undefined {
  if (typeof spec === 'string') spec = { field: spec };
  if (!isRecord(spec)) {
    c.add(path, 'expected a field name or an object { field, unit?, to?, scale?, offset?, type? }');
    return undefined;
  }
  c.unknownKeys(spec, FIELD_KEYS, path);
  const { field, unit, to, scale = 1, offset = 0, type } = spec;
  let ok = true;
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    c.add(
      `${path}/field`,
      'expected a twin field name: letters, digits and "_", dot-separated for a nested field',
    );
    ok = false;
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    c.add(`${path}/scale`, 'expected a finite number');
    ok = false;
  }
  if (typeof offset !== 'number' || !Number.isFinite(offset)) {
    c.add(`${path}/offset`, 'expected a finite number');
    ok = false;
  }
  if (type !== undefined && !KINDS.includes(type as FieldKind)) {
    c.add(`${path}/type`, `expected one of ${KINDS.join(', ')}`);
    ok = false;
  }
  let linear = { scale: 1, offset: 0 };
  if (unit !== undefined || to !== undefined) {
    if (typeof unit !== 'string' || typeof to !== 'string') {
      c.add(
        `${path}/${typeof unit === 'string' ? 'to' : 'unit'}`,
        'give both "unit" (what the device sends) and "to" (what the twin stores)',
      );
      ok = false;
    } else {
      const conversion = unitConversion(unit, to);
      if (typeof conversion === 'string') {
        const at = unitDimension(unit) === undefined ? 'unit' : 'to';
        c.add(`${path}/${at}`, `${conversion}; known units: ${unitNames().join(', ')}`, 'unit');
        ok = false;
      } else linear = conversion;
    }
  }
  const numeric = unit !== undefined || scale !== 1 || offset !== 0;
  if (numeric && type !== undefined && type !== 'number') {
    c.add(`${path}/type`, 'a field with unit, scale or offset is numeric');
    ok = false;
  }
  if (!ok) return undefined;
  const s = scale as number;
  const o = offset as number;
  // raw * s + o, then the unit conversion: (raw*s + o) * L.scale + L.offset
  return {
    key,
    field: field as string,
    kind: numeric ? 'number' : (type as FieldKind | undefined),
    scale: s * linear.scale,
    offset: o * linear.scale + linear.offset,
  };
}

/**
 * A plain payload is text: the mapping must say what it holds, since there is no JSON type to go by
 * and a guess ("1" a number or a word?) would store the wrong thing silently.
 */
function compilePlainField(
  entry: Record<string, unknown>,
  path: string,
  c: Collector,
): FieldMapping | undefined {
  if (entry.fields !== undefined)
    c.add(`${path}/fields`, 'a plain payload is one value: map it with "field", not "fields"');
  if (entry.others !== undefined)
    c.add(`${path}/others`, 'a plain payload is one value, with no other keys: remove "others"');
  if (entry.field === undefined) {
    c.add(`${path}/field`, 'a plain payload needs "field": { field: NAME, type: string | number | boolean }');
    return undefined;
  }
  const value = compileField(entry.field, '', `${path}/field`, c);
  if (value !== undefined && value.kind === undefined) {
    c.add(
      `${path}/field${typeof entry.field === 'string' ? '' : '/type'}`,
      'a plain payload is text: say what it holds with "type": string, number or boolean, e.g. { field: state, type: string }',
    );
    return undefined;
  }
  return value;
}

/** Template parts: literal text or a capture index into the single-level captures (-1: the `#` rest). */
function compileTwin(
  template: string,
  levels: readonly PatternLevel[],
  path: string,
  c: Collector,
): (string | number)[] | undefined {
  const names = new Map<string, number>();
  let singles = 0;
  for (const level of levels) {
    if (level.kind === 'single') {
      if (level.name !== undefined) names.set(level.name, singles);
      singles++;
    }
  }
  const hasRest = levels.at(-1)?.kind === 'multi';
  const parts: (string | number)[] = [];
  let sample = '';
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m[2] !== undefined) {
      parts.push(m[2]);
      sample += m[2];
    } else if (m[3] !== undefined) {
      c.add(path, `unbalanced "${m[3]}" in the twin template`);
      return undefined;
    } else {
      const ref = m[1] as string;
      let index: number | undefined;
      if (ref === '#') index = hasRest ? -1 : undefined;
      else if (/^[1-9][0-9]*$/.test(ref)) index = Number(ref) <= singles ? Number(ref) - 1 : undefined;
      else index = names.get(ref);
      if (index === undefined) {
        c.add(
          path,
          `{${ref}} is not a capture of the topic: use a {name} of the pattern, {1}…{${singles}} for its single-level wildcards in order, or {#} for what "#" matched`,
        );
        return undefined;
      }
      parts.push(index);
      sample += 'x';
    }
  }
  const problem = identifierProblem(sample);
  if (problem !== undefined) {
    c.add(path, `the twin template does not make an identifier PREFIX/SUFFIX: ${problem}`);
    return undefined;
  }
  return parts;
}

/** The levels of a Sparkplug topic that a Sparkplug mapping's twin templates may use, in order. */
const SPARKPLUG_LEVELS: readonly PatternLevel[] = [
  { kind: 'single', name: 'group' },
  { kind: 'single', name: 'edgeNode' },
  { kind: 'single', name: 'device' },
];

function compileSparkplugTwin(
  template: unknown,
  names: number,
  path: string,
  c: Collector,
): (string | number)[] | undefined {
  if (typeof template !== 'string') {
    c.add(path, 'expected a twin identifier template, e.g. 88.100.1/{edgeNode}/{device}');
    return undefined;
  }
  const allowed = SPARKPLUG_LEVELS.slice(0, names).map((l) => (l.kind === 'single' ? l.name : ''));
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!allowed.includes(m[1] as string)) {
      c.add(
        path,
        `{${m[1]}} is not a level of the Sparkplug topic here: use ${allowed.map((n) => `{${n}}`).join(', ')}`,
      );
      return undefined;
    }
  }
  return compileTwin(template, SPARKPLUG_LEVELS.slice(0, names), path, c);
}

function compileSparkplug(
  entry: Record<string, unknown>,
  path: string,
  c: Collector,
): SparkplugMapping | undefined {
  const before = c.issues.length;
  const twin = compileSparkplugTwin(entry.twin, 3, `${path}/twin`, c);
  const nodeTwin =
    entry.nodeTwin === undefined ? undefined : compileSparkplugTwin(entry.nodeTwin, 2, `${path}/nodeTwin`, c);
  const { online } = entry;
  if (online !== undefined && (typeof online !== 'string' || !FIELD_NAME.test(online))) {
    c.add(`${path}/online`, 'expected the name of a boolean twin field, e.g. connected');
  }
  if (entry.field !== undefined) {
    c.add(`${path}/field`, 'a Sparkplug payload is a set of named metrics: map them with "fields"');
  }
  if (c.issues.length > before || !twin) return undefined;
  // Without a nodeTwin, node metrics go to `twin` when it does not need a device.
  const usesDevice = twin.includes(2);
  return {
    twin,
    nodeTwin: nodeTwin ?? (usesDevice ? undefined : twin),
    online: online as string | undefined,
  };
}

function compileEntry(
  entry: unknown,
  index: number,
  set: MappingSet,
  c: Collector,
  where: Map<CompiledMapping, string>,
): void {
  const path = pointer('mappings', index);
  if (!isRecord(entry)) {
    c.add(path, 'expected an object { topic, twin, field | fields }');
    return;
  }
  c.unknownKeys(entry, ENTRY_KEYS, path);
  const before = c.issues.length;
  const { topic, twin, field, fields, others, payload = 'values' } = entry;

  let levels: PatternLevel[] | undefined;
  if (typeof topic !== 'string')
    c.add(`${path}/topic`, 'expected an MQTT topic pattern such as plant/{line}/{station}/telemetry');
  else {
    const parsed = parseTopicPattern(topic);
    if (typeof parsed === 'string') c.add(`${path}/topic`, parsed);
    else levels = parsed;
  }
  if (
    payload !== 'values' &&
    payload !== 'envelope' &&
    payload !== 'sparkplug' &&
    payload !== 'command' &&
    payload !== 'plain'
  ) {
    c.add(
      `${path}/payload`,
      'expected "values" (the default), "plain", "envelope", "sparkplug" or "command"',
    );
    return;
  }
  if (payload === 'command') {
    // Commands go to devices: nothing to map to a twin, nothing to store.
    for (const key of Object.keys(entry)) {
      if (key !== 'topic' && key !== 'payload')
        c.add(`${path}/${key}`, 'a "payload: command" mapping takes only "topic"');
    }
    if (c.issues.length > before || !levels || typeof topic !== 'string') return;
    const command: CompiledMapping = {
      index,
      topic,
      payload,
      value: undefined,
      fields: undefined,
      keepOthers: false,
      twin: undefined,
    };
    addMapping(set, levels, command, path, c, where);
    return;
  }
  if (payload !== 'sparkplug') {
    for (const key of ['nodeTwin', 'online'] as const) {
      if (entry[key] !== undefined)
        c.add(`${path}/${key}`, 'only a "payload: sparkplug" mapping takes this key');
    }
  }
  const sparkplug = payload === 'sparkplug' ? compileSparkplug(entry, path, c) : undefined;

  let twinParts: (string | number)[] | undefined;
  if (payload === 'sparkplug') {
    // compileSparkplug checked the templates against the Sparkplug topic's levels.
  } else if (twin === undefined) {
    if (payload === 'values' || payload === 'plain')
      c.add(`${path}/twin`, 'expected the twin identifier template, e.g. 88.100.1/{line}/{station}');
  } else if (typeof twin !== 'string') c.add(`${path}/twin`, 'expected a string');
  else if (levels) twinParts = compileTwin(twin, levels, `${path}/twin`, c);

  let value: FieldMapping | undefined;
  let fieldMap: Map<string, FieldMapping> | undefined;
  if (payload === 'envelope') {
    for (const key of ['field', 'fields', 'others'] as const) {
      if (entry[key] !== undefined)
        c.add(`${path}/${key}`, 'an envelope names its fields itself: remove this key');
    }
  } else if (payload === 'plain') {
    value = compilePlainField(entry, path, c);
  } else {
    if (field !== undefined && fields !== undefined) {
      c.add(
        `${path}/fields`,
        'give either "field" (the whole payload is one value) or "fields" (an object of values), not both',
      );
    }
    if (field !== undefined && payload === 'values') value = compileField(field, '', `${path}/field`, c);
    if (fields !== undefined) {
      if (!isRecord(fields)) c.add(`${path}/fields`, 'expected an object: payload key → twin field');
      else {
        fieldMap = new Map();
        for (const [key, spec] of Object.entries(fields)) {
          const fieldPath = pointer('mappings', index, 'fields', key);
          // Sparkplug metrics carry their time beside their value, so any name is a metric.
          if (payload === 'values' && TIME_KEYS.includes(key)) {
            c.add(fieldPath, `"${key}" is the time of the values, not a value`);
            continue;
          }
          const compiled = compileField(spec, key, fieldPath, c);
          if (compiled) fieldMap.set(key, compiled);
        }
      }
    }
    if (others !== undefined && others !== 'keep' && others !== 'ignore') {
      c.add(`${path}/others`, 'expected "keep" (store unlisted keys under their own names) or "ignore"');
    }
  }
  if (c.issues.length > before || !levels || typeof topic !== 'string') return;

  const mapping: CompiledMapping = {
    index,
    topic,
    payload,
    value,
    fields: fieldMap,
    keepOthers:
      payload === 'plain'
        ? false
        : others === undefined
          ? value === undefined && fieldMap === undefined
          : others === 'keep',
    twin: twinParts,
    ...(sparkplug === undefined ? {} : { sparkplug }),
  };
  addMapping(set, levels, mapping, path, c, where);
}

function addMapping(
  set: MappingSet,
  levels: PatternLevel[],
  mapping: CompiledMapping,
  path: string,
  c: Collector,
  where: Map<CompiledMapping, string>,
): void {
  const clash = set.add(levels, mapping);
  if (clash) {
    c.add(
      `${path}/topic`,
      `matches exactly the same topics as ${where.get(clash) ?? 'another mapping'} ("${clash.topic}")`,
    );
  } else where.set(mapping, `${path}/topic`);
}

/**
 * Validates and compiles a parsed mapping file `{ mappings: [...] }`.
 * Throws ValidationError IMV_REQUEST_INVALID listing every issue with its path (and `file`).
 */
export function compileMappings(value: unknown, file?: string): MappingSet {
  const c = new Collector(file);
  const set = new MappingSet();
  if (!isRecord(value)) c.add('', 'expected an object with a "mappings" list');
  else {
    c.unknownKeys(value, new Set(['mappings']), '');
    const { mappings } = value;
    if (!Array.isArray(mappings)) c.add('/mappings', 'expected a list of mappings');
    else {
      const where = new Map<CompiledMapping, string>();
      mappings.forEach((entry, i) => compileEntry(entry, i, set, c, where));
    }
  }
  if (c.issues.length > 0) {
    const first = c.issues[0] as Issue;
    const more = c.issues.length > 1 ? ` (and ${c.issues.length - 1} more)` : '';
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `Invalid mapping${file === undefined ? '' : ` in ${file}`} at ${first.path || '/'}: ${first.message}${more}`,
      { issues: c.issues },
    );
  }
  return set;
}
