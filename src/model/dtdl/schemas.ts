// Schemas: primitive and geospatial terms, complex schemas (Array, Enum, Map, Object) and references
// to complex schemas with an @id in the same Interface (its "partition").
import { isDtmi } from '../dtmi.js';
import {
  GEOSPATIAL_TYPES,
  PRIMITIVE_TYPES,
  V4_PRIMITIVE_TYPES,
  type FieldInfo,
  type LocalizedString,
  type Schema,
} from '../types.js';
import { readContext } from './context.js';
import { dereference } from './element-refs.js';
import { extensionSchema } from './extension-schemas.js';
import {
  COMMON_MEMBERS,
  classTerm,
  isObject,
  limitsOf,
  readDescriptive,
  readId,
  readMembers,
  readName,
  readString,
  readTypes,
  report,
  type Json,
  type Member,
  type Scope,
} from './element.js';
import { QT1_SEMANTIC_TYPES, V2_SEMANTIC_TYPES, semanticTerm } from './semantic-types.js';
import { literal } from './value-object.js';

export type RawSchema =
  | { kind: 'resolved'; id?: string; schema: Schema }
  | { kind: 'ref'; id: string; path: string }
  | { kind: 'array'; id?: string; element: RawSchema; path: string }
  | { kind: 'map'; id?: string; keyName: string; valueName: string; value: RawSchema; path: string }
  | { kind: 'object'; id?: string; fields: RawField[]; path: string }
  | { kind: 'enum'; id?: string; schema: Schema; path: string };

export interface RawField {
  name: string;
  schema: RawSchema;
  semanticTypes: string[];
  unit?: string;
  displayName?: LocalizedString;
  description?: LocalizedString;
}

/** Complex schemas with an @id, referenceable from anywhere in the same Interface. */
export type Partition = Map<string, RawSchema>;

const NUMERIC = new Set(['double', 'float', 'integer', 'long']);

/** Terms of a schema string, accepting the DTMI forms of the standard schemas. */
function schemaTerm(text: string, version: 2 | 3): string {
  const prim = /^dtmi:dtdl:instance:Schema:([A-Za-z]+);([23])$/.exec(text);
  if (prim !== null && Number(prim[2]) === version) return prim[1] as string;
  const geo = /^dtmi:standard:schema:geospatial:([A-Za-z]+);([23])$/.exec(text);
  if (geo !== null && Number(geo[2]) === version) return geo[1] as string;
  return text;
}

/** Parses a `schema`/`elementSchema` member value. */
export function parseSchema(
  member: Member,
  scope: Scope,
  partition: Partition,
  count: { n: number },
): RawSchema | undefined {
  let value = member.value;
  if (Array.isArray(value)) {
    if (value.length !== 1) {
      report(scope, member.path, 'schema-single', 'a schema must be exactly one value');
      return undefined;
    }
    value = value[0];
  }
  const path = Array.isArray(member.value) ? `${member.path}/0` : member.path;
  const v = scope.ctx.version;
  if (typeof value === 'string') {
    const term = schemaTerm(value, v);
    if ((PRIMITIVE_TYPES as readonly string[]).includes(term))
      return {
        kind: 'resolved',
        schema: { kind: 'primitive', type: term as (typeof PRIMITIVE_TYPES)[number] },
      };
    if ((GEOSPATIAL_TYPES as readonly string[]).includes(term))
      return {
        kind: 'resolved',
        schema: { kind: 'geospatial', type: term as (typeof GEOSPATIAL_TYPES)[number] },
      };
    if ((V4_PRIMITIVE_TYPES as readonly string[]).includes(term)) {
      report(
        scope,
        path,
        'schema-v4-only',
        `schema "${term}" is a DTDL v4 schema; DTDL v${v} allows: ${PRIMITIVE_TYPES.join(', ')}, geospatial types, or a complex schema`,
      );
      return undefined;
    }
    const fromExtension = extensionSchema(value, scope.ctx);
    if (fromExtension !== undefined) return { kind: 'resolved', schema: fromExtension };
    if (isDtmi(value, v)) return { kind: 'ref', id: value, path };
    report(
      scope,
      path,
      'schema-unknown',
      `"${value}" is not a DTDL v${v} schema (${PRIMITIVE_TYPES.join(', ')}, geospatial, a complex schema, or the @id of one in this Interface)`,
    );
    return undefined;
  }
  if (!isObject(value)) {
    report(scope, path, 'schema-type', 'a schema must be a string or a complex schema object');
    return undefined;
  }
  return parseComplexSchema(value, scope, path, partition, count, false);
}

