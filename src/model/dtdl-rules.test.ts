// One test per rule the validator enforces: the document is rejected, naming file, JSON Pointer and rule.
import { describe, expect, it } from 'vitest';
import type { Issue } from '../core/errors.js';
import { ModelRegistry } from './registry.js';

type Json = Record<string, unknown>;
const v3 = (extra: Json = {}, contents: unknown[] = []): Json => ({
  '@context': 'dtmi:dtdl:context;3',
  '@id': 'dtmi:test:M;1',
  '@type': 'Interface',
  contents,
  ...extra,
});
const v2 = (extra: Json = {}, contents: unknown[] = []): Json => ({
  ...v3(extra, contents),
  '@context': 'dtmi:dtdl:context;2',
});
const prop = (schema: unknown, extra: Json = {}): Json => ({
  '@type': 'Property',
  name: 'p',
  schema,
  ...extra,
});

function issues(...docs: unknown[]): Issue[] {
  return new ModelRegistry().validate(docs.map((content, i) => ({ source: `doc${i}.json`, content })));
}
function expectRule(found: Issue[], rule: string, path?: string): void {
  const hit = found.find((i) => i.rule === rule && (path === undefined || i.path === path));
  expect(
    hit,
    `expected rule ${rule}${path ? ` at ${path}` : ''}; got ${JSON.stringify(found)}`,
  ).toBeDefined();
  expect(hit?.file).toMatch(/^doc\d+\.json$/);
}

describe('document and context', () => {
  it('accepts a minimal v3 and v2 interface', () => {
    expect(issues(v3())).toEqual([]);
    expect(issues(v2())).toEqual([]);
  });
  it('document-root: not an object or array', () => expectRule(issues(42), 'document-root', ''));
  it('context-required: top-level without @context', () => {
    const { '@context': _c, ...doc } = v3();
    expectRule(issues(doc), 'context-required', '');
  });
  it('context-dtdl-version: unsupported DTDL version', () =>
    expectRule(issues(v3({ '@context': 'dtmi:dtdl:context;1' })), 'context-dtdl-version', '/@context'));
  it('context-dtdl-first: extension before the DTDL context', () =>
    expectRule(
      issues(v3({ '@context': ['dtmi:dtdl:extension:quantitativeTypes;1', 'dtmi:dtdl:context;3'] })),
      'context-dtdl-first',
      '/@context/1',
    ));
  it('context-extension-unknown: rejected by default, accepted with allowUndefinedExtensions', () => {
    const doc = v3({ '@context': ['dtmi:dtdl:context;3', 'dtmi:example:flavors;1'] }, [
      { '@type': ['Property', 'Flavor'], name: 'f', schema: 'string', sweetness: 3 },
    ]);
    expectRule(issues(doc), 'context-extension-unknown', '/@context/1');
    expect(new ModelRegistry({ allowUndefinedExtensions: true }).validate([{ content: doc }])).toEqual([]);
  });
  it('context-dtmi: a context value without version', () =>
    expectRule(
      issues(v3({ '@context': ['dtmi:dtdl:context;3', 'dtmi:ex:foo'] })),
      'context-dtmi',
      '/@context/1',
    ));
  it('accepts an empty @context array on a nested element (it adds nothing)', () => {
    const gauge = { '@context': [], '@type': 'Object', fields: [{ name: 'level', schema: 'double' }] };
    expect(issues(v2({}, [prop(gauge)]))).toEqual([]);
    expect(issues(v3({}, [{ '@context': [], '@type': 'Command', name: 'reset' }]))).toEqual([]);
    expectRule(issues(v3({ '@context': [] })), 'context-dtdl-missing', '/@context');
  });
  it('accepts the IoT Central context before the DTDL v2 context (discouraged, but allowed)', () => {
    expect(issues(v2({ '@context': ['dtmi:iotcentral:context;2', 'dtmi:dtdl:context;2'] }))).toEqual([]);
  });
  it('context-version-nesting: a v3 element inside a v2 one', () =>
    expectRule(
      issues(
        v2({}, [
          prop({
            '@context': 'dtmi:dtdl:context;3',
            '@type': 'Enum',
            valueSchema: 'string',
            enumValues: [{ name: 'on', enumValue: 'on' }],
          }),
        ]),
      ),
      'context-version-nesting',
      '/contents/0/schema/@context',
    ));
  it('accepts a v2 element inside a v3 one', () =>
    expect(
      issues(
        v3({}, [
          prop({
            '@context': 'dtmi:dtdl:context;2',
            '@type': 'Enum',
            valueSchema: 'string',
            enumValues: [{ name: 'on', enumValue: 'on' }],
          }),
        ]),
      ),
    ).toEqual([]));
  it('top-level must be an Interface', () =>
    expectRule(
      issues({ '@context': 'dtmi:dtdl:context;3', '@type': 'Property', name: 'x' }),
      'type-class',
      '/@type',
    ));
});

