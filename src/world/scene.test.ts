import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WorldKind, WorldObject } from '../core/wire.js';
import { loadOntology } from '../model/ontology/load.js';
import { ModelRegistry } from '../model/registry.js';
import { parsePlant } from '../twin/plant.js';
import { generateScene, SCENE_FIELDS, type SceneLink, type SceneTwin } from './scene.js';

const registry = new ModelRegistry();
registry.add(loadOntology());
registry.add([
  {
    source: 'press.json',
    content: {
      '@context': 'dtmi:dtdl:context;3',
      '@id': 'dtmi:acme:Press;1',
      '@type': 'Interface',
      extends: 'dtmi:imverse:Machine;1',
    },
  },
]);
const isOfModel = (model: string, base: string) => registry.isOfModel(model, base);
const M = (name: string) => `dtmi:imverse:${name};1`;
const layout = (x: number, y: number, width = 2, depth = 2, rotation = 0) => ({
  x,
  y,
  z: 0,
  rotation,
  width,
  depth,
  height: 2,
});

const twin = (id: string, model: string, properties: Record<string, unknown> = {}): SceneTwin => ({
  id,
  model: model.startsWith('dtmi:') ? model : M(model),
  properties,
});
const link = (source: string, name: string, target: string): SceneLink => ({ source, name, target });

// Deliberately out of order: the scene's order must not depend on the input's.
const TWINS = [
  twin('P/line/st-2', 'Station', { name: 'OP20', stationType: 'welding', layout: layout(14, 0, 4, 6, 90) }),
  twin('P/line', 'Line', { name: 'Line 1', state: 'running' }),
  twin('P/line/st-1', 'Station', { name: 'OP10', state: 'down', layout: layout(4, 0) }),
  twin('P/line/st-1/press', 'dtmi:acme:Press;1', { machineType: 'press', layout: layout(4, 0.5, 1, 1) }),
  twin('P/line/st-1/press/temp', 'Sensor', { sensorType: 'temperature' }),
  twin('P/acme', 'Enterprise', { name: 'ACME' }),
  twin('P/plant', 'Factory', {}),
  twin('P/ws', 'Workshop', {}),
  twin('P/agv', 'AGV', { layout: layout(-10, 20, 1, 1.6) }),
  twin('P/anna', 'Operator', { name: 'Anna', layout: { x: 'here' } }),
  twin('P/cust', 'Customer', {}),
  twin('P/tool', 'Tool', { name: 'Fixture' }),
  twin('P/hall', 'Building', { layout: layout(0, 0, 0, 0) }),
];
const LINKS = [
  link('P/acme', 'contains', 'P/plant'),
  link('P/plant', 'contains', 'P/ws'),
  link('P/ws', 'contains', 'P/line'),
  link('P/line', 'contains', 'P/line/st-2'),
  link('P/line', 'contains', 'P/line/st-1'),
  link('P/line/st-1', 'hosts', 'P/line/st-1/press'),
  link('P/line/st-1/press', 'hosts', 'P/line/st-1/press/temp'),
  link('P/line/st-1', 'feeds', 'P/line/st-2'),
  link('P/anna', 'operates', 'P/line/st-1'),
  link('P/line', 'contains', 'P/elsewhere'),
];

const byId = (objects: readonly WorldObject[]) => new Map(objects.map((o) => [o.id, o]));