/** Parses an Array, Enum, Map or Object element. */
export function parseComplexSchema(
  obj: Json,
  outer: Scope,
  path: string,
  partition: Partition,
  count: { n: number },
  inSchemas: boolean,
): RawSchema | undefined {
  count.n++;
  const ctx =
    obj['@context'] === undefined
      ? outer.ctx
      : readContext(
          obj['@context'],
          outer.ctx,
          `${path}/@context`,
          outer.doc.options,
          (p, r, m) => report(outer, p, r, m),
          !inSchemas,
        );
  if (ctx === undefined) return undefined;
  const scope: Scope = { ...outer, ctx };
  const rawTypes = Array.isArray(obj['@type']) ? obj['@type'] : [obj['@type']];
  const cls = rawTypes
    .map((t) => (typeof t === 'string' ? classTerm(t, ctx.version) : undefined))
    .find((c) => c === 'Array' || c === 'Enum' || c === 'Map' || c === 'Object');
  if (cls === undefined) {
    report(
      scope,
      obj['@type'] === undefined ? path : `${path}/@type`,
      'schema-class',
      'a complex schema must have "@type" "Array", "Enum", "Map" or "Object"',
    );
    return undefined;
  }
  const types = readTypes(obj, scope, path, cls, true);
  if (types === undefined) return undefined;
  const id = readId(obj, scope, path, inSchemas, false);
  const specific = {
    Array: ['elementSchema'],
    Enum: ['enumValues', 'valueSchema'],
    Map: ['mapKey', 'mapValue'],
    Object: ['fields'],
  }[cls];
  const members = readMembers(obj, scope, path, cls, [...COMMON_MEMBERS, ...specific], types.informal);
  readDescriptive(members, scope);
  const lim = limitsOf(scope);
  let raw: RawSchema | undefined;
  const required = (term: string): Member | undefined => {
    const m = members.get(term);
    if (m === undefined) report(scope, path, 'member-required', `a ${cls} must have "${term}"`);
    return m;
  };
  if (cls === 'Array') {
    const m = required('elementSchema');
    const element = m && parseSchema(m, scope, partition, count);
    if (element !== undefined) raw = { kind: 'array', element, path };
  } else if (cls === 'Map') {
    const key = required('mapKey');
    const val = required('mapValue');
    const keyEl = key && parseSub(key, scope, 'MapKey', ['name', 'schema'], count);
    const valEl = val && parseSub(val, scope, 'MapValue', ['name', 'schema', 'unit'], count);
    let keyName: string | undefined;
    if (keyEl !== undefined) {
      keyName = readName(keyEl.members, keyEl.scope, keyEl.path, 'MapKey');
      // The key's descriptive members are not kept, but they must still be well-formed.
      readDescriptive(keyEl.members, keyEl.scope);
      const ks = keyEl.members.get('schema');
      if (ks === undefined)
        report(keyEl.scope, keyEl.path, 'member-required', 'a MapKey must have "schema": "string"');
      else if (
        schemaTerm(
          String(Array.isArray(ks.value) && ks.value.length === 1 ? ks.value[0] : ks.value),
          ctx.version,
        ) !== 'string'
      ) {
        report(keyEl.scope, ks.path, 'mapkey-string', 'the schema of a MapKey must be "string"');
      }
    }
    const value = valEl && parseNamedSchema(valEl, 'MapValue', partition, count);
    if (keyName !== undefined && value !== undefined)
      raw = { kind: 'map', keyName, valueName: value.name, value: value.schema, path };
  } else if (cls === 'Object') {
    const fields: RawField[] = [];
    const m = members.get('fields');
    const list = m === undefined ? [] : Array.isArray(m.value) ? m.value : [m.value];
    if (list.length < lim.fieldsMin)
      report(
        scope,
        m?.path ?? path,
        'object-fields-min',
        `an Object must have at least ${lim.fieldsMin} field in DTDL v${ctx.version}`,
      );
    if (list.length > lim.fieldsMax)
      report(
        scope,
        m?.path ?? path,
        'object-fields-max',
        `an Object may have at most ${lim.fieldsMax} fields in DTDL v${ctx.version}`,
      );
    const names = new Set<string>();
    list.forEach((f, i) => {
      const at = Array.isArray(m?.value) ? `${m?.path}/${i}` : (m?.path ?? path);
      const el = parseSub({ value: f, path: at }, scope, 'Field', ['name', 'schema', 'unit'], count);
      const field = el && parseNamedSchema(el, 'Field', partition, count);
      if (field === undefined) return;
      if (names.has(field.name))
        report(scope, at, 'field-name-unique', `field name "${field.name}" is used twice in this Object`);
      names.add(field.name);
      fields.push({
        name: field.name,
        schema: field.schema,
        semanticTypes: field.semanticTypes,
        ...(field.unit ? { unit: field.unit } : {}),
        ...field.descriptive,
      });
    });
    raw = { kind: 'object', fields, path };
  } else {
    raw = parseEnum(members, scope, path, count);
  }
  if (raw !== undefined && id !== undefined && raw.kind !== 'ref') {
    raw.id = id;
    partition.set(id, raw);
  }
  return raw;
}

