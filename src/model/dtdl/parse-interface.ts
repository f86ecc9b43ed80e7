// Parses the Interfaces of one DTDL document (an Interface object or an array of them), checking
// everything that can be checked without the other Interfaces it refers to.
import { dtmiProblem } from '../dtmi.js';
import type {
  CommandInfo,
  CommandPayloadInfo,
  ComponentInfo,
  ContentInfo,
  PropertyInfo,
  RelationshipInfo,
  Schema,
  TelemetryInfo,
} from '../types.js';
import { readContext } from './context.js';
import { dereference, indexElements } from './element-refs.js';
import {
  COMMON_MEMBERS,
  classTerm,
  isObject,
  limitsOf,
  pointer,
  readBoolean,
  readDescriptive,
  readId,
  readIdentifier,
  readInteger,
  readMembers,
  readName,
  readTypes,
  report,
  type Descriptive,
  type DocumentScope,
  type Json,
  type Member,
  type Scope,
} from './element.js';
import {
  checkSemantic,
  containsArrayOrGeospatial,
  isComplex,
  parseComplexSchema,
  parseNamedSchema,
  parseSchema,
  parseSub,
  resolveSchema,
  schemaPathLength,
  type Partition,
  type RawSchema,
} from './schemas.js';

export interface Reference {
  readonly id: string;
  readonly path: string;
}

export interface ParsedInterface {
  readonly id: string;
  readonly version: 2 | 3;
  readonly file: string | undefined;
  readonly path: string;
  readonly document: Json;
  readonly descriptive: Descriptive;
  readonly extensions: string[];
  readonly extendsRefs: Reference[];
  /** Own contents (not inherited), in document order. */
  readonly contents: ContentInfo[];
  /** JSON Pointer of each own content, by name. */
  readonly contentPaths: Map<string, string>;
  /** Elements under `contents` (v3 limit), not counting inherited ones. */
  elementCount: number;
}

const CONTENT_CLASSES = ['Property', 'Telemetry', 'Command', 'Relationship', 'Component'] as const;
type Deferred = () => void;

export function parseDocument(content: unknown, doc: DocumentScope): ParsedInterface[] {
  const out: ParsedInterface[] = [];
  if (Array.isArray(content)) {
    if (content.length === 0)
      report(doc, '', 'document-root', 'the document is an empty array; it must hold one or more Interfaces');
    content.forEach((item, i) => {
      if (isObject(item)) parseInterface(item, undefined, `/${i}`, doc, out);
      else
        report(doc, `/${i}`, 'document-root', 'each value of a top-level array must be an Interface object');
    });
  } else if (isObject(content)) {
    parseInterface(content, undefined, '', doc, out);
  } else {
    report(
      doc,
      '',
      'document-root',
      'a DTDL document must be an Interface object or an array of Interface objects',
    );
  }
  return out;
}