describe('identifiers and names', () => {
  it('id-required', () => {
    const { '@id': _i, ...doc } = v3();
    expectRule(issues(doc), 'id-required', '');
  });
  it('id-dtmi: interface id longer than 128', () =>
    expectRule(issues(v3({ '@id': `dtmi:${'a'.repeat(130)};1` })), 'id-dtmi', '/@id'));
  it('id-dtmi: v2 interface id with a two-part version', () =>
    expectRule(issues(v2({ '@id': 'dtmi:test:M;1.1' })), 'id-dtmi', '/@id'));
  it('accepts a v3 interface id without version or with a minor version', () => {
    expect(issues(v3({ '@id': 'dtmi:test:M' }))).toEqual([]);
    expect(issues(v3({ '@id': 'dtmi:test:M;2.1' }))).toEqual([]);
  });
  it('id-dtmi: reserved prefix', () => expectRule(issues(v3({ '@id': 'dtmi:dtdl:M;1' })), 'id-dtmi', '/@id'));
  it('id-duplicate: the same @id twice in a batch', () =>
    expectRule(issues(v3(), v3()), 'id-duplicate', '/@id'));
  it('name-pattern', () =>
    expectRule(
      issues(v3({}, [{ '@type': 'Property', name: 'bad_', schema: 'string' }])),
      'name-pattern',
      '/contents/0/name',
    ));
  it('value-length: name over the v2 limit of 64 (but fine in v3)', () => {
    const c = [{ '@type': 'Property', name: `a${'b'.repeat(64)}`, schema: 'string' }];
    expectRule(issues(v2({}, c)), 'value-length', '/contents/0/name');
    expect(issues(v3({}, c))).toEqual([]);
  });
  it('name-unique: two contents with one name', () =>
    expectRule(
      issues(v3({}, [prop('string'), { '@type': 'Telemetry', name: 'p', schema: 'double' }])),
      'name-unique',
      '/contents/1',
    ));
  it('value-length: displayName over 64 in v2, description over 512', () => {
    expectRule(issues(v2({ displayName: 'x'.repeat(65) })), 'value-length', '/displayName');
    expectRule(issues(v3({ description: { en: 'x'.repeat(513) } })), 'value-length', '/description/en');
    expectRule(issues(v3({ comment: 'x'.repeat(513) })), 'value-length', '/comment');
  });
  it('localizable-language: a language map with a bad tag', () =>
    expectRule(
      issues(v3({ displayName: { english: 'x' } })),
      'localizable-language',
      '/displayName/english',
    ));
  it('accepts the array form of a localizable string', () =>
    expect(issues(v3({ displayName: ['Room', { '@value': 'Salle', '@language': 'fr' }] }))).toEqual([]));
});