function parseEnum(
  members: Map<string, Member>,
  scope: Scope,
  path: string,
  count: { n: number },
): RawSchema | undefined {
  const lim = limitsOf(scope);
  const vs = members.get('valueSchema');
  const vsValue =
    vs === undefined ? undefined : Array.isArray(vs.value) && vs.value.length === 1 ? vs.value[0] : vs.value;
  const valueType = typeof vsValue === 'string' ? schemaTerm(vsValue, scope.ctx.version) : undefined;
  if (vs === undefined)
    report(scope, path, 'member-required', 'an Enum must have "valueSchema" ("integer" or "string")');
  else if (valueType !== 'integer' && valueType !== 'string')
    report(scope, vs.path, 'enum-value-schema', 'the valueSchema of an Enum must be "integer" or "string"');
  const ev = members.get('enumValues');
  const list = ev === undefined ? [] : Array.isArray(ev.value) ? ev.value : [ev.value];
  if (list.length < lim.enumValuesMin)
    report(
      scope,
      ev?.path ?? path,
      'enum-values-min',
      `an Enum must have at least ${lim.enumValuesMin} enumValue in DTDL v${scope.ctx.version}`,
    );
  if (list.length > lim.enumValuesMax)
    report(
      scope,
      ev?.path ?? path,
      'enum-values-max',
      `an Enum may have at most ${lim.enumValuesMax} enumValues in DTDL v${scope.ctx.version}`,
    );
  const values: { name: string; value: string | number; displayName?: LocalizedString }[] = [];
  const names = new Set<string>();
  const seen = new Set<string | number>();
  list.forEach((item, i) => {
    const at = Array.isArray(ev?.value) ? `${ev?.path}/${i}` : (ev?.path ?? path);
    const el = parseSub({ value: item, path: at }, scope, 'EnumValue', ['name', 'enumValue'], count);
    if (el === undefined) return;
    const name = readName(el.members, el.scope, at, 'EnumValue');
    const m = el.members.get('enumValue');
    // One literal: maybe in a one-value array or written as a JSON-LD value object.
    const raw = Array.isArray(m?.value) && m.value.length === 1 ? (m.value[0] as unknown) : m?.value;
    const lit =
      valueType === 'integer' || valueType === 'string'
        ? literal(raw, valueType, el.scope.ctx.version)
        : undefined;
    const value = lit?.ok ? lit.value : undefined;
    if (m === undefined) report(el.scope, at, 'member-required', 'an EnumValue must have "enumValue"');
    else if (lit?.ok === false) {
      report(
        el.scope,
        m.path,
        'enum-value-type',
        `enumValue must be ${valueType === 'integer' ? 'an integer' : 'a string'}, as the Enum's valueSchema says`,
      );
      return;
    }
    if (name === undefined || m === undefined || (typeof value !== 'string' && typeof value !== 'number'))
      return;
    if (names.has(name)) report(el.scope, at, 'enum-name-unique', `enumValue name "${name}" is used twice`);
    if (seen.has(value))
      report(el.scope, m.path, 'enum-value-unique', `enumValue ${JSON.stringify(value)} is used twice`);
    names.add(name);
    seen.add(value);
    const d = readDescriptive(el.members, el.scope);
    values.push({ name, value, ...(d.displayName ? { displayName: d.displayName } : {}) });
  });
  if (valueType !== 'integer' && valueType !== 'string') return undefined;
  return { kind: 'enum', schema: { kind: 'enum', valueType, values }, path };
}