/** Parses an Interface (top-level or inline) and returns its @id. */
function parseInterface(
  obj: Json,
  outer: Scope | undefined,
  path: string,
  doc: DocumentScope,
  out: ParsedInterface[],
): string | undefined {
  if (outer === undefined && obj['@context'] === undefined) {
    report(
      doc,
      path,
      'context-required',
      'a top-level Interface must have "@context": "dtmi:dtdl:context;3" (or ;2)',
    );
    return undefined;
  }
  const ctx =
    obj['@context'] === undefined
      ? outer?.ctx
      : readContext(obj['@context'], outer?.ctx, `${path}/@context`, doc.options, (p, r, m) =>
          report(doc, p, r, m),
        );
  if (ctx === undefined) return undefined;
  const scope: Scope = { doc, ctx, elements: indexElements(obj) };
  const types = readTypes(obj, scope, path, 'Interface', true);
  if (types === undefined) {
    if (outer === undefined)
      report(scope, path, 'top-level-interface', 'a top-level element must be an Interface');
    return undefined;
  }
  const id = readId(obj, scope, path, true, true);
  const members = readMembers(
    obj,
    scope,
    path,
    'Interface',
    [...COMMON_MEMBERS, 'contents', 'extends', 'schemas'],
    types.informal,
  );
  const descriptive = readDescriptive(members, scope);
  const lim = limitsOf(scope);
  const partition: Partition = new Map();
  const count = { n: 0 };
  const deferred: Deferred[] = [];

  const extendsRefs: Reference[] = [];
  const ext = members.get('extends');
  if (ext !== undefined) {
    const list = Array.isArray(ext.value) ? ext.value : [ext.value];
    if (list.length > lim.extendsPerInterface)
      report(
        scope,
        ext.path,
        'extends-max',
        `an Interface may extend at most ${lim.extendsPerInterface} Interfaces in DTDL v${ctx.version}`,
      );
    list.forEach((item, i) => {
      const at = Array.isArray(ext.value) ? `${ext.path}/${i}` : ext.path;
      const ref = referenceToInterface(item, scope, at, doc, out, 'extends');
      if (ref !== undefined) extendsRefs.push({ id: ref, path: at });
    });
  }

  const sch = members.get('schemas');
  if (sch !== undefined) {
    const list = Array.isArray(sch.value) ? sch.value : [sch.value];
    list.forEach((item, i) => {
      const at = Array.isArray(sch.value) ? `${sch.path}/${i}` : sch.path;
      if (!isObject(item))
        return report(
          scope,
          at,
          'schemas-element',
          'each value of "schemas" must be an Array, Enum, Map or Object with an @id',
        );
      const raw = parseComplexSchema(item, scope, at, partition, { n: 0 }, true);
      if (raw !== undefined) deferred.push(() => finishSchema(raw, scope, partition, at));
    });
  }

  const contents: ContentInfo[] = [];
  const contentPaths = new Map<string, string>();
  const con = members.get('contents');
  if (con !== undefined) {
    const list = Array.isArray(con.value) ? con.value : [con.value];
    list.forEach((item, i) => {
      const at = Array.isArray(con.value) ? `${con.path}/${i}` : con.path;
      parseContent(item, scope, at, id ?? '', partition, count, deferred, doc, out, (c) => {
        const prior = contentPaths.get(c.name);
        if (prior !== undefined)
          report(scope, at, 'name-unique', `content name "${c.name}" is already used at ${prior}`);
        else {
          contentPaths.set(c.name, at);
          contents.push(c);
        }
      });
    });
  }
  for (const finish of deferred) finish();
  if (id === undefined) return undefined;
  out.push({
    id,
    version: ctx.version,
    file: doc.file,
    path,
    document: obj,
    descriptive,
    extensions: [...ctx.extensions.values()],
    extendsRefs,
    contents,
    contentPaths,
    elementCount: count.n,
  });
  return id;
}

/** A DTMI reference to an Interface, or an inline Interface (parsed as its own partition). */
function referenceToInterface(
  value: unknown,
  scope: Scope,
  path: string,
  doc: DocumentScope,
  out: ParsedInterface[],
  what: string,
): string | undefined {
  if (typeof value === 'string') {
    const problem = dtmiProblem(value, scope.ctx.version);
    if (problem === undefined) return value;
    report(scope, path, `${what}-dtmi`, `"${value}" is not a valid Interface DTMI: ${problem}`);
    return undefined;
  }
  if (isObject(value)) return parseInterface(value, scope, path, doc, out);
  report(scope, path, `${what}-value`, `${what} must be an Interface DTMI or an inline Interface`);
  return undefined;
}

function finishSchema(raw: RawSchema, scope: Scope, partition: Partition, path: string): Schema | undefined {
  const schema = resolveSchema(raw, scope, partition);
  if (schema !== undefined && isComplex(schema)) {
    const depth = schemaPathLength(schema);
    const max = limitsOf(scope).complexSchemaDepth;
    if (depth > max)
      report(
        scope,
        path,
        'schema-depth',
        `this complex schema nests ${depth} "schema"/"elementSchema" levels; at most ${max} are allowed`,
      );
  }
  return schema;
}

