import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ValidationError } from '../../core/errors.js';
import { compileMappings } from './compile.js';
import { unitConversion } from './units.js';

const FILE = {
  mappings: [
    {
      topic: 'plant/{line}/{station}/telemetry',
      twin: '88.100.1/{line}/{station}',
      fields: {
        temp: { field: 'temperature', unit: 'degF', to: 'degC' },
        vib: { field: 'vibration', scale: 0.001 },
        state: 'state',
      },
    },
    { topic: 'sensors/+/+/value', twin: '88.100.1/{1}/{2}', field: 'value' },
    { topic: 'plant/line-9/{station}/telemetry', twin: '88.100.1/special/{station}', field: 'x' },
    { topic: 'gateways/{gw}/#', twin: 'gw.1/{gw}/{#}', payload: 'envelope' },
  ],
};

function issuesOf(value: unknown): { path: string; message: string }[] {
  try {
    compileMappings(value, 'map.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('IMV_REQUEST_INVALID');
    return (error as ValidationError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected the mapping to be refused');
}

describe('compileMappings', () => {
  const set = compileMappings(FILE);

  it('matches named and positional captures into the twin identifier', () => {
    const m = set.match('plant/line-1/st-03/telemetry');
    expect(m?.twin).toBe('88.100.1/line-1/st-03');
    const temp = m?.mapping.fields?.get('temp');
    expect(temp?.field).toBe('temperature');
    expect((212 * temp!.scale + temp!.offset).toFixed(6)).toBe('100.000000');
    expect(set.match('sensors/a/b/value')?.twin).toBe('88.100.1/a/b');
    expect(set.match('sensors/a/b')).toBeUndefined();
    expect(set.match('other')).toBeUndefined();
  });

  it('prefers the more specific pattern, level by level', () => {
    expect(set.match('plant/line-9/st-01/telemetry')?.twin).toBe('88.100.1/special/st-01');
  });

  it('passes the # remainder and upper-cases the prefix', () => {
    expect(set.match('gateways/g1/a/b')?.twin).toBe('GW.1/g1/a/b');
  });

  it('reports a topic that does not make an identifier instead of matching', () => {
    const m = set.match('sensors/a b/c/value');
    expect(m?.twin).toBeUndefined();
    expect(m?.error).toMatch(/whitespace/);
  });

  it('takes command topics that reach devices and are not stored, with nothing else to map', () => {
    const commands = compileMappings({
      mappings: [{ topic: 'plant/{line}/{station}/cmd', payload: 'command' }],
    });
    expect(commands.match('plant/line-1/st-01/cmd')?.mapping.payload).toBe('command');
    expect(
      issuesOf({ mappings: [{ topic: 'plant/{line}/cmd', payload: 'command', twin: '88.100.1/{line}' }] }),
    ).toEqual([{ path: '/mappings/0/twin', message: 'a "payload: command" mapping takes only "topic"' }]);
  });

  it('does not let wildcards match $ topics', () => {
    expect(
      compileMappings({ mappings: [{ topic: '#', twin: 'a/{#}', field: 'v' }] }).match('$SYS/x'),
    ).toBeUndefined();
  });

  it('handles thousands of mappings', () => {
    const many = compileMappings({
      mappings: Array.from({ length: 5000 }, (_, i) => ({
        topic: `plant/line-${i}/{station}/telemetry`,
        twin: `88.100.1/line-${i}/{station}`,
        field: 'v',
      })),
    });
    expect(many.size).toBe(5000);
    expect(many.match('plant/line-4321/s/telemetry')?.twin).toBe('88.100.1/line-4321/s');
  });

  it('names the path of every problem', () => {
    const issues = issuesOf({
      mappings: [
        { topic: 'a/{x}/#/b', twin: '88/{x}', field: 'v' },
        { topic: 'a/{x}', twin: '88/{y}', field: 'v' },
        { topic: 'b/{x}', twin: '88/{x}', fields: { t: { field: 'temp', unit: 'degF', to: 'bar' } } },
        {
          topic: 'c/{x}',
          twin: '88/{x}',
          fields: { t: { field: 'temp', unit: 'furlong', to: 'm' } },
          feilds: {},
        },
        { topic: 'd/+', twin: '88/{1}', field: 'v' },
        { topic: 'd/{n}', twin: '88/{n}', field: 'w' },
        { topic: 'e', twin: 'no-slash', field: 'v' },
        { topic: 'f', twin: '88/x', fields: { ts: 'time' } },
      ],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual([
      '/mappings/0/topic',
      '/mappings/1/twin',
      '/mappings/2/fields/t/to',
      '/mappings/3/feilds',
      '/mappings/3/fields/t/unit',
      '/mappings/5/topic',
      '/mappings/6/twin',
      '/mappings/7/fields/ts',
    ]);
    expect(issues[2]?.message).toMatch(/cannot convert temperature/);
    expect(issues[5]?.message).toMatch(/same topics as \/mappings\/4\/topic/);
    expect(issuesOf(null)[0]?.path).toBe('');
  });
});

describe('units', () => {
  it('converts within a dimension and refuses across', () => {
    const psi = unitConversion('psi', 'kPa');
    expect(typeof psi !== 'string' && 1 * psi.scale).toBeCloseTo(6.894757, 5);
    const k = unitConversion('degC', 'kelvin');
    expect(typeof k !== 'string' && 0 * k.scale + k.offset).toBeCloseTo(273.15, 10);
    const kwh = unitConversion('kWh', 'J');
    expect(typeof kwh !== 'string' && kwh.scale).toBe(3.6e6);
    expect(unitConversion('W', 'J')).toMatch(/cannot convert power/);
  });
});

describe('docs/connectors.md', () => {
  it('every mapping example compiles', () => {
    const doc = readFileSync(new URL('../../../docs/connectors.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n(mappings:[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const set = compileMappings(parse(block), 'docs/connectors.md');
      expect(set.match('plant/line-1/st-03/telemetry')?.mapping.fields?.get('temp')?.field).toBe(
        'temperature',
      );
      expect(set.match('gateways/line-1/points')?.twin).toBe('88.100.1/line-1');
    }
  });
});
