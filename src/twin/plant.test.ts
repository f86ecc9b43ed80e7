import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ValidationError, type Issue } from '../core/errors.js';
import { loadOntology } from '../model/ontology/load.js';
import { ModelRegistry } from '../model/registry.js';
import { validateRelationshipProperties, validateTwinContent } from '../model/validate-value.js';
import { defaultRelationshipId, parsePlant, TOP_KEYS, type PlantDefinition } from './plant.js';

const GOOD = `
imverse: plant/v1
prefix: acme.demo
models:
  - "@context": dtmi:dtdl:context;3
    "@id": dtmi:acme:Press;1
    "@type": Interface
    extends: dtmi:imverse:Machine;1
twins:
  - id: acme
    model: Enterprise
    properties: { name: ACME }
    contains:
      - id: line-1
        model: Line
        contains:
          - id: line-1/st-01
            model: Station
            properties:
              layout: { x: 1, y: 2, z: 0, rotation: 0, width: 4, depth: 3, height: 2 }
            hosts:
              - { id: line-1/st-01/press, model: "dtmi:acme:Press;1" }
            relationships:
              - { name: feeds, to: line-1/buf-01, properties: { transport: conveyor } }
          - { id: line-1/buf-01, model: Buffer, properties: { capacity: 8 } }
relationships:
  - { from: acme, name: owns, to: line-1/st-01/press, id: press-1 }
`;