describe('members and types', () => {
  it('member-undefined: an unknown member', () =>
    expectRule(
      issues(v3({}, [prop('string', { colour: 'red' })])),
      'member-undefined',
      '/contents/0/colour',
    ));
  it('v2 allows undefined co-types and then undefined members', () =>
    expect(issues(v2({}, [prop('string', { '@type': ['Property', 'Commercial'], brand: 'x' })]))).toEqual(
      [],
    ));
  it('type-cotype-reserved: a v2 co-type that is a DTDL term (schema name) is not informal', () =>
    expectRule(
      issues(v2({}, [prop('string', { '@type': ['Property', 'integer'] })])),
      'type-cotype-reserved',
      '/contents/0/@type',
    ));
  it('an informally co-typed v2 element may carry any member, DTDL terms and DTMIs included', () => {
    // The spec's Allowance cases: the undefined co-type may define these members.
    const commercial = { '@type': ['Property', 'Commercial'] };
    const extra = {
      target: 'dtmi:test:Other;1',
      boolean: null,
      'dtmi:test:brand;1': 'x',
      'dtmi:bad//name': 1,
    };
    expect(issues(v2({}, [prop('string', { ...commercial, ...extra })]))).toEqual([]);
  });
  it('member-invalid-dtmi, member-undefined: a v3 element informal through an extension needs terms or DTMIs', () => {
    const registry = new ModelRegistry({ allowUndefinedExtensions: true });
    const doc = (member: string): unknown =>
      v3({ '@context': ['dtmi:dtdl:context;3', 'dtmi:example:flavors;1'] }, [
        prop('string', { '@type': ['Property', 'Flavor'], [member]: 1 }),
      ]);
    expect(registry.validate([{ content: doc('sweetness') }])).toEqual([]);
    expect(registry.validate([{ content: doc('dtmi:example:sweetness;1') }])).toEqual([]);
    expectRule(
      registry.validate([{ source: 'doc0.json', content: doc('dtmi:bad//name') }]),
      'member-invalid-dtmi',
      '/contents/0/dtmi:bad~1~1name',
    );
    expectRule(
      registry.validate([{ source: 'doc0.json', content: doc('http://example.com/sweetness') }]),
      'member-undefined',
    );
  });
  it('type-undefined: v3 undefined co-type without extension', () =>
    expectRule(issues(v3({ '@type': ['Interface', 'Foobar'] })), 'type-undefined', '/@type'));
  it('type-undefined: v3 semantic type without the QuantitativeTypes context', () =>
    expectRule(
      issues(v3({}, [prop('double', { '@type': ['Property', 'Temperature'], unit: 'degreeCelsius' })])),
      'type-undefined',
      '/contents/0/@type',
    ));
  it('type-cotype-reserved: a Property co-typed Telemetry', () =>
    expectRule(
      issues(v3({}, [prop('double', { '@type': ['Property', 'Telemetry'] })])),
      'type-cotype-reserved',
    ));
  it('member-term-and-dtmi: a member given twice', () =>
    expectRule(
      issues(v3({}, [prop('string', { 'dtmi:dtdl:property:schema;3': 'string' })])),
      'member-term-and-dtmi',
      '/contents/0/dtmi:dtdl:property:schema;3',
    ));
  it('member-keyword: @-keywords other than @context/@id/@type in v3', () =>
    expectRule(issues(v3({ '@graph': [] })), 'member-keyword', '/@graph'));
  it('content-class: a content without a content @type', () =>
    expectRule(issues(v3({}, [{ '@type': 'Object', name: 'x' }])), 'content-class', '/contents/0/@type'));
  it('value-boolean: writable must be boolean', () =>
    expectRule(
      issues(v3({}, [prop('string', { writable: 'yes' })])),
      'value-boolean',
      '/contents/0/writable',
    ));
  it('member-required: Property without schema', () =>
    expectRule(issues(v3({}, [{ '@type': 'Property', name: 'p' }])), 'member-required', '/contents/0'));
});

