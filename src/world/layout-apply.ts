// A layout version written into a plant file (docs/plant-format.md), for a what-if study: each
// changed twin's `properties.layout` takes the version's values; the rest of the file, comments
// included, stays as it was. The simulation reads positions for AGV travel (docs/simulation.md).
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { ValidationError } from '../core/errors.js';
import { LAYOUT_FIELDS, type VersionObject } from '../core/wire-layout.js';

export interface AppliedLayout {
  /** The plant file with the version's layout. */
  readonly text: string;
  /** Twins whose layout was written. */
  readonly applied: readonly string[];
  readonly notApplied: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

const NESTED = ['contains', 'hosts'];
const MAX_DEPTH = 64;

export function applyLayoutToPlant(
  text: string,
  file: string,
  objects: readonly VersionObject[],
): AppliedLayout {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      'IMV_LAYOUT_PLANT_INVALID',
      `${file} is not YAML: ${doc.errors[0]!.message.split('\n')[0]}`,
      { cause: doc.errors[0] },
    );
  }
  const prefix = doc.get('prefix');
  const twins = doc.get('twins');
  if (typeof prefix !== 'string' || !isSeq(twins)) {
    throw new ValidationError(
      'IMV_LAYOUT_PLANT_INVALID',
      `${file} is not a plant file: it needs a "prefix" and a "twins" list (docs/plant-format.md)`,
    );
  }
  const nodes = new Map<string, YAMLMap>();
  collectTwins(twins.items, prefix, nodes, 0);

  const applied: string[] = [];
  const notApplied: Array<{ id: string; reason: string }> = [];
  for (const object of objects) {
    if (object.change === 'added') {
      notApplied.push({ id: object.id, reason: 'added equipment has no place in the material flow yet' });
      continue;
    }
    if (object.change === 'removed') {
      notApplied.push({ id: object.id, reason: 'removed equipment stays in the simulated material flow' });
      continue;
    }
    const node = nodes.get(object.id);
    if (!node) {
      notApplied.push({ id: object.id, reason: `not in ${file}` });
      continue;
    }
    writeLayout(doc, node, object);
    applied.push(object.id);
  }
  return { text: doc.toString({ lineWidth: 0 }), applied, notApplied };
}

function collectTwins(items: unknown[], prefix: string, into: Map<string, YAMLMap>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const item of items) {
    if (!isMap(item)) continue;
    const id = item.get('id');
    if (typeof id === 'string') into.set(id.startsWith(`${prefix}/`) ? id : `${prefix}/${id}`, item);
    for (const key of NESTED) {
      const children = item.get(key);
      if (isSeq(children)) collectTwins(children.items, prefix, into, depth + 1);
    }
  }
}

function writeLayout(doc: Document, twin: YAMLMap, object: VersionObject): void {
  const rounded = (n: number): number => Math.round(n * 1000) / 1000;
  const existing = twin.getIn(['properties', 'layout']);
  if (isMap(existing)) {
    for (const field of LAYOUT_FIELDS) existing.set(field, rounded(object.layout[field]));
    return;
  }
  const layout = doc.createNode(
    Object.fromEntries(LAYOUT_FIELDS.map((field) => [field, rounded(object.layout[field])])),
    { flow: true },
  );
  if (isMap(twin.get('properties'))) twin.setIn(['properties', 'layout'], layout);
  else twin.set('properties', doc.createNode({ layout }));
}