describe('generateScene', () => {
  const scene = generateScene({ twins: TWINS, links: LINKS, isOfModel });
  const objects = byId(scene.objects);

  it('keeps every twin, in identifier order', () => {
    expect(scene.root).toBeUndefined();
    const ids = scene.objects.map((o) => o.id);
    expect(ids).toEqual(TWINS.map((t) => t.id).sort());
    const reversed = generateScene({ twins: [...TWINS].reverse(), links: [...LINKS].reverse(), isOfModel });
    expect(reversed).toEqual(scene);
  });

  it('maps models to kinds following extends', () => {
    const kinds: Record<string, WorldKind> = {
      'P/acme': 'site',
      'P/plant': 'site',
      'P/ws': 'workshop',
      'P/line': 'line',
      'P/line/st-1': 'station',
      'P/line/st-1/press': 'machine',
      'P/line/st-1/press/temp': 'sensor',
      'P/agv': 'agv',
      'P/anna': 'person',
      'P/cust': 'person',
      'P/tool': 'other',
      'P/hall': 'building',
    };
    for (const [id, kind] of Object.entries(kinds)) expect(objects.get(id)?.kind, id).toBe(kind);
    expect(objects.get('P/acme')?.type).toBe('enterprise');
    expect(objects.get('P/plant')?.type).toBe('factory');
    expect(objects.get('P/line/st-1/press')?.type).toBe('press');
    expect(objects.get('P/line/st-2')?.type).toBe('welding');
    expect(objects.get('P/line/st-1/press/temp')?.type).toBe('temperature');
    expect(objects.get('P/line/st-1/press')?.model).toBe('dtmi:acme:Press;1');
  });

  it('builds the hierarchy from contains and hosts only', () => {
    expect(objects.get('P/acme')?.parent).toBeUndefined();
    expect(objects.get('P/plant')?.parent).toBe('P/acme');
    expect(objects.get('P/line/st-2')?.parent).toBe('P/line');
    expect(objects.get('P/line/st-1/press')?.parent).toBe('P/line/st-1');
    expect(objects.get('P/line/st-1/press/temp')?.parent).toBe('P/line/st-1/press');
    // operates and feeds are not containment; a link to a twin not in the input is ignored.
    expect(objects.get('P/line/st-1')?.parent).toBe('P/line');
    expect(objects.has('P/elsewhere')).toBe(false);
  });

  it('carries name, state and layout; unplaced twins stay without layout', () => {
    expect(objects.get('P/line/st-1')).toEqual({
      id: 'P/line/st-1',
      name: 'OP10',
      kind: 'station',
      model: M('Station'),
      parent: 'P/line',
      layout: layout(4, 0),
      state: 'down',
    });
    expect(objects.get('P/line')?.state).toBe('running');
    expect(objects.get('P/line')?.layout).toBeUndefined();
    expect(objects.get('P/anna')?.layout).toBeUndefined();
    expect(objects.get('P/plant')?.name).toBe('P/plant');
  });

  it('bounds everything placed, rotated footprints included', () => {
    // st-2 is 4 × 6 turned by 90°: 6 along x, 4 along y. The AGV is the west and north extreme.
    expect(scene.bounds).toEqual({ minX: -10.5, minY: -2, maxX: 17, maxY: 20.8 });
    const empty = generateScene({ twins: [twin('P/x', 'Line')], links: [], isOfModel });
    expect(empty.bounds).toEqual({ minX: 0, minY: 0, maxX: 0, maxY: 0 });
  });

  it('gives the subtree of a root: what it contains and hosts, transitively', () => {
    const sub = generateScene({ twins: TWINS, links: LINKS, isOfModel, root: 'P/line/st-1' });
    expect(sub.root).toBe('P/line/st-1');
    expect(sub.objects.map((o) => [o.id, o.parent])).toEqual([
      ['P/line/st-1', undefined],
      ['P/line/st-1/press', 'P/line/st-1'],
      ['P/line/st-1/press/temp', 'P/line/st-1/press'],
    ]);
    expect(sub.bounds).toEqual({ minX: 3, minY: -1, maxX: 5, maxY: 1 });
    expect(() => generateScene({ twins: TWINS, links: LINKS, isOfModel, root: 'P/none' })).toThrow(
      expect.objectContaining({ code: 'IMV_TWIN_NOT_FOUND' }),
    );
  });

  it('places a twin nothing contains where it is located, else under its owner; containment wins', () => {
    const twin = (id: string) => ({ id, model: 'dtmi:imverse:Machine;1', properties: {} });
    const link = (name: string, source: string, target: string) => ({ name, source, target });
    const { objects: list } = generateScene({
      twins: ['P/hall', 'P/firm', 'P/agv', 'P/rack', 'P/press', 'P/line'].map(twin),
      links: [
        link('owns', 'P/firm', 'P/agv'),
        link('locatedIn', 'P/agv', 'P/hall'),
        link('owns', 'P/firm', 'P/rack'),
        link('locatedIn', 'P/press', 'P/hall'),
        link('contains', 'P/line', 'P/press'),
      ],
      isOfModel,
    });
    const parents = new Map(list.map((o) => [o.id, o.parent]));
    expect(parents.get('P/agv')).toBe('P/hall');
    expect(parents.get('P/rack')).toBe('P/firm');
    expect(parents.get('P/press')).toBe('P/line');
    expect(parents.get('P/hall')).toBeUndefined();
  });

  it('picks one parent deterministically and breaks containment cycles', () => {
    const twins = ['P/a', 'P/b', 'P/c', 'P/d'].map((id) => twin(id, 'Zone'));
    const links = [
      link('P/a', 'contains', 'P/b'),
      link('P/b', 'contains', 'P/c'),
      link('P/c', 'contains', 'P/a'),
      link('P/d', 'contains', 'P/c'),
      link('P/a', 'contains', 'P/a'),
    ];
    const parents = generateScene({ twins, links, isOfModel }).objects.map((o) => o.parent);
    // c has parents b and d: b wins. The cycle a → b → c → a loses the link into a.
    expect(parents).toEqual([undefined, 'P/a', 'P/b', undefined]);
    const fromB = generateScene({ twins, links, isOfModel, root: 'P/b' });
    expect(fromB.objects.map((o) => [o.id, o.parent])).toEqual([
      ['P/a', 'P/c'],
      ['P/b', undefined],
      ['P/c', 'P/b'],
    ]);
  });
});