describe('semantic types and units', () => {
  const qt = { '@context': ['dtmi:dtdl:context;3', 'dtmi:dtdl:extension:quantitativeTypes;1'] };
  it('accepts v3 semantic types with the extension, v2 without', () => {
    expect(
      issues(v3(qt, [prop('double', { '@type': ['Property', 'Temperature'], unit: 'kelvin' })])),
    ).toEqual([]);
    expect(
      issues(v2({}, [prop('double', { '@type': ['Property', 'Temperature'], unit: 'kelvin' })])),
    ).toEqual([]);
  });
  it('semantic-type-unit: a unit of another quantity', () =>
    expectRule(
      issues(v2({}, [prop('double', { '@type': ['Property', 'Temperature'], unit: 'metre' })])),
      'semantic-type-unit',
      '/contents/0/unit',
    ));
  it('semantic-type-unit-required', () =>
    expectRule(
      issues(v2({}, [prop('double', { '@type': ['Property', 'Temperature'] })])),
      'semantic-type-unit-required',
      '/contents/0',
    ));
  it('semantic-type-numeric', () =>
    expectRule(
      issues(v2({}, [prop('string', { '@type': ['Property', 'Temperature'], unit: 'kelvin' })])),
      'semantic-type-numeric',
      '/contents/0/schema',
    ));
  it('accepts the same semantic type named twice (term and DTMI)', () =>
    expect(
      issues(
        v2({}, [
          prop('double', {
            '@type': ['Telemetry', 'Pressure', 'dtmi:standard:class:Pressure;2'],
            unit: 'pascal',
          }),
        ]),
      ),
    ).toEqual([]));
  it('semantic-type-multiple', () =>
    expectRule(
      issues(v2({}, [prop('double', { '@type': ['Property', 'Temperature', 'Pressure'], unit: 'kelvin' })])),
      'semantic-type-multiple',
    ));
  it('unit-without-semantic-type', () =>
    expectRule(
      issues(v3({}, [prop('double', { unit: 'kelvin' })])),
      'unit-without-semantic-type',
      '/contents/0/unit',
    ));
});