/** Runs parsePlant expecting failure; returns the issues. */
function issuesOf(text: string, file = 'plant.yaml'): readonly Issue[] {
  try {
    parsePlant(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    expect(e.code).toBe('IMV_IMPORT_INVALID');
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(issue.file).toBe(file);
      expect(issue.message).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: `));
    }
    return e.issues;
  }
  throw new Error('parsePlant accepted an invalid plant');
}

/** A minimal valid file with `twins` (and optionally more top-level text) spliced in. */
const plant = (twins: string, more = ''): string =>
  `imverse: plant/v1\nprefix: 88.100.1\ntwins:\n${twins}\n${more}`;

describe('parsePlant: a good file', () => {
  it('returns normalised twins, nested and listed relationships, and inline models', () => {
    const result = parsePlant(GOOD, 'good.yaml');
    expect(result.prefix).toBe('acme.demo');
    expect(result.models).toEqual([
      {
        source: 'good.yaml#/models/0',
        content: {
          '@context': 'dtmi:dtdl:context;3',
          '@id': 'dtmi:acme:Press;1',
          '@type': 'Interface',
          extends: 'dtmi:imverse:Machine;1',
        },
      },
    ]);
    expect(result.twins).toEqual([
      { id: 'ACME.DEMO/acme', model: 'dtmi:imverse:Enterprise;1', properties: { name: 'ACME' } },
      { id: 'ACME.DEMO/line-1', model: 'dtmi:imverse:Line;1', properties: {} },
      {
        id: 'ACME.DEMO/line-1/st-01',
        model: 'dtmi:imverse:Station;1',
        properties: { layout: { x: 1, y: 2, z: 0, rotation: 0, width: 4, depth: 3, height: 2 } },
      },
      { id: 'ACME.DEMO/line-1/st-01/press', model: 'dtmi:acme:Press;1', properties: {} },
      { id: 'ACME.DEMO/line-1/buf-01', model: 'dtmi:imverse:Buffer;1', properties: { capacity: 8 } },
    ]);
    const rel = (id: string, source: string, name: string, target: string, properties = {}) => ({
      id,
      source: `ACME.DEMO/${source}`,
      name,
      target: `ACME.DEMO/${target}`,
      properties,
    });
    expect(result.relationships).toEqual([
      rel('contains:line-1', 'acme', 'contains', 'line-1'),
      rel('contains:line-1.st-01', 'line-1', 'contains', 'line-1/st-01'),
      rel('feeds:line-1.buf-01', 'line-1/st-01', 'feeds', 'line-1/buf-01', { transport: 'conveyor' }),
      rel('hosts:line-1.st-01.press', 'line-1/st-01', 'hosts', 'line-1/st-01/press'),
      rel('contains:line-1.buf-01', 'line-1', 'contains', 'line-1/buf-01'),
      rel('press-1', 'acme', 'owns', 'line-1/st-01/press'),
    ]);
  });

  it('reads JSON, which is YAML too', () => {
    const json = JSON.stringify({
      imverse: 'plant/v1',
      prefix: '88.100.1',
      twins: [
        { id: 'a', model: 'Site' },
        { id: 'b', model: 'Factory' },
      ],
      relationships: [{ from: 'a', name: 'contains', to: 'b' }],
    });
    const result = parsePlant(json, 'plant.json');
    expect(result.twins.map((t) => t.id)).toEqual(['88.100.1/a', '88.100.1/b']);
    expect(result.relationships).toHaveLength(1);
  });

  it('accepts empty lists and aliases for repeated values', () => {
    const result = parsePlant(
      plant(
        `  - { id: a, model: Buffer, properties: { layout: &box { x: 0, y: 0, z: 0, rotation: 0, width: 1, depth: 1, height: 1 } } }
  - { id: b, model: Buffer, properties: { layout: *box }, contains: [] }`,
        'relationships:\nmodels:',
      ),
      'p.yaml',
    );
    expect(result.twins[1]!.properties).toEqual(result.twins[0]!.properties);
    expect(result.relationships).toEqual([]);
  });

  it('gives relationships deterministic ids, hashing when the readable id cannot be used', () => {
    expect(defaultRelationshipId('feeds', 'line-1/buf-01')).toBe('feeds:line-1.buf-01');
    expect(defaultRelationshipId('feeds', 'hall-ä')).toMatch(/^feeds:~[0-9a-f]{16}$/);
    expect(defaultRelationshipId('feeds', 'hall-ä')).toBe(defaultRelationshipId('feeds', 'hall-ä'));
    // "a/b" and "a.b" both read as "a.b": the second gets a hashed id instead of clashing.
    const result = parsePlant(
      plant(
        '  - { id: s, model: Station }\n  - { id: a/b, model: Buffer }\n  - { id: a.b, model: Buffer }',
        'relationships:\n  - { from: s, name: feeds, to: a/b }\n  - { from: s, name: feeds, to: a.b }',
      ),
      'p.yaml',
    );
    const ids = result.relationships.map((r) => r.id);
    expect(ids[0]).toBe('feeds:a.b');
    expect(ids[1]).toMatch(/^feeds:~[0-9a-f]{16}$/);
  });
});

describe('parsePlant: errors name the entry and its line', () => {
  it('reports a YAML syntax error with its line and column', () => {
    const issues = issuesOf('imverse: plant/v1\nprefix: 88.100.1\ntwins: [\n  { id: a, model: Site\n');
    expect(issues[0]!.rule).toBe('yaml');
    expect(issues[0]!.message).toMatch(/^plant\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('reports duplicate keys as YAML errors', () => {
    const issues = issuesOf('imverse: plant/v1\nprefix: 88.100.1\nprefix: 88.100.2\ntwins: []\n');
    expect(issues[0]!.message).toMatch(/^plant\.yaml:3:1: YAML syntax error: .*unique/i);
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- a\n- b\n')[0]!.message).toMatch(/plant\.yaml:1:1: a plant definition is a mapping/);
    expect(issuesOf('')[0]!.path).toBe('');
  });

  it('requires the format marker, the prefix and the twins list', () => {
    const issues = issuesOf('models: []\n');
    expect(issues.map((i) => i.path)).toEqual(['/imverse', '/prefix', '/twins']);
    expect(issuesOf('imverse: plant/v9\nprefix: 88.100.1\ntwins: []\n')[0]).toMatchObject({
      path: '/imverse',
      message: expect.stringMatching(/^plant\.yaml:1:10: unsupported format "plant\/v9"/),
    });
  });

  it('rejects unknown top-level keys and unknown twin keys', () => {
    const issues = issuesOf(plant('  - id: a\n    model: Site\n    propeties: { name: A }', 'twinz: []'));
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/twinz',
        rule: 'unknown-key',
        message: expect.stringMatching(/^plant\.yaml:7:1: unknown key "twinz"/),
      }),
      expect.objectContaining({
        path: '/twins/0/propeties',
        rule: 'unknown-key',
        message: expect.stringMatching(/^plant\.yaml:6:5: unknown key "propeties"/),
      }),
    ]);
  });

  it('rejects a malformed prefix', () => {
    const issues = issuesOf('imverse: plant/v1\nprefix: "88 100"\ntwins: []\n');
    expect(issues[0]).toMatchObject({
      path: '/prefix',
      rule: 'identifier',
      message: expect.stringMatching(/^plant\.yaml:2:9: /),
    });
  });

  it('rejects wrong types', () => {
    const issues = issuesOf(
      plant('  - id: 42\n    model: Site\n    properties: [a]\n  - just a string', 'relationships: {}'),
    );
    expect(issues.map((i) => i.path)).toEqual([
      '/twins/0/id',
      '/twins/0/properties',
      '/twins/1',
      '/relationships',
    ]);
    expect(issues[0]!.message).toMatch(/plant\.yaml:4:9: id must be a string; quote it: "42"/);
    expect(issuesOf('imverse: plant/v1\nprefix: 88.100.1\ntwins: a\n')[0]!.path).toBe('/twins');
  });

  it('requires id and model on every twin, nested ones included', () => {
    const issues = issuesOf(
      plant('  - id: a\n    model: Site\n    contains:\n      - model: Factory\n      - id: b'),
    );
    expect(issues.map((i) => i.path)).toEqual(['/twins/0/contains/0/id', '/twins/0/contains/1/model']);
    expect(issues[0]!.message).toMatch(/^plant\.yaml:7:9: twin has no id/);
  });

  it('rejects malformed identifiers and models', () => {
    const issues = issuesOf(
      plant(
        '  - { id: "line 1", model: Line }\n  - { id: 88.100.1/x, model: Line }\n  - { id: y, model: "dtmi:bad model" }',
      ),
    );
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      ['/twins/0/id', 'identifier'],
      ['/twins/1/id', 'identifier'],
      ['/twins/2/model', 'model-id'],
    ]);
    expect(issues[1]!.message).toMatch(/repeats the prefix/);
  });

  it('rejects duplicate twin ids, naming the first one', () => {
    const issues = issuesOf(
      plant('  - id: a\n    model: Line\n    contains:\n      - { id: a, model: Station }'),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/twins/0/contains/0/id',
        rule: 'unique-id',
        message: 'plant.yaml:7:15: twin id "a" is already used at 4:9 (/twins/0/id)',
      }),
    ]);
  });

  it('rejects relationships naming twins that are not in the file, suggesting the likely one', () => {
    const issues = issuesOf(
      plant(
        '  - { id: line-1/st-01, model: Station }\n  - { id: line-1/buf-01, model: Buffer }',
        'relationships:\n  - { from: line-1/st-01, name: feeds, to: line-1/buf-1 }\n  - { from: nowhere, name: feeds, to: line-1/st-01 }',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/relationships/0/to',
        rule: 'dangling',
        message: 'plant.yaml:7:44: no twin "line-1/buf-1" in this file; did you mean "line-1/buf-01"?',
      }),
      expect.objectContaining({ path: '/relationships/1/from', rule: 'dangling' }),
    ]);
  });

  it('rejects incomplete relationships, bad names and ids, and the same relationship twice', () => {
    const issues = issuesOf(
      plant(
        '  - { id: a, model: Station, relationships: [{ name: feeds }] }\n  - { id: b, model: Buffer }',
        [
          'relationships:',
          '  - { from: a, name: "feeds-to", to: b }',
          '  - { from: a, name: feeds, to: b, id: "x/y" }',
          '  - { from: a, name: feeds, to: b }',
          '  - { from: a, name: feeds, to: b }',
          '  - { from: a, to: b, colour: red }',
        ].join('\n'),
      ),
    );
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      ['/twins/0/relationships/0/to', undefined],
      ['/relationships/0/name', 'dtdl-name'],
      ['/relationships/1/id', 'relationship-id'],
      ['/relationships/4/colour', 'unknown-key'],
      ['/relationships/4/name', undefined],
      ['/relationships/3/to', 'unique-relationship'],
    ]);
  });

  it('rejects reserved property names and values that are not JSON', () => {
    const issues = issuesOf(
      plant(
        '  - { id: a, model: Site, properties: { $dtId: x } }\n  - { id: b, model: Site, properties: { load: .inf } }',
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['/twins/0/properties/$dtId', '/twins/1/properties/load']);
  });

  it('stops on aliases that loop or multiply', () => {
    expect(issuesOf(plant('  - &t { id: a, model: Line, contains: [*t] }'))[0]!.message).toMatch(/alias/);
    const laughs = ['a: &a [{ id: x, model: Site }, { id: x, model: Site }]'];
    for (let i = 1; i < 20; i++)
      laughs.push(`l${i}: &l${i} [*${i === 1 ? 'a' : `l${i - 1}`}, *${i === 1 ? 'a' : `l${i - 1}`}]`);
    const text = `imverse: plant/v1\nprefix: 88.100.1\nx:\n${laughs.map((l) => `  ${l}`).join('\n')}\ntwins: *l19\n`;
    const issues = issuesOf(text);
    expect(issues.length).toBeLessThanOrEqual(100);
  });

  it('rejects models that are not DTDL documents', () => {
    const issues = issuesOf(plant('  - { id: a, model: Site }', 'models: [dtmi:acme:X;1]'));
    expect(issues[0]).toMatchObject({
      path: '/models/0',
      message: expect.stringMatching(/^plant\.yaml:5:10: /),
    });
  });
});

describe('parsePlant: the simulation section', () => {
  const text = plant(
    '  - { id: line-1/st-01, model: Station }',
    'simulation:\n  stations:\n    line-1/st-01:\n      mtbf: 8h\n      mttr: { kind: lognormal, mean: 600, sd: 300 }\n  flow:\n    - { from: a, to: b }',
  );

  it('returns it untouched, for the simulation compiler to check', () => {
    const parsed = parsePlant(text, 'plant.yaml');
    expect(parsed.simulation?.value).toEqual({
      stations: { 'line-1/st-01': { mtbf: '8h', mttr: { kind: 'lognormal', mean: 600, sd: 300 } } },
      flow: [{ from: 'a', to: 'b' }],
    });
    expect(parsePlant(plant('  - { id: a, model: Site }'), 'plant.yaml').simulation).toBeUndefined();
  });

  it('locates a JSON Pointer inside it, escaped "/" included', () => {
    const { locate } = parsePlant(text, 'plant.yaml').simulation!;
    expect(locate('')).toEqual({ line: 6, col: 3 });
    expect(locate('/stations/line-1~1st-01/mtbf')).toEqual({ line: 8, col: 13 });
    expect(locate('/stations/line-1~1st-01/mttr/sd')).toEqual({ line: 9, col: 47 });
    expect(locate('/flow/0/to')).toEqual({ line: 11, col: 22 });
    expect(locate('/flow/1')).toBeUndefined();
    expect(locate('/stations/line-9')).toBeUndefined();
  });

  it('reports a value that is not JSON at the value, not at the section', () => {
    const issues = issuesOf(
      plant('  - { id: a, model: Site }', 'simulation:\n  warmup: 1h\n  stations:\n    a: { mtbf: .inf }'),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/simulation/stations/a/mtbf',
        message: expect.stringMatching(/^plant\.yaml:8:16: /),
      }),
    ]);
  });
});

describe('parsePlant: robustness', () => {
  const expectOnlyValidationError = (text: string): void => {
    try {
      parsePlant(text, 'fuzz.yaml');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      expect(error.code).toBe('IMV_IMPORT_INVALID');
    }
  };

  it('throws nothing but ValidationError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), expectOnlyValidationError), {
      seed: 20_250_801,
      numRuns: 500,
    });
  });

  it('throws nothing but ValidationError on arbitrary YAML shaped like a plant', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('Station', 'a/b', 'line-1', 'feeds', 'dtmi:x:Y;1'),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        tie('object'),
      ),
      object: fc.dictionary(
        fc.constantFrom(
          'id',
          'model',
          'properties',
          'contains',
          'hosts',
          'relationships',
          'from',
          'name',
          'to',
          'x',
          '$y',
        ),
        tie('value'),
        { maxKeys: 5 },
      ),
    }));
    const document = fc.record(
      {
        imverse: fc.constantFrom('plant/v1', 'plant/v2'),
        prefix: fc.constantFrom('88.100.1', 'bad prefix', ''),
        twins: fc.oneof(fc.array(value, { maxLength: 5 }), value),
        relationships: fc.array(value, { maxLength: 3 }),
        models: value,
      },
      { requiredKeys: ['imverse', 'twins'] },
    );
    fc.assert(
      fc.property(document, (doc) => expectOnlyValidationError(stringify(doc))),
      { seed: 20_250_802, numRuns: 500 },
    );
  });

  it('survives deep nesting', () => {
    expectOnlyValidationError(
      `imverse: plant/v1\nprefix: 88.100.1\ntwins: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    );
    let twins = '{ id: leaf, model: Station }';
    for (let i = 0; i < 100; i++) twins = `{ id: n${i}, model: Line, contains: [${twins}] }`;
    const issues = issuesOf(`imverse: plant/v1\nprefix: 88.100.1\ntwins: [${twins}]\n`);
    expect(issues[0]!.message).toMatch(/nested deeper than 64/);
  });
});

