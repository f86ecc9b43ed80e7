import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../core/errors.js';
import { ModelRegistry } from './registry.js';
import { validateRelationshipProperties, validateTwinContent, validateValue } from './validate-value.js';
import type { Schema } from './types.js';

const prim = (type: string): Schema => ({ kind: 'primitive', type }) as Schema;

const PRESS = 'dtmi:test:Press;1';
function registry(): ModelRegistry {
  const r = new ModelRegistry();
  r.add([
    {
      content: {
        '@context': 'dtmi:dtdl:context;3',
        '@id': 'dtmi:test:Motor;1',
        '@type': 'Interface',
        contents: [{ '@type': 'Property', name: 'rpm', schema: 'double' }],
      },
    },
    {
      content: {
        '@context': 'dtmi:dtdl:context;3',
        '@id': PRESS,
        '@type': 'Interface',
        contents: [
          {
            '@type': 'Property',
            name: 'layout',
            schema: {
              '@type': 'Object',
              fields: [
                { name: 'x', schema: 'double' },
                { name: 'y', schema: 'double' },
              ],
            },
          },
          {
            '@type': 'Property',
            name: 'mode',
            schema: {
              '@type': 'Enum',
              valueSchema: 'string',
              enumValues: [
                { name: 'auto', enumValue: 'auto' },
                { name: 'manual', enumValue: 'manual' },
              ],
            },
          },
          {
            '@type': 'Property',
            name: 'tags',
            schema: {
              '@type': 'Map',
              mapKey: { name: 'k', schema: 'string' },
              mapValue: { name: 'v', schema: 'string' },
            },
          },
          { '@type': 'Telemetry', name: 'force', schema: 'double' },
          { '@type': 'Component', name: 'motor', schema: 'dtmi:test:Motor;1' },
          {
            '@type': 'Relationship',
            name: 'feeds',
            properties: [{ '@type': 'Property', name: 'since', schema: 'date' }],
          },
        ],
      },
    },
  ]);
  return r;
}

describe('validateTwinContent', () => {
  it('accepts a conforming twin, with $metadata in the component', () => {
    const twin = {
      $dtId: 'p1',
      $metadata: { $model: PRESS },
      layout: { x: 1, y: 2.5 },
      mode: 'auto',
      tags: { line2: 'a' },
      motor: { $metadata: {}, rpm: 1500 },
    };
    expect(validateTwinContent(registry(), PRESS, twin)).toEqual([]);
  });

  it('names the JSON Pointer of each wrong value', () => {
    const found = validateTwinContent(registry(), PRESS, {
      layout: { x: 'left', z: 1 },
      mode: 'fast',
      motor: { $metadata: {}, rpm: '1500' },
      colour: 'red',
    });
    expect(found.map((i) => [i.path, i.rule])).toEqual([
      ['/layout/x', 'value-double'],
      ['/layout/z', 'unknown-field'],
      ['/mode', 'value-enum'],
      ['/motor/rpm', 'value-double'],
      ['/colour', 'unknown-field'],
    ]);
  });

  it('requires components unless partial', () => {
    expect(validateTwinContent(registry(), PRESS, { mode: 'auto' })).toEqual([
      expect.objectContaining({ path: '/motor', rule: 'component-missing' }),
    ]);
    expect(validateTwinContent(registry(), PRESS, { mode: 'auto' }, { partial: true })).toEqual([]);
  });

  it('rejects relationship names as twin fields and throws for an unknown model', () => {
    expect(validateTwinContent(registry(), PRESS, { feeds: 'x' }, { partial: true })[0]?.rule).toBe(
      'unknown-field',
    );
    expect(() => validateTwinContent(registry(), 'dtmi:test:Nope;1', {})).toThrow(NotFoundError);
  });

  it('validates relationship properties', () => {
    const rel = registry().get(PRESS)?.relationships.get('feeds');
    if (rel === undefined) throw new Error('no relationship');
    expect(validateRelationshipProperties(rel, { since: '2024-02-29' })).toEqual([]);
    expect(validateRelationshipProperties(rel, { since: '2023-02-29', until: 1 }).map((i) => i.path)).toEqual(
      ['/since', '/until'],
    );
  });
});

describe('validateValue', () => {
  const ok = (type: string, value: unknown): boolean => validateValue(prim(type), value, '/v').length === 0;
  it('integers: int32 for integer, safe integers for long', () => {
    expect(ok('integer', 2147483647)).toBe(true);
    expect(ok('integer', 2147483648)).toBe(false);
    expect(ok('integer', 1.5)).toBe(false);
    expect(ok('long', 2 ** 53 - 1)).toBe(true);
    expect(ok('long', 2 ** 53)).toBe(false);
  });
  it('numbers must be finite; float within range', () => {
    expect(ok('double', Number.NaN)).toBe(false);
    expect(ok('double', Number.POSITIVE_INFINITY)).toBe(false);
    expect(ok('float', 1e39)).toBe(false);
    expect(ok('double', '1')).toBe(false);
  });
  it('dates, times, date-times and durations', () => {
    expect(ok('date', '2024-02-29')).toBe(true);
    expect(ok('date', '2024-13-01')).toBe(false);
    expect(ok('dateTime', '2024-05-01T12:00:00.5+02:00')).toBe(true);
    expect(ok('dateTime', '2024-05-01T12:00:00')).toBe(false);
    expect(ok('time', '23:59:60')).toBe(true);
    expect(ok('time', '24:00:00')).toBe(false);
    expect(ok('duration', 'PT15M')).toBe(true);
    expect(ok('duration', 'P1Y2M3DT4H')).toBe(true);
    expect(ok('duration', 'P')).toBe(false);
    expect(ok('duration', 'PT')).toBe(false);
  });
  it('arrays elementwise, maps with name-like keys', () => {
    const arr: Schema = { kind: 'array', element: prim('boolean') };
    expect(validateValue(arr, [true, 1, false], '/led').map((i) => i.path)).toEqual(['/led/1']);
    const map: Schema = { kind: 'map', key: { name: 'k' }, value: prim('string'), valueName: 'v' };
    expect(validateValue(map, { good_1: 'a', 'bad key': 'b' }, '/m').map((i) => i.rule)).toEqual([
      'value-map-key',
    ]);
  });
  it('escapes JSON Pointer tokens', () => {
    const obj: Schema = { kind: 'object', fields: [] };
    expect(validateValue(obj, { 'a/b~c': 1 }, '')[0]?.path).toBe('/a~1b~0c');
  });
  it('geospatial values are GeoJSON', () => {
    expect(
      validateValue(
        { kind: 'geospatial', type: 'point' },
        { type: 'Point', coordinates: [47.6, -122.1] },
        '/l',
      ),
    ).toEqual([]);
    expect(
      validateValue({ kind: 'geospatial', type: 'point' }, { type: 'Polygon', coordinates: [] }, '/l'),
    ).toHaveLength(1);
  });
  it('understands the DTDL v4 primitives for forward compatibility', () => {
    expect(ok('byte', -128)).toBe(true);
    expect(ok('unsignedShort', -1)).toBe(false);
    expect(ok('uuid', '123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(ok('scaledDecimal', { scale: 2, value: '12.5' })).toBe(true);
  });
});