interface Sub {
  scope: Scope;
  path: string;
  members: Map<string, Member>;
  semanticTypes: string[];
  informal: boolean;
}

/** Parses a nested element whose @type is optional (Field, MapKey, MapValue, EnumValue, CommandRequest...). */
export function parseSub(
  member: Member,
  outer: Scope,
  cls: string,
  specific: string[],
  count: { n: number },
): Sub | undefined {
  count.n++;
  let { value } = member;
  let path = member.path;
  if (Array.isArray(value) && value.length === 1 && (cls === 'MapKey' || cls === 'MapValue')) {
    value = value[0];
    path = `${path}/0`;
  }
  value = dereference(value, outer.elements);
  if (typeof value === 'string' && value.startsWith('dtmi:')) {
    report(
      outer,
      path,
      'element-ref-unresolved',
      `"${value}" is the @id of no element in this Interface; write the ${cls} here or give it that @id where it is defined`,
    );
    return undefined;
  }
  if (!isObject(value)) {
    report(outer, path, 'element-object', `a ${cls} must be an object`);
    return undefined;
  }
  const ctx =
    value['@context'] === undefined
      ? outer.ctx
      : readContext(
          value['@context'],
          outer.ctx,
          `${path}/@context`,
          outer.doc.options,
          (p, r, m) => report(outer, p, r, m),
          false,
        );
  if (ctx === undefined) return undefined;
  const scope: Scope = { ...outer, ctx };
  const types = readTypes(value, scope, path, cls, false);
  if (types === undefined) return undefined;
  if (value['@id'] !== undefined) readId(value, scope, path, false, false);
  const members = readMembers(value, scope, path, cls, [...COMMON_MEMBERS, ...specific], types.informal);
  return { scope, path, members, semanticTypes: types.semanticTypes, informal: types.informal };
}

export interface NamedSchema {
  name: string;
  schema: RawSchema;
  semanticTypes: string[];
  unit?: string;
  descriptive: { displayName?: LocalizedString; description?: LocalizedString };
}

/** name + schema (+ semantic type and unit): Field, MapValue, CommandRequest/Response/Payload. */
export function parseNamedSchema(
  sub: Sub,
  cls: string,
  partition: Partition,
  count: { n: number },
): NamedSchema | undefined {
  const name = readName(sub.members, sub.scope, sub.path, cls);
  const sm = sub.members.get('schema');
  if (sm === undefined) report(sub.scope, sub.path, 'member-required', `a ${cls} must have "schema"`);
  const schema = sm && parseSchema(sm, sub.scope, partition, count);
  const unit = checkSemantic(sub.members, sub.scope, sub.path, cls, sub.semanticTypes, sm, sub.informal);
  const d = readDescriptive(sub.members, sub.scope);
  if (name === undefined || schema === undefined) return undefined;
  const descriptive: NamedSchema['descriptive'] = {};
  if (d.displayName !== undefined) descriptive.displayName = d.displayName;
  if (d.description !== undefined) descriptive.description = d.description;
  return { name, schema, semanticTypes: sub.semanticTypes, ...(unit ? { unit } : {}), descriptive };
}

/** Enforces the semantic type rules (unit required and matching, numeric schema); returns the unit term. */
export function checkSemantic(
  members: Map<string, Member>,
  scope: Scope,
  path: string,
  cls: string,
  semanticTypes: string[],
  schema: Member | undefined,
  informal: boolean,
): string | undefined {
  const um = members.get('unit');
  const sem = semanticTypes[0];
  if (sem === undefined) {
    if (um !== undefined && !informal)
      report(
        scope,
        um.path,
        'unit-without-semantic-type',
        `"unit" is only allowed on a ${cls} with a semantic type in @type`,
      );
    return undefined;
  }
  if (schema !== undefined) {
    const s = Array.isArray(schema.value) && schema.value.length === 1 ? schema.value[0] : schema.value;
    if (typeof s !== 'string' || !NUMERIC.has(schemaTerm(s, scope.ctx.version))) {
      report(
        scope,
        schema.path,
        'semantic-type-numeric',
        `a ${cls} with semantic type ${sem} must have a numeric schema (double, float, integer or long)`,
      );
    }
  }
  // An empty array is JSON-LD for "no value": the unit is still missing.
  if (um === undefined || (Array.isArray(um.value) && um.value.length === 0)) {
    report(
      scope,
      path,
      'semantic-type-unit-required',
      `a ${cls} with semantic type ${sem} must have a "unit"`,
    );
    return undefined;
  }
  const unit = readString(um, scope, 'unit', 2048);
  if (unit === undefined) return undefined;
  const term = semanticTerm(unit, 'unit');
  const table = scope.ctx.version === 2 ? 'v2' : 'v3';
  const allowed = (scope.ctx.version === 2 ? V2_SEMANTIC_TYPES : QT1_SEMANTIC_TYPES).units.get(sem);
  if (allowed !== undefined && !allowed.has(term)) {
    report(
      scope,
      um.path,
      'semantic-type-unit',
      `unit "${unit}" does not measure ${sem} (${table}); use one of: ${[...allowed].join(', ')}`,
    );
  }
  return term;
}