describe('the demo plant (examples/demo-plant.yaml)', () => {
  const file = new URL('../../examples/demo-plant.yaml', import.meta.url);
  const demo: PlantDefinition = parsePlant(readFileSync(file, 'utf8'), 'demo-plant.yaml');
  const modelOf = new Map(demo.twins.map((t) => [t.id, t.model]));
  const short = (id: string): string => /^dtmi:imverse:(\w+);1$/.exec(modelOf.get(id)!)![1]!;
  const ofModel = (name: string) => demo.twins.filter((t) => short(t.id) === name);
  const out = (source: string, name: string) =>
    demo.relationships.filter((r) => r.source === source && r.name === name).map((r) => r.target);

  it('has one enterprise, site and factory, two workshops, four lines and about forty stations', () => {
    expect(ofModel('Enterprise')).toHaveLength(1);
    expect(ofModel('Site')).toHaveLength(1);
    expect(ofModel('Factory')).toHaveLength(1);
    expect(ofModel('Workshop')).toHaveLength(2);
    expect(ofModel('Line')).toHaveLength(4);
    expect(ofModel('Station').length).toBeGreaterThanOrEqual(36);
    expect(ofModel('AGV').length).toBeGreaterThanOrEqual(3);
    const people = ['Operator', 'Engineer', 'Manager'].flatMap(ofModel);
    expect(people.length).toBeGreaterThanOrEqual(10);
    for (const workshop of ofModel('Workshop')) expect(out(workshop.id, 'contains')).toHaveLength(2);
  });

  it('puts temperature, vibration and power sensors on every machine', () => {
    for (const machine of ofModel('Machine')) {
      const types = out(machine.id, 'hosts').map(
        (id) => demo.twins.find((t) => t.id === id)!.properties.sensorType,
      );
      expect(types.sort(), machine.id).toEqual(['power', 'temperature', 'vibration']);
    }
  });

  it('links every line into one feeds chain, and goods-in through both workshops to shipping', () => {
    const reach = (from: string): Set<string> => {
      const seen = new Set([from]);
      for (const id of seen) for (const next of out(id, 'feeds')) seen.add(next);
      return seen;
    };
    for (const line of ofModel('Line')) {
      const nodes = out(line.id, 'contains');
      const fed = new Set(
        demo.relationships
          .filter((r) => r.name === 'feeds' && nodes.includes(r.target) && nodes.includes(r.source))
          .map((r) => r.target),
      );
      const heads = nodes.filter((n) => !fed.has(n));
      expect(heads, line.id).toHaveLength(1);
      const reached = reach(heads[0]!);
      for (const node of nodes) expect(reached.has(node), `${line.id}: ${node}`).toBe(true);
    }
    const prefix = demo.prefix.toUpperCase();
    expect(reach(`${prefix}/goods-in/rack-01`).has(`${prefix}/shipping/dock-01`)).toBe(true);
    expect(reach(`${prefix}/goods-in/rack-02`).has(`${prefix}/shipping/dock-02`)).toBe(true);
  });

  it('has a coherent floor plan: nothing on the floor overlaps, hosted equipment stands in its station', () => {
    interface Box {
      x: number;
      y: number;
      z: number;
      rotation: number;
      width: number;
      depth: number;
      height: number;
    }
    const layoutOf = new Map(
      demo.twins.filter((t) => t.properties.layout).map((t) => [t.id, t.properties.layout as Box]),
    );
    const rect = (b: Box) => {
      const turned = Math.abs(b.rotation % 180) === 90;
      const w = turned ? b.depth : b.width;
      const d = turned ? b.width : b.depth;
      return { x0: b.x - w / 2, x1: b.x + w / 2, y0: b.y - d / 2, y1: b.y + d / 2 };
    };
    const overlaps = (a: Box, b: Box): boolean => {
      const [p, q] = [rect(a), rect(b)];
      return p.x0 < q.x1 - 1e-9 && q.x0 < p.x1 - 1e-9 && p.y0 < q.y1 - 1e-9 && q.y0 < p.y1 - 1e-9;
    };
    const inside = (inner: Box, outer: Box): boolean => {
      const [p, q] = [rect(inner), rect(outer)];
      return p.x0 >= q.x0 - 1e-9 && p.x1 <= q.x1 + 1e-9 && p.y0 >= q.y0 - 1e-9 && p.y1 <= q.y1 + 1e-9;
    };
    const hosted = new Set(demo.relationships.filter((r) => r.name === 'hosts').map((r) => r.target));
    const floor = ['Station', 'Buffer', 'Conveyor', 'AGV', 'Material']
      .flatMap(ofModel)
      .filter((t) => !hosted.has(t.id))
      .map((t) => t.id);
    for (let i = 0; i < floor.length; i++) {
      for (let j = i + 1; j < floor.length; j++) {
        expect(
          overlaps(layoutOf.get(floor[i]!)!, layoutOf.get(floor[j]!)!),
          `${floor[i]} overlaps ${floor[j]}`,
        ).toBe(false);
      }
    }
    for (const id of floor) {
      const [zone] = out(id, 'locatedIn');
      expect(zone, id).toBeDefined();
      expect(inside(layoutOf.get(id)!, layoutOf.get(zone!)!), `${id} outside ${zone}`).toBe(true);
    }
    const zones = ofModel('Zone').map((z) => z.id);
    const [building] = ofModel('Building');
    for (const [i, zone] of zones.entries()) {
      expect(inside(layoutOf.get(zone)!, layoutOf.get(building!.id)!), zone).toBe(true);
      for (const other of zones.slice(i + 1))
        expect(overlaps(layoutOf.get(zone)!, layoutOf.get(other)!), `${zone} ${other}`).toBe(false);
    }
    for (const station of ofModel('Station')) {
      for (const equipment of out(station.id, 'hosts')) {
        expect(
          inside(layoutOf.get(equipment)!, layoutOf.get(station.id)!),
          `${equipment} outside ${station.id}`,
        ).toBe(true);
      }
    }
  });

  it('conforms to the built-in ontology: properties, relationship names, targets and properties', () => {
    const registry = new ModelRegistry();
    registry.add(loadOntology());
    const problems: string[] = [];
    for (const twin of demo.twins) {
      for (const issue of validateTwinContent(registry, twin.model, twin.properties, { partial: true })) {
        problems.push(`${twin.id}${issue.path}: ${issue.message}`);
      }
    }
    for (const rel of demo.relationships) {
      const declared = registry.get(modelOf.get(rel.source)!)!.relationships.get(rel.name);
      if (declared === undefined) {
        problems.push(`${rel.source}: its model has no relationship ${rel.name}`);
        continue;
      }
      if (declared.target !== undefined && !registry.isOfModel(modelOf.get(rel.target)!, declared.target)) {
        problems.push(`${rel.source} ${rel.name} ${rel.target}: target is not a ${declared.target}`);
      }
      for (const issue of validateRelationshipProperties(declared, rel.properties)) {
        problems.push(`${rel.source} ${rel.name}${issue.path}: ${issue.message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('a plant file saved with a byte-order mark', () => {
  it('parses as the same file without it (studies, imports and applies all read it)', () => {
    const text = 'imverse: plant/v1\nprefix: 88.100.9\ntwins:\n  - { id: a, model: Line }\n';
    expect(parsePlant(`\uFEFF${text}`, 'bom.yaml')).toEqual(parsePlant(text, 'bom.yaml'));
  });
});

describe('docs/plant-format.md', () => {
  const doc = readFileSync(new URL('../../docs/plant-format.md', import.meta.url), 'utf8');
  const blocks = (lang: string) =>
    [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

  it('has examples that parse', () => {
    const examples = blocks('yaml').filter((b) => b.startsWith('imverse:'));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples)
      expect(parsePlant(example, 'example.yaml').twins.length).toBeGreaterThan(0);
  });

  it('lists every top-level key in its table', () => {
    const table = doc.slice(doc.indexOf('## The top level'), doc.indexOf('## Twin entries'));
    for (const key of TOP_KEYS) expect(table, key).toMatch(new RegExp(`^\\| \`${key}\` +\\|`, 'm'));
  });

  it('shows the issue the demo plant really gives for a misspelt target', () => {
    const demo = readFileSync(new URL('../../examples/demo-plant.yaml', import.meta.url), 'utf8');
    const broken = demo.replace('to: line-1/buf-01,', 'to: line-1/buf-1,');
    expect(issuesOf(broken, 'demo-plant.yaml')).toEqual([JSON.parse(blocks('json')[0]!)]);
  });
});