describe('schemas', () => {
  it('schema-unknown', () =>
    expectRule(issues(v3({}, [prop('text')])), 'schema-unknown', '/contents/0/schema'));
  it('schema-v4-only: byte, uuid and scaledDecimal are DTDL v4', () => {
    for (const s of ['byte', 'uuid', 'scaledDecimal', 'unsignedLong'])
      expectRule(issues(v3({}, [prop(s)])), 'schema-v4-only', '/contents/0/schema');
  });
  it('accepts the DTMI forms of primitive and geospatial schemas', () =>
    expect(
      issues(
        v3({}, [
          prop('dtmi:dtdl:instance:Schema:double;3'),
          { '@type': 'Telemetry', name: 't', schema: 'dtmi:standard:schema:geospatial:point;3' },
        ]),
      ),
    ).toEqual([]));
  it('property-schema-array: v2 Properties may not hold arrays (v3 may)', () => {
    const arr = { '@type': 'Array', elementSchema: 'double' };
    expectRule(issues(v2({}, [prop(arr)])), 'property-schema-array', '/contents/0/schema');
    expectRule(issues(v2({}, [prop('point')])), 'property-schema-array', '/contents/0/schema');
    expect(issues(v3({}, [prop(arr)]))).toEqual([]);
    expect(issues(v2({}, [{ '@type': 'Telemetry', name: 't', schema: arr }]))).toEqual([]);
  });
  it('schema-depth: more than 5 schema/elementSchema levels below a complex schema', () => {
    // Five nested Arrays of double have five elementSchema members, the last naming "double".
    const nest = (n: number): unknown =>
      n === 0 ? 'double' : { '@type': 'Array', elementSchema: nest(n - 1) };
    expect(issues(v3({}, [prop(nest(5))]))).toEqual([]);
    expectRule(issues(v3({}, [prop(nest(6))])), 'schema-depth', '/contents/0/schema');
  });
  it('schema-ref-unresolved: a schema id not defined in this interface', () =>
    expectRule(issues(v3({}, [prop('dtmi:test:Other;1')])), 'schema-ref-unresolved', '/contents/0/schema'));
  it('id-required: a complex schema in "schemas" needs an @id', () =>
    expectRule(issues(v3({ schemas: [{ '@type': 'Object', fields: [] }] })), 'id-required', '/schemas/0'));
  it('object-fields-min: v2 Objects need a field; v3 Objects may be empty', () => {
    expectRule(issues(v2({}, [prop({ '@type': 'Object', fields: [] })])), 'object-fields-min');
    expect(issues(v3({}, [prop({ '@type': 'Object', fields: [] })]))).toEqual([]);
  });
  it('field-name-unique', () =>
    expectRule(
      issues(
        v3({}, [
          prop({
            '@type': 'Object',
            fields: [
              { name: 'a', schema: 'double' },
              { name: 'a', schema: 'double' },
            ],
          }),
        ]),
      ),
      'field-name-unique',
      '/contents/0/schema/fields/1',
    ));
  it('enum-value-schema and enum-value-type', () => {
    expectRule(
      issues(v3({}, [prop({ '@type': 'Enum', valueSchema: 'double', enumValues: [] })])),
      'enum-value-schema',
      '/contents/0/schema/valueSchema',
    );
    expectRule(
      issues(
        v3({}, [
          prop({ '@type': 'Enum', valueSchema: 'integer', enumValues: [{ name: 'a', enumValue: 'x' }] }),
        ]),
      ),
      'enum-value-type',
      '/contents/0/schema/enumValues/0/enumValue',
    );
  });
  it('enum-value-unique and enum-values-min (v2)', () => {
    expectRule(
      issues(
        v3({}, [
          prop({
            '@type': 'Enum',
            valueSchema: 'integer',
            enumValues: [
              { name: 'a', enumValue: 1 },
              { name: 'b', enumValue: 1 },
            ],
          }),
        ]),
      ),
      'enum-value-unique',
    );
    expectRule(
      issues(v2({}, [prop({ '@type': 'Enum', valueSchema: 'integer', enumValues: [] })])),
      'enum-values-min',
    );
  });
  it('mapkey-string', () =>
    expectRule(
      issues(
        v3({}, [
          prop({
            '@type': 'Map',
            mapKey: { name: 'k', schema: 'integer' },
            mapValue: { name: 'v', schema: 'double' },
          }),
        ]),
      ),
      'mapkey-string',
      '/contents/0/schema/mapKey/schema',
    ));
});