/**
 * Resolves a raw schema against the partition: follows references, detects reference cycles and
 * measures complex-schema nesting. Returns undefined (with an issue) when it cannot.
 */
export function resolveSchema(
  raw: RawSchema,
  scope: Scope,
  partition: Partition,
  stack: string[] = [],
): Schema | undefined {
  switch (raw.kind) {
    case 'resolved':
      return raw.schema;
    case 'ref': {
      const target = partition.get(raw.id);
      if (target === undefined) {
        report(
          scope,
          raw.path,
          'schema-ref-unresolved',
          `schema "${raw.id}" is not defined in this Interface (complex schemas can be referenced only within the Interface that defines them)`,
        );
        return undefined;
      }
      if (stack.includes(raw.id)) {
        report(scope, raw.path, 'schema-cycle', `schema "${raw.id}" refers to itself`);
        return undefined;
      }
      return resolveSchema(target, scope, partition, [...stack, raw.id]);
    }
    case 'enum':
      return withId(raw.schema, raw.id);
    case 'array': {
      const element = resolveSchema(raw.element, scope, partition, raw.id ? [...stack, raw.id] : stack);
      return element && withId({ kind: 'array', element }, raw.id);
    }
    case 'map': {
      const value = resolveSchema(raw.value, scope, partition, raw.id ? [...stack, raw.id] : stack);
      return (
        value && withId({ kind: 'map', key: { name: raw.keyName }, value, valueName: raw.valueName }, raw.id)
      );
    }
    case 'object': {
      const fields: FieldInfo[] = [];
      for (const f of raw.fields) {
        const schema = resolveSchema(f.schema, scope, partition, raw.id ? [...stack, raw.id] : stack);
        if (schema === undefined) return undefined;
        const { schema: _raw, ...rest } = f;
        fields.push({ ...rest, schema });
      }
      return withId({ kind: 'object', fields }, raw.id);
    }
  }
}

function withId<T extends Schema>(schema: T, id: string | undefined): T {
  return id === undefined || 'id' in schema ? schema : { ...schema, id };
}

/**
 * The longest path of `schema`/`elementSchema` members below a complex schema. Every such member
 * counts, the last one (naming a primitive or an Enum) included: the spec's test suite accepts five
 * nested Arrays of `boolean` (5) and refuses six (6).
 */
export function schemaPathLength(schema: Schema): number {
  switch (schema.kind) {
    case 'array':
      return 1 + schemaPathLength(schema.element);
    case 'map':
      return 1 + schemaPathLength(schema.value);
    case 'object':
      return Math.max(0, ...schema.fields.map((f) => 1 + schemaPathLength(f.schema)));
    default:
      return 0;
  }
}

export function isComplex(schema: Schema): boolean {
  return (
    schema.kind === 'array' || schema.kind === 'map' || schema.kind === 'object' || schema.kind === 'enum'
  );
}

/** True when the schema hierarchy contains an Array or a geospatial schema (forbidden in v2 Properties). */
export function containsArrayOrGeospatial(schema: Schema): boolean {
  switch (schema.kind) {
    case 'array':
    case 'geospatial':
      return true;
    case 'map':
      return containsArrayOrGeospatial(schema.value);
    case 'object':
      return schema.fields.some((f) => containsArrayOrGeospatial(f.schema));
    default:
      return false;
  }
}
