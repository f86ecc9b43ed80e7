// Elements named by @id. JSON-LD lets an element that has an @id be written once and named by its
// DTMI wherever that element is wanted again, so DTDL accepts "request": "dtmi:…;1" for a
// CommandRequest defined elsewhere in the same Interface (likewise fields, enumValues, mapKey,
// mapValue and a Relationship's properties). Complex schemas and Interfaces are resolved elsewhere.
import { isObject, type Json } from './element.js';

function isInterface(obj: Json): boolean {
  const types = Array.isArray(obj['@type']) ? obj['@type'] : [obj['@type']];
  return types.some(
    (t) => t === 'Interface' || (typeof t === 'string' && /^dtmi:dtdl:class:Interface;[23]$/.test(t)),
  );
}

/** Every object with an @id inside an Interface, by @id; a nested Interface keeps its own. */
export function indexElements(iface: Json): ReadonlyMap<string, Json> {
  const out = new Map<string, Json>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isObject(value) || isInterface(value)) return;
    if (typeof value['@id'] === 'string' && !out.has(value['@id'])) out.set(value['@id'], value);
    Object.values(value).forEach(walk);
  };
  Object.entries(iface).forEach(([key, value]) => key !== '@id' && walk(value));
  return out;
}

/** The element a string names by @id, else the value unchanged. */
export function dereference(value: unknown, elements: ReadonlyMap<string, Json>): unknown {
  return typeof value === 'string' ? (elements.get(value) ?? value) : value;
}