describe('relationships, commands, components', () => {
  const rel = (extra: Json): Json => ({ '@type': 'Relationship', name: 'r', ...extra });
  it('relationship-min-multiplicity: must be 0', () =>
    expectRule(
      issues(v3({}, [rel({ minMultiplicity: 1 })])),
      'relationship-min-multiplicity',
      '/contents/0/minMultiplicity',
    ));
  it('relationship-max-multiplicity: v2 at most 500, v3 unbounded', () => {
    expectRule(
      issues(v2({}, [rel({ maxMultiplicity: 501 })])),
      'relationship-max-multiplicity',
      '/contents/0/maxMultiplicity',
    );
    expect(issues(v3({}, [rel({ maxMultiplicity: 501 })]))).toEqual([]);
    expectRule(issues(v3({}, [rel({ maxMultiplicity: 0 })])), 'relationship-max-multiplicity');
  });
  it('relationship-target: must be a DTMI', () =>
    expectRule(issues(v3({}, [rel({ target: 'Room' })])), 'relationship-target', '/contents/0/target'));
  it('relationship-property-unique', () =>
    expectRule(
      issues(v3({}, [rel({ properties: [prop('string'), prop('double')] })])),
      'relationship-property-unique',
      '/contents/0/properties/1',
    ));
  it('command-type: v2 commandType is tolerated, other values are not', () => {
    expect(issues(v2({}, [{ '@type': 'Command', name: 'c', commandType: 'synchronous' }]))).toEqual([]);
    expectRule(
      issues(v2({}, [{ '@type': 'Command', name: 'c', commandType: 'sometimes' }])),
      'command-type',
      '/contents/0/commandType',
    );
  });
  it('type-class: v3 request typed CommandPayload', () =>
    expectRule(
      issues(
        v3({}, [
          {
            '@type': 'Command',
            name: 'c',
            request: { '@type': 'CommandPayload', name: 'x', schema: 'double' },
          },
        ]),
      ),
      'type-class',
      '/contents/0/request/@type',
    ));
  it('component-unresolved', () =>
    expectRule(
      issues(v3({}, [{ '@type': 'Component', name: 'c', schema: 'dtmi:test:Missing;1' }])),
      'component-unresolved',
      '/contents/0/schema',
    ));
  it('component-nested: a component whose interface has components', () => {
    const leaf = { '@context': 'dtmi:dtdl:context;3', '@id': 'dtmi:test:Leaf;1', '@type': 'Interface' };
    const mid = {
      ...leaf,
      '@id': 'dtmi:test:Mid;1',
      contents: [{ '@type': 'Component', name: 'leaf', schema: 'dtmi:test:Leaf;1' }],
    };
    expectRule(
      issues(leaf, mid, v3({}, [{ '@type': 'Component', name: 'mid', schema: 'dtmi:test:Mid;1' }])),
      'component-nested',
      '/contents/0/schema',
    );
  });
  it('accepts an inline component interface', () =>
    expect(
      issues(
        v3({}, [
          {
            '@type': 'Component',
            name: 'c',
            schema: { '@id': 'dtmi:test:Inline;1', '@type': 'Interface', contents: [prop('double')] },
          },
        ]),
      ),
    ).toEqual([]));
});

describe('extends', () => {
  const iface = (id: string, ext?: unknown, version = 3): Json => ({
    '@context': `dtmi:dtdl:context;${version}`,
    '@id': id,
    '@type': 'Interface',
    ...(ext === undefined ? {} : { extends: ext }),
  });
  it('extends-unresolved', () =>
    expectRule(issues(iface('dtmi:test:A;1', 'dtmi:test:Missing;1')), 'extends-unresolved', '/extends'));
  it('extends-cycle', () =>
    expectRule(
      issues(iface('dtmi:test:A;1', 'dtmi:test:B;1'), iface('dtmi:test:B;1', 'dtmi:test:A;1')),
      'extends-cycle',
    ));
  it('extends-max: v2 allows 2 direct bases', () => {
    const bases = ['dtmi:test:B1;1', 'dtmi:test:B2;1', 'dtmi:test:B3;1'];
    expectRule(
      issues(iface('dtmi:test:A;1', bases, 2), ...bases.map((b) => iface(b, undefined, 2))),
      'extends-max',
      '/extends',
    );
    expect(issues(iface('dtmi:test:A;1', bases), ...bases.map((b) => iface(b)))).toEqual([]);
  });
  it('extends-depth: at most 10 levels', () => {
    const chain = (n: number): Json[] =>
      Array.from({ length: n + 1 }, (_, i) =>
        iface(`dtmi:test:L${i};1`, i === 0 ? undefined : `dtmi:test:L${i - 1};1`),
      );
    expect(issues(...chain(10))).toEqual([]);
    expectRule(issues(...chain(11)), 'extends-depth', '/extends');
  });
  it('name-unique-inherited: a content redefined by a subtype', () => {
    const base = { ...iface('dtmi:test:B;1'), contents: [prop('string')] };
    expectRule(
      issues(base, { ...iface('dtmi:test:A;1', 'dtmi:test:B;1'), contents: [prop('double')] }),
      'name-unique-inherited',
      '/contents/0',
    );
  });
  it('accepts inline bases and a diamond', () => {
    const root = { ...iface('dtmi:test:R;1'), contents: [prop('string')] };
    expect(
      issues(
        root,
        iface('dtmi:test:L;1', 'dtmi:test:R;1'),
        iface('dtmi:test:Q;1', 'dtmi:test:R;1'),
        iface('dtmi:test:D;1', ['dtmi:test:L;1', 'dtmi:test:Q;1']),
      ),
    ).toEqual([]);
    expect(
      issues(
        iface('dtmi:test:A;1', [
          { '@id': 'dtmi:test:InlineBase;1', '@type': 'Interface', contents: [prop('string')] },
        ]),
      ),
    ).toEqual([]);
  });
  it('contents-max: v2 allows 300 contents including inherited ones', () => {
    const many = (n: number, p: string): Json[] =>
      Array.from({ length: n }, (_, i) => ({ '@type': 'Property', name: `${p}${i}`, schema: 'string' }));
    const base = { ...iface('dtmi:test:B;1', undefined, 2), contents: many(200, 'b') };
    expectRule(
      issues(base, { ...iface('dtmi:test:A;1', 'dtmi:test:B;1', 2), contents: many(101, 'a') }),
      'contents-max',
      '/contents',
    );
  });
});