function parseContent(
  item: unknown,
  outer: Scope,
  path: string,
  interfaceId: string,
  partition: Partition,
  count: { n: number },
  deferred: Deferred[],
  doc: DocumentScope,
  out: ParsedInterface[],
  add: (c: ContentInfo) => void,
): void {
  if (!isObject(item))
    return report(outer, path, 'content-object', 'each value of "contents" must be an object');
  count.n++;
  const ctx =
    item['@context'] === undefined
      ? outer.ctx
      : readContext(item['@context'], outer.ctx, `${path}/@context`, doc.options, (p, r, m) =>
          report(doc, p, r, m),
        );
  if (ctx === undefined) return;
  const scope: Scope = { doc, ctx, elements: outer.elements };
  const typeList = Array.isArray(item['@type']) ? item['@type'] : [item['@type']];
  const classes = typeList
    .map((t) => (typeof t === 'string' ? classTerm(t, ctx.version) : undefined))
    .filter((c) => (CONTENT_CLASSES as readonly string[]).includes(c ?? ''));
  const cls = classes[0] as (typeof CONTENT_CLASSES)[number] | undefined;
  if (cls === undefined) {
    return report(
      scope,
      item['@type'] === undefined ? path : `${path}/@type`,
      'content-class',
      `a content must have "@type" ${CONTENT_CLASSES.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  const types = readTypes(item, scope, path, cls, true);
  if (types === undefined) return;
  const elementId = item['@id'] === undefined ? undefined : readId(item, scope, path, false, false);
  const specific = {
    Property: ['name', 'schema', 'writable', 'unit'],
    Telemetry: ['name', 'schema', 'unit'],
    Command: ['name', 'request', 'response', 'commandType'],
    Relationship: ['name', 'target', 'minMultiplicity', 'maxMultiplicity', 'properties', 'writable'],
    Component: ['name', 'schema'],
  }[cls];
  const members = readMembers(item, scope, path, cls, [...COMMON_MEMBERS, ...specific], types.informal);
  const name = readName(members, scope, path, cls);
  const d = readDescriptive(members, scope);
  const base = {
    definedIn: interfaceId,
    coTypes: types.coTypes,
    ...(elementId ? { id: elementId } : {}),
    ...(d.displayName !== undefined ? { displayName: d.displayName } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
  };

  if (cls === 'Property' || cls === 'Telemetry') {
    const sm = members.get('schema');
    if (sm === undefined) report(scope, path, 'member-required', `a ${cls} must have "schema"`);
    const raw = sm && parseSchema(sm, scope, partition, count);
    const unit = checkSemantic(members, scope, path, cls, types.semanticTypes, sm, types.informal);
    const writable = cls === 'Property' ? readBoolean(members.get('writable'), scope, 'writable') : undefined;
    if (name === undefined || raw === undefined || sm === undefined) return;
    deferred.push(() => {
      const schema = finishSchema(raw, scope, partition, sm.path);
      if (schema === undefined) return;
      if (cls === 'Property' && ctx.version === 2 && containsArrayOrGeospatial(schema)) {
        return report(
          scope,
          sm.path,
          'property-schema-array',
          'in DTDL v2 a Property schema may not contain an Array or a geospatial schema (allowed in v3)',
        );
      }
      const common = { ...base, name, schema, semanticTypes: types.semanticTypes, ...(unit ? { unit } : {}) };
      add(
        cls === 'Property'
          ? ({ kind: 'Property', ...common, writable: writable ?? false } satisfies PropertyInfo)
          : ({ kind: 'Telemetry', ...common } satisfies TelemetryInfo),
      );
    });
    return;
  }

  if (cls === 'Command') {
    const ct = members.get('commandType');
    if (ct !== undefined) {
      const v = Array.isArray(ct.value) && ct.value.length <= 1 ? ct.value[0] : ct.value;
      const ok = [
        'asynchronous',
        'synchronous',
        `dtmi:dtdl:instance:CommandType:asynchronous;${ctx.version}`,
        `dtmi:dtdl:instance:CommandType:synchronous;${ctx.version}`,
      ];
      if (v !== undefined && !ok.includes(v as string))
        report(
          scope,
          ct.path,
          'command-type',
          'commandType (deprecated) must be "synchronous" or "asynchronous"',
        );
    }
    const payload = (term: 'request' | 'response'): (() => CommandPayloadInfo | undefined) | undefined => {
      const m = members.get(term);
      if (m === undefined) return undefined;
      let value = m.value;
      let at = m.path;
      if (Array.isArray(value)) {
        // An empty array is JSON-LD for "no value": a Command without a request (or response).
        if (value.length === 0) return undefined;
        if (value.length !== 1) {
          report(scope, at, 'member-single-value', `${term} must be one CommandRequest/CommandResponse`);
          return undefined;
        }
        value = value[0];
        at = `${at}/0`;
      }
      const payloadClass =
        ctx.version === 2 ? 'CommandPayload' : term === 'request' ? 'CommandRequest' : 'CommandResponse';
      const sub = parseSub(
        { value, path: at },
        scope,
        payloadClass,
        ctx.version === 2 ? ['name', 'schema'] : ['name', 'schema', 'unit', 'nullable'],
        count,
      );
      const named = sub && parseNamedSchema(sub, payloadClass, partition, count);
      if (sub === undefined || named === undefined) return undefined;
      const nullable =
        ctx.version === 3 ? readBoolean(sub.members.get('nullable'), sub.scope, 'nullable') : undefined;
      const schemaPath = sub.members.get('schema')?.path ?? at;
      return () => {
        const schema = finishSchema(named.schema, sub.scope, partition, schemaPath);
        return schema && { name: named.name, schema, ...(nullable !== undefined ? { nullable } : {}) };
      };
    };
    const req = payload('request');
    const res = payload('response');
    if (name === undefined) return;
    deferred.push(() => {
      const request = req?.();
      const response = res?.();
      add({
        kind: 'Command',
        ...base,
        name,
        ...(request ? { request } : {}),
        ...(response ? { response } : {}),
      } satisfies CommandInfo);
    });
    return;
  }

  if (cls === 'Relationship') {
    const lim = limitsOf(scope);
    const tm = members.get('target');
    const target = readIdentifier(tm, scope, 'target');
    if (target !== undefined && tm !== undefined) {
      const problem = dtmiProblem(target, ctx.version);
      if (problem !== undefined)
        report(scope, tm.path, 'relationship-target', `target must be an Interface DTMI: ${problem}`);
    }
    const minM = members.get('minMultiplicity');
    const maxM = members.get('maxMultiplicity');
    const min = readInteger(minM, scope, 'minMultiplicity');
    const max = readInteger(maxM, scope, 'maxMultiplicity');
    if (min !== undefined && min !== 0)
      report(
        scope,
        minM?.path ?? path,
        'relationship-min-multiplicity',
        `minMultiplicity must be 0 in DTDL v${ctx.version}`,
      );
    if (max !== undefined && (max < 1 || max > lim.maxMultiplicity)) {
      report(
        scope,
        maxM?.path ?? path,
        'relationship-max-multiplicity',
        `maxMultiplicity must be at least 1${Number.isFinite(lim.maxMultiplicity) ? ` and at most ${lim.maxMultiplicity} in DTDL v${ctx.version}` : ''}`,
      );
    }
    if (min !== undefined && max !== undefined && min > max)
      report(
        scope,
        minM?.path ?? path,
        'relationship-multiplicity-order',
        'minMultiplicity must not exceed maxMultiplicity',
      );
    const writable = readBoolean(members.get('writable'), scope, 'writable');
    const props = new Map<string, PropertyInfo>();
    const pm = members.get('properties');
    if (pm !== undefined) {
      const list = Array.isArray(pm.value) ? pm.value : [pm.value];
      if (list.length > lim.relationshipProperties)
        report(
          scope,
          pm.path,
          'relationship-properties-max',
          `a Relationship may have at most ${lim.relationshipProperties} properties in DTDL v${ctx.version}`,
        );
      list.forEach((item, i) => {
        const at = Array.isArray(pm.value) ? `${pm.path}/${i}` : pm.path;
        const p = dereference(item, scope.elements);
        const pt = isObject(p) ? (Array.isArray(p['@type']) ? p['@type'] : [p['@type']]) : [];
        if (!pt.some((t) => typeof t === 'string' && classTerm(t, ctx.version) === 'Property')) {
          return report(
            scope,
            at,
            'relationship-property-class',
            'each value of a Relationship\'s "properties" must be a Property',
          );
        }
        parseContent(p, scope, at, interfaceId, partition, count, deferred, doc, out, (c) => {
          if (c.kind !== 'Property') return;
          if (props.has(c.name))
            report(
              scope,
              at,
              'relationship-property-unique',
              `property name "${c.name}" is used twice in this Relationship`,
            );
          else props.set(c.name, c);
        });
      });
    }
    if (name === undefined) return;
    // Properties are finished by deferred tasks queued above; the relationship is added after them.
    deferred.push(() => {
      add({
        kind: 'Relationship',
        ...base,
        name,
        ...(target !== undefined ? { target } : {}),
        ...(min !== undefined ? { minMultiplicity: min } : {}),
        ...(max !== undefined ? { maxMultiplicity: max } : {}),
        properties: props,
        writable: writable ?? false,
      } satisfies RelationshipInfo);
    });
    return;
  }

  // Component
  const sm = members.get('schema');
  if (sm === undefined)
    return report(scope, path, 'member-required', 'a Component must have "schema" (an Interface)');
  let value = sm.value;
  let at = sm.path;
  if (Array.isArray(value) && value.length === 1) {
    value = value[0];
    at = `${at}/0`;
  }
  const schema = referenceToInterface(value, scope, at, doc, out, 'component-schema');
  if (name === undefined || schema === undefined) return;
  add({ kind: 'Component', ...base, name, schema } satisfies ComponentInfo);
}

export { pointer };
export type { Member };
