// Pure helpers on twin and relationship documents (ADT JSON shape).
import type { RelationshipDoc, TwinDoc } from '../core/wire.js';

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Parses an If-Match value into a version; `*` and absence mean "any". Undefined when unparsable. */
export function versionFromEtag(etag: string): number | undefined {
  const match = /^(?:W\/)?"(\d+)"$/.exec(etag.trim());
  return match ? Number(match[1]) : undefined;
}

/** Property and telemetry values of a twin: everything but the $-prefixed system fields. */
export function contentOf(doc: Record<string, unknown>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) if (!key.startsWith('$')) content[key] = doc[key];
  return content;
}

/** The $-prefixed system fields of a document: what stays when its content is replaced. */
export function systemFieldsOf(doc: Record<string, unknown>): Record<string, unknown> {
  const system: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) if (key.startsWith('$')) system[key] = doc[key];
  return system;
}

/** Longer strings are not indexed for queries (the query compiler knows this too). */
export const MAX_INDEXED_STRING = 256;
/** Object fields are indexed to this depth (top level = 1). */
export const MAX_INDEX_DEPTH = 3;

/**
 * The scalar values a twin exposes to indexed queries: [dotted path, value] pairs for top-level
 * fields and object fields to depth 3. Booleans index as 1/0; long strings and arrays are not indexed.
 */
export function indexedValues(doc: Record<string, unknown>): Array<[string, string | number]> {
  const out: Array<[string, string | number]> = [];
  collect(doc, '', 1, out);
  return out;
}

/** The top-level field of a dotted field name: `position` of `position.x`. */
export function rootField(field: string): string {
  const dot = field.indexOf('.');
  return dot < 0 ? field : field.slice(0, dot);
}

/** A copy of `target` (an object, or nothing yet) with the value at the dotted `path` set. */
export function withPath(target: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  const dot = path.indexOf('.');
  if (dot < 0) copy[path] = value;
  else copy[path.slice(0, dot)] = withPath(copy[path.slice(0, dot)], path.slice(dot + 1), value);
  return copy;
}

/** indexedValues() of one top-level field: what a telemetry update changes in the index. */
export function indexedValuesOfField(field: string, value: unknown): Array<[string, string | number]> {
  const out: Array<[string, string | number]> = [];
  if (value !== undefined) collect({ [field]: value }, '', 1, out);
  return out;
}

function collect(
  object: Record<string, unknown>,
  prefix: string,
  depth: number,
  out: Array<[string, string | number]>,
): void {
  for (const key in object) {
    if (key.charCodeAt(0) === 36 /* $ */) continue;
    const value = object[key];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    switch (typeof value) {
      case 'string':
        if (value.length <= MAX_INDEXED_STRING) out.push([path, value]);
        break;
      case 'number':
        if (Number.isFinite(value)) out.push([path, value]);
        break;
      case 'boolean':
        out.push([path, value ? 1 : 0]);
        break;
      case 'object':
        if (value !== null && !Array.isArray(value) && depth < MAX_INDEX_DEPTH) {
          collect(value as Record<string, unknown>, path, depth + 1, out);
        }
        break;
    }
  }
}

export function relationshipDoc(
  fields: { id: string; source: string; name: string; target: string; properties: Record<string, unknown> },
  version: number,
): RelationshipDoc {
  return {
    $relationshipId: fields.id,
    $etag: etagOf(version),
    $sourceId: fields.source,
    $relationshipName: fields.name,
    $targetId: fields.target,
    ...fields.properties,
  };
}

export function withEtag(draft: { $dtId: string; [field: string]: unknown }, version: number): TwinDoc {
  // $etag second, after $dtId, to keep ADT's field order.
  const { $dtId, ...rest } = draft;
  return { $dtId, $etag: etagOf(version), ...rest } as TwinDoc;
}

/** A twin document without some of its fields (values and their $metadata): what a caller may not read. */
export function withoutFields(
  doc: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...doc };
  const metadata =
    typeof doc.$metadata === 'object' && doc.$metadata !== null
      ? { ...(doc.$metadata as object) }
      : undefined;
  for (const field of fields) {
    delete kept[field];
    if (metadata !== undefined) delete (metadata as Record<string, unknown>)[field];
  }
  if (metadata !== undefined) kept.$metadata = metadata;
  return kept;
}