describe('elements named by @id, JSON-LD values, extension schemas', () => {
  const cmd = (extra: Json): Json => ({ '@type': 'Command', name: 'c', ...extra });
  it('accepts an element written once with an @id and named by it elsewhere in the Interface', () => {
    const speed = { '@id': 'dtmi:test:speed;1', name: 'speed', schema: 'double' };
    const [m] = new ModelRegistry().add([
      {
        content: v3({}, [
          cmd({ request: speed }),
          { ...cmd({ request: ['dtmi:test:speed;1'] }), name: 'd' },
          prop({ '@type': 'Object', fields: 'dtmi:test:speed;1' }),
        ]),
      },
    ]);
    expect(m?.commands.get('d')?.request).toMatchObject({ name: 'speed' });
    expect(m?.properties.get('p')?.schema).toMatchObject({ kind: 'object', fields: [{ name: 'speed' }] });
  });
  it('element-ref-unresolved: a DTMI naming no element of the Interface', () =>
    expectRule(
      issues(v3({}, [cmd({ request: 'dtmi:test:nowhere;1' })])),
      'element-ref-unresolved',
      '/contents/0/request',
    ));
  it('type-class: an @id reference to an element of another class', () =>
    expectRule(
      issues(v3({}, [{ ...prop('double'), '@id': 'dtmi:test:p;1' }, cmd({ request: 'dtmi:test:p;1' })])),
      'type-class',
    ));
  it('accepts "request": [] (no request)', () => expect(issues(v2({}, [cmd({ request: [] })]))).toEqual([]));
  it('context-version-nesting: a v3 Field, MapKey or entry of "schemas" cannot switch to v2', () => {
    const v2ctx = { '@context': 'dtmi:dtdl:context;2' };
    expectRule(
      issues(v3({}, [prop({ '@type': 'Object', fields: [{ ...v2ctx, name: 'f', schema: 'double' }] })])),
      'context-version-nesting',
      '/contents/0/schema/fields/0/@context',
    );
    expectRule(
      issues(
        v3({ schemas: [{ ...v2ctx, '@id': 'dtmi:test:A;1', '@type': 'Array', elementSchema: 'double' }] }),
      ),
      'context-version-nesting',
      '/schemas/0/@context',
    );
  });
  it("value-length, localizable-type: a MapKey's descriptive members are checked", () => {
    const map = (mapKey: Json): unknown =>
      prop({
        '@type': 'Map',
        mapKey: { name: 'k', schema: 'string', ...mapKey },
        mapValue: { name: 'v', schema: 'double' },
      });
    expectRule(
      issues(v2({}, [map({ comment: 'x'.repeat(513) })])),
      'value-length',
      '/contents/0/schema/mapKey/comment',
    );
    expectRule(
      issues(v3({}, [map({ displayName: 42 })])),
      'localizable-type',
      '/contents/0/schema/mapKey/displayName',
    );
  });
  it('semantic-type-unit-required: "unit": [] is no unit', () =>
    expectRule(
      issues(v2({}, [prop('double', { '@type': ['Property', 'Temperature'], unit: [] })])),
      'semantic-type-unit-required',
      '/contents/0',
    ));
  it('value-identifier: a Relationship target is a DTMI string, not a value object', () =>
    expectRule(
      issues(v3({}, [{ '@type': 'Relationship', name: 'r', target: { '@value': 'dtmi:test:Other;1' } }])),
      'value-identifier',
      '/contents/0/target',
    ));
  it('accepts JSON-LD value objects and one-value arrays for literals', () => {
    const enumOf = (enumValue: unknown): unknown =>
      prop({ '@type': 'Enum', valueSchema: 'integer', enumValues: [{ name: 'one', enumValue }] });
    expect(issues(v3({}, [enumOf([1])]))).toEqual([]);
    expect(issues(v3({}, [enumOf({ '@value': 1, '@type': 'xsd:integer' })]))).toEqual([]);
    expect(issues(v3({ comment: { '@value': 'c', '@type': ['xsd:string'] } }))).toEqual([]);
    // v2 tolerates other keywords in a value object (discouraged); v3 does not.
    const writable = { '@value': true, '@type': 'xsd:boolean', '@language': 'en' };
    expect(issues(v2({}, [prop('double', { writable })]))).toEqual([]);
    expectRule(issues(v3({}, [prop('double', { writable })])), 'value-boolean', '/contents/0/writable');
  });
  it('value-integer: a value object with two types or an @id', () => {
    const rel = (maxMultiplicity: unknown): unknown => ({
      '@type': 'Relationship',
      name: 'r',
      maxMultiplicity,
    });
    expectRule(
      issues(
        v2({}, [rel({ '@value': 3, '@type': ['xsd:integer', 'http://www.w3.org/2001/XMLSchema#integer'] })]),
      ),
      'value-integer',
    );
    expectRule(issues(v2({}, [rel({ '@value': 3, '@id': 'dtmi:test:three;1' })])), 'value-integer');
  });
  it('accepts the IoT Central geopoint and vector schemas with its context, not without', () => {
    const iotc = { '@context': ['dtmi:dtdl:context;2', 'dtmi:iotcentral:context;2'] };
    const [m] = new ModelRegistry().add([
      {
        content: {
          ...v2({}, [
            prop('geopoint'),
            { '@type': 'Telemetry', name: 'accel', schema: 'dtmi:iotcentral:schema:vector;2' },
          ]),
          ...iotc,
        },
      },
    ]);
    expect(m?.properties.get('p')?.schema).toMatchObject({
      kind: 'object',
      fields: [{ name: 'lon' }, { name: 'lat' }, { name: 'alt' }],
    });
    expect(m?.telemetry.get('accel')?.schema).toMatchObject({
      kind: 'object',
      fields: [{ name: 'x' }, { name: 'y' }, { name: 'z' }],
    });
    expectRule(issues(v2({}, [prop('geopoint')])), 'schema-unknown', '/contents/0/schema');
  });
  it('accepts a QuantitativeTypes unit type as a schema (an Enum of its units) with the extension', () => {
    const qt = { '@context': ['dtmi:dtdl:context;3', 'dtmi:dtdl:extension:quantitativeTypes;1'] };
    const [m] = new ModelRegistry().add([{ content: v3(qt, [prop('TemperatureUnit', { writable: true })]) }]);
    const schema = m?.properties.get('p')?.schema;
    expect(schema?.kind === 'enum' && schema.values.map((v) => v.value)).toEqual([
      'degreeCelsius',
      'degreeFahrenheit',
      'kelvin',
    ]);
    expectRule(issues(v3({}, [prop('TemperatureUnit')])), 'schema-unknown', '/contents/0/schema');
  });
});