describe('generateScene on the demo plant', () => {
  const plant = parsePlant(
    readFileSync(new URL('../../examples/demo-plant.yaml', import.meta.url), 'utf8'),
    'demo-plant.yaml',
  );
  const twins = plant.twins.map((seed) => ({
    id: seed.id,
    model: seed.model,
    properties: Object.fromEntries(SCENE_FIELDS.map((f) => [f, seed.properties[f]])),
  }));
  const scene = generateScene({ twins, links: plant.relationships, isOfModel });
  const objects = byId(scene.objects);

  it('has every twin, with the counts per kind of the file', () => {
    expect(scene.objects).toHaveLength(233);
    const counts: Partial<Record<WorldKind, number>> = {};
    for (const o of scene.objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    expect(counts).toEqual({
      site: 3,
      building: 1,
      zone: 7,
      workshop: 2,
      line: 4,
      station: 40,
      machine: 22,
      robot: 8,
      conveyor: 10,
      buffer: 34,
      agv: 4,
      person: 12,
      sensor: 77,
      other: 9,
    });
  });

  it('places every station under its line, and every sensor under what hosts it', () => {
    for (const station of scene.objects.filter((o) => o.kind === 'station')) {
      expect(station.layout, station.id).toBeDefined();
      const parent = objects.get(station.parent!);
      expect(parent?.kind, station.id).toBe('line');
      expect(station.id.startsWith(`${parent!.id}/`)).toBe(true);
    }
    for (const sensor of scene.objects.filter((o) => o.kind === 'sensor')) {
      expect(['station', 'machine', 'robot', 'conveyor', 'agv']).toContain(objects.get(sensor.parent!)?.kind);
    }
    const line = objects.get('88.100.1/line-1')!;
    expect(objects.get(line.parent!)?.kind).toBe('workshop');
  });

  it('puts what nothing contains under its place or owner: AGVs, racks, halls and staff are in the tree', () => {
    const roots = scene.objects.filter((o) => o.parent === undefined).map((o) => o.id);
    // The enterprise, and a customer who is not part of the plant.
    expect(roots).toEqual(['88.100.1/acme', '88.100.1/customers/northwind']);
    expect(objects.get('88.100.1/staff/ayse-yilmaz')?.parent).toBe('88.100.1/line-1');
    expect(objects.get(objects.get('88.100.1/agv-01')!.parent!)?.kind).toMatch(/zone|workshop|building|site/);
  });

  it('bounds the hall', () => {
    expect(scene.bounds).toEqual({ minX: 0, minY: 0, maxX: 224, maxY: 90 });
  });
});
