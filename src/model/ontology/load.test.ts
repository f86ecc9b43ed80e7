import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../registry.js';
import { validateTwinContent } from '../validate-value.js';
import { loadOntology, modelIdForShortName, ONTOLOGY_PREFIX } from './load.js';

type Json = Record<string, unknown>;

const NAME = /^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$/;
const DTMI =
  /^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}$/;
const DTDL3 = 'dtmi:dtdl:context;3';
const QUANTITATIVE = 'dtmi:dtdl:extension:quantitativeTypes;1';
const CONTENT_TYPES = new Set(['Property', 'Telemetry', 'Command', 'Relationship', 'Component']);

const docs = loadOntology();
const byId = new Map<string, Json>();
for (const doc of docs) byId.set((doc.content as Json)['@id'] as string, doc.content as Json);

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const parents = (model: Json): string[] => asArray(model.extends as string | string[] | undefined);

/** The interface and every interface it inherits from, each once. */
function closure(id: string, seen = new Set<string>()): Set<string> {
  if (seen.has(id)) return seen;
  seen.add(id);
  for (const parent of parents(byId.get(id) ?? {})) closure(parent, seen);
  return seen;
}

function depth(id: string): number {
  const ps = parents(byId.get(id) ?? {});
  return ps.length === 0 ? 1 : 1 + Math.max(...ps.map(depth));
}

