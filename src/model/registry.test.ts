import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { ModelRegistry } from './registry.js';

const iface = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@context': 'dtmi:dtdl:context;3',
  '@id': id,
  '@type': 'Interface',
  ...extra,
});
const A = 'dtmi:test:Asset;1';
const P = 'dtmi:test:Pump;1';
const M = 'dtmi:test:Motor;1';

function plant(): ModelRegistry {
  const r = new ModelRegistry();
  r.add([
    {
      source: 'asset.json',
      content: iface(A, { contents: [{ '@type': 'Property', name: 'serial', schema: 'string' }] }),
    },
    {
      source: 'motor.json',
      content: iface(M, { contents: [{ '@type': 'Telemetry', name: 'rpm', schema: 'double' }] }),
    },
  ]);
  r.add([
    {
      source: 'pump.json',
      content: iface(P, { extends: A, contents: [{ '@type': 'Component', name: 'motor', schema: M }] }),
    },
  ]);
  return r;
}

describe('ModelRegistry', () => {
  it('registers a batch whose references point to registered models, with inherited contents', () => {
    const r = plant();
    const pump = r.get(P);
    expect(pump?.ancestors).toEqual([A]);
    expect(pump?.properties.get('serial')?.definedIn).toBe(A);
    expect(pump?.components.get('motor')?.schema).toBe(M);
    expect(
      r
        .list()
        .map((m) => m.id)
        .sort(),
    ).toEqual([A, M, P].sort());
    expect(r.has(P)).toBe(true);
  });

  it('answers IS_OF_MODEL questions', () => {
    const r = plant();
    expect(r.descendantsOf(A).sort()).toEqual([A, P].sort());
    expect(r.isOfModel(P, A)).toBe(true);
    expect(r.isOfModel(A, P)).toBe(false);
    expect(r.descendantsOf('dtmi:test:Nope;1')).toEqual([]);
  });

  it('is all-or-nothing and reports every issue with file, path and rule', () => {
    const r = new ModelRegistry();
    const bad = iface('dtmi:test:Bad;1', {
      contents: [
        { '@type': 'Property', name: '1x', schema: 'string' },
        { '@type': 'Telemetry', name: 't', schema: 'nope' },
      ],
    });
    let error: unknown;
    try {
      r.add([
        { source: 'ok.json', content: iface('dtmi:test:Ok;1') },
        { source: 'bad.json', content: bad },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.code).toBe('IMV_MODEL_INVALID');
    expect(v.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'bad.json', path: '/contents/0/name', rule: 'name-pattern' }),
        expect.objectContaining({ file: 'bad.json', path: '/contents/1/schema', rule: 'schema-unknown' }),
      ]),
    );
    expect(r.has('dtmi:test:Ok;1')).toBe(false);
  });

  it('rejects a model that already exists with IMV_MODEL_EXISTS, and validate() reports it', () => {
    const r = plant();
    expect(() => r.add([{ content: iface(A) }])).toThrow(ConflictError);
    expect(r.validate([{ content: iface(A) }])).toEqual([expect.objectContaining({ rule: 'model-exists' })]);
    expect(r.validate([{ content: iface('dtmi:test:Asset;2') }])).toEqual([]);
  });

  it('rejects an element @id already used by a registered model', () => {
    const r = new ModelRegistry();
    r.add([
      {
        content: iface('dtmi:test:X;1', {
          schemas: [{ '@id': 'dtmi:test:X:shape;1', '@type': 'Object', fields: [] }],
        }),
      },
    ]);
    expect(
      r.validate([
        {
          content: iface('dtmi:test:Y;1', {
            schemas: [{ '@id': 'dtmi:test:X:shape;1', '@type': 'Object', fields: [] }],
          }),
        },
      ]),
    ).toEqual([expect.objectContaining({ rule: 'id-duplicate', path: '/schemas/0/@id' })]);
  });

  it('validate() registers nothing', () => {
    const r = new ModelRegistry();
    expect(r.validate([{ content: iface(A) }])).toEqual([]);
    expect(r.has(A)).toBe(false);
  });

  it('remove: in use, not found, then removable', () => {
    const r = plant();
    expect(() => r.remove(A)).toThrow(expect.objectContaining({ code: 'IMV_MODEL_IN_USE' }));
    expect(() => r.remove(M)).toThrow(expect.objectContaining({ code: 'IMV_MODEL_IN_USE' }));
    expect(() => r.remove('dtmi:test:Nope;1')).toThrow(NotFoundError);
    r.remove(P);
    r.remove(A);
    expect(r.has(A)).toBe(false);
  });

  it('registers Interfaces defined inline and keeps the uploaded document', () => {
    const doc = iface('dtmi:test:Outer;1', {
      extends: [{ '@id': 'dtmi:test:InlineBase;1', '@type': 'Interface' }],
    });
    const added = new ModelRegistry().add([{ content: doc }]);
    expect(added.map((m) => m.id).sort()).toEqual(['dtmi:test:InlineBase;1', 'dtmi:test:Outer;1']);
    expect(added.find((m) => m.id === 'dtmi:test:Outer;1')?.document).toBe(doc);
  });
});