/** Calls `visit` for every element carrying `name`, with the semantic co-types it declares. */
function walkNamed(node: unknown, visit: (element: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((item) => walkNamed(item, visit));
  if (node === null || typeof node !== 'object') return;
  const element = node as Json;
  if (typeof element.name === 'string') visit(element);
  for (const [key, value] of Object.entries(element)) if (key !== '@context') walkNamed(value, visit);
}

describe('built-in ontology', () => {
  it('loads one interface per file with unique imverse ids', () => {
    expect(docs.length).toBeGreaterThanOrEqual(29);
    expect(byId.size).toBe(docs.length);
    for (const { source, content } of docs) {
      const model = content as Json;
      expect(model['@type'], source).toBe('Interface');
      expect(model['@id'], source).toBe(modelIdForShortName(source.replace(/\.json$/, '')));
      expect(model['@id'] as string, source).toMatch(DTMI);
      expect((model['@id'] as string).length).toBeLessThanOrEqual(128);
    }
  });

  it('covers the four kinds of the virtual world', () => {
    const names = [
      ...['Asset', 'Material', 'Product', 'Machine', 'Robot', 'Conveyor', 'AGV', 'Buffer', 'Sensor', 'Tool'],
      ...['Person', 'Operator', 'Engineer', 'Manager', 'Customer'],
      ...['Enterprise', 'Site', 'Factory', 'Workshop', 'Line', 'Station'],
      ...['Building', 'Zone'],
    ];
    for (const name of names) expect(byId.has(`${ONTOLOGY_PREFIX}${name};1`), name).toBe(true);
  });

  it('uses the DTDL v3 context first, and the quantitative-types context wherever a unit is used', () => {
    for (const { source, content } of docs) {
      const model = content as Json;
      const context = asArray(model['@context'] as string | string[]);
      expect(context[0], source).toBe(DTDL3);
      let usesUnits = false;
      walkNamed(model.contents, (element) => {
        if ('unit' in element && Array.isArray(element['@type'])) usesUnits = true;
      });
      if (usesUnits) expect(context, source).toContain(QUANTITATIVE);
    }
  });

  it('resolves every extends and relationship target within the ontology, without cycles or deep chains', () => {
    for (const [id, model] of byId) {
      for (const parent of parents(model)) expect(byId.has(parent), `${id} extends ${parent}`).toBe(true);
      for (const content of model.contents as Json[]) {
        if (content['@type'] === 'Relationship' && content.target !== undefined) {
          expect(byId.has(content.target as string), `${id}.${String(content.name)}`).toBe(true);
        }
      }
      expect(depth(id)).toBeLessThanOrEqual(10);
    }
  });

  it('gives every element a valid name, unique across the whole extends hierarchy', () => {
    for (const id of byId.keys()) {
      const names = new Map<string, string>();
      for (const ancestor of closure(id)) {
        for (const content of byId.get(ancestor)!.contents as Json[]) {
          expect(CONTENT_TYPES.has(asArray(content['@type'] as string | string[])[0]!)).toBe(true);
          const name = content.name as string;
          expect(
            names.get(name),
            `${id}: "${name}" declared by ${names.get(name)} and ${ancestor}`,
          ).toBeUndefined();
          names.set(name, ancestor);
        }
      }
      walkNamed(byId.get(id)!.contents, (element) => {
        expect(element.name as string, id).toMatch(NAME);
        expect((element.name as string).length).toBeLessThanOrEqual(64);
      });
    }
  });

  it('places every physical thing, station and space in the 3D world with one shared layout', () => {
    const placeable = modelIdForShortName('Placeable');
    for (const name of [
      'Machine',
      'Robot',
      'Conveyor',
      'AGV',
      'Buffer',
      'Sensor',
      'Station',
      'Building',
      'Zone',
    ]) {
      expect(closure(modelIdForShortName(name)).has(placeable), name).toBe(true);
    }
    const layout = (byId.get(placeable)!.contents as Json[]).find((c) => c.name === 'layout')!;
    const fields = ((layout.schema as Json).fields as Json[]).map((f) => f.name);
    expect(fields).toEqual(['x', 'y', 'z', 'rotation', 'width', 'depth', 'height']);
  });

  it('registers whole with the DTDL parser, with the expected models and inheritance', () => {
    const registry = new ModelRegistry();
    const added = registry.add(loadOntology());
    expect(added.map((m) => m.id).sort()).toEqual([...byId.keys()].sort());
    const station = registry.get(modelIdForShortName('Station'))!;
    expect(station.ancestors).toEqual(
      expect.arrayContaining(['Organisation', 'Entity', 'Placeable', 'FlowNode'].map(modelIdForShortName)),
    );
    expect(station.relationships.get('feeds')?.target).toBe(modelIdForShortName('FlowNode'));
    expect(station.relationships.get('hosts')?.target).toBe(modelIdForShortName('Asset'));
    expect([...station.properties.keys()]).toEqual(
      expect.arrayContaining(['name', 'layout', 'state', 'nominalCycleTime']),
    );
    const machine = registry.get(modelIdForShortName('Machine'))!;
    expect(machine.telemetry.get('temperature')).toMatchObject({
      unit: 'degreeCelsius',
      semanticTypes: ['Temperature'],
    });
    expect([...machine.commands.keys()]).toEqual(expect.arrayContaining(['start', 'stop', 'reset']));
    expect(registry.isOfModel(modelIdForShortName('Operator'), modelIdForShortName('Person'))).toBe(true);
    expect(registry.isOfModel(modelIdForShortName('Conveyor'), modelIdForShortName('FlowNode'))).toBe(true);
    expect(registry.get(modelIdForShortName('Conveyor'))!.commands.has('setSpeed')).toBe(true);
  });

  it('is documented model by model in docs/ontology.md', () => {
    const doc = readFileSync(new URL('../../../docs/ontology.md', import.meta.url), 'utf8');
    for (const id of byId.keys()) {
      const name = id.slice(ONTOLOGY_PREFIX.length, -2);
      expect(doc, name).toContain(`| \`${name}\``);
    }
  });

  it('lists every closed value list, and every open one, in docs/ontology.md', () => {
    const doc = readFileSync(new URL('../../../docs/ontology.md', import.meta.url), 'utf8');
    const rows = new Map<string, string>();
    for (const match of doc.matchAll(/^\| `(\w+)` +\| `(\w+)` +\| ([^|]+)\|$/gm)) {
      rows.set(`${match[1]}.${match[2]}`, match[3]!.trim());
    }
    for (const [id, model] of byId) {
      const name = id.slice(ONTOLOGY_PREFIX.length, -2);
      for (const content of model.contents as Json[]) {
        const schema = content.schema as Json | string;
        const key = `${name}.${content.name as string}`;
        if (typeof schema === 'object' && schema['@type'] === 'Enum') {
          const values = (schema.enumValues as Json[]).map((v) => v.enumValue).join(', ');
          expect(rows.get(key), key).toBe(values);
        } else if (/Any word the plant uses/.test(String(content.description))) {
          expect(schema, key).toBe('string');
          expect(rows.has(key), key).toBe(true);
        }
      }
    }
  });

  it('accepts a plant’s own words in open lists and refuses them in closed ones', () => {
    const registry = new ModelRegistry();
    registry.add(docs);
    const valid = (model: string, content: Json) =>
      validateTwinContent(registry, modelIdForShortName(model), content).map((issue) => issue.path);
    expect(valid('Station', { stationType: 'filling' })).toEqual([]);
    expect(valid('Machine', { machineType: 'capper' })).toEqual([]);
    expect(valid('Workshop', { discipline: 'bottling' })).toEqual([]);
    expect(valid('Sensor', { sensorType: 'fillLevel' })).toEqual([]);
    expect(valid('Station', { state: 'filling' })).toEqual(['/state']);
  });

  it('maps short names to model ids', () => {
    expect(modelIdForShortName('Station')).toBe('dtmi:imverse:Station;1');
  });
});
