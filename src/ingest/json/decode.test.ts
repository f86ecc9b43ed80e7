import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileMappings } from '../mapping/compile.js';
import type { MappingMatch } from '../mapping/MappingSet.js';
import { decodePayload } from './decode.js';
import { parseTime } from './time.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const SET = compileMappings({
  mappings: [
    {
      topic: 'plant/{line}/{station}/telemetry',
      twin: '88.100.1/{line}/{station}',
      fields: {
        temp: { field: 'temperature', unit: 'degF', to: 'degC' },
        vib: { field: 'vibration', scale: 0.001 },
        count: { field: 'count', type: 'number' },
        state: 'state',
      },
    },
    { topic: 'sensors/+/+/value', twin: '88.100.1/{1}/{2}', field: 'value' },
    { topic: 'raw/{id}', twin: '88.100.1/{id}' },
    { topic: 'gw/{gw}', twin: '88.100.1/{gw}', payload: 'envelope' },
  ],
});

function match(topic: string): MappingMatch {
  const m = SET.match(topic);
  if (!m) throw new Error(`no mapping for ${topic}`);
  return m;
}
const TELEMETRY = match('plant/l1/s1/telemetry');
const VALUE = match('sensors/l1/s2/value');
const RAW = match('raw/m1');
const GW = match('gw/l1');

function decode(m: MappingMatch, text: string | Uint8Array, extra = {}) {
  return decodePayload(typeof text === 'string' ? Buffer.from(text) : text, m, { receivedAt: NOW, ...extra });
}

describe('decodePayload', () => {
  it('decodes a bare value with the receive time', () => {
    expect(decode(VALUE, '21.5').points).toEqual([
      { twin: '88.100.1/l1/s2', field: 'value', time: NOW, value: 21.5 },
    ]);
    expect(decode(VALUE, 'true').points[0]?.value).toBe(true);
    expect(decode(VALUE, '"running"').points[0]?.value).toBe('running');
    expect(decode(VALUE, '{"value": 3, "ts": 1748779200}').points[0]).toMatchObject({
      value: 3,
      time: 1748779200000,
    });
  });

  it('decodes an object of values with conversions and a timestamp', () => {
    const out = decode(
      TELEMETRY,
      '{"ts":"2025-06-01T11:59:00Z","temp":212,"vib":3000,"state":"run","extra":1}',
    );
    expect(out.rejected).toEqual([]);
    const t = Date.UTC(2025, 5, 1, 11, 59);
    expect(out.points).toEqual([
      { twin: '88.100.1/l1/s1', field: 'temperature', time: t, value: expect.closeTo(100, 9) },
      { twin: '88.100.1/l1/s1', field: 'vibration', time: t, value: 3 },
      { twin: '88.100.1/l1/s1', field: 'state', time: t, value: 'run' },
    ]);
  });

  it('decodes an array of timestamped rows and keeps unlisted keys when the mapping has no fields', () => {
    const out = decode(RAW, '[{"ts":1748779000000,"a":1},{"time":1748779100,"a":2,"b":"x"}]');
    expect(out.points.map((p) => [p.field, p.time, p.value])).toEqual([
      ['a', 1748779000000, 1],
      ['a', 1748779100000, 2],
      ['b', 1748779100000, 'x'],
    ]);
  });

  it('keeps an object under dotted names, one value per field, three levels deep at most', () => {
    const out = decode(
      RAW,
      '{"ts":1748779000000,"position":{"x":1.5,"y":2,"pose":{"a":{"b":{"c":1}}}},"bad":{"1x":2}}',
    );
    expect(out.points.map((p) => [p.field, p.value])).toEqual([
      ['position.x', 1.5],
      ['position.y', 2],
    ]);
    expect(out.rejected.map((r) => r.reason)).toEqual([
      'position.pose.a.b → position.pose.a.b: an object is not a value',
      'key "bad.1x" is not a valid field name',
    ]);
  });

  it('decodes a gateway envelope within the mapping scope', () => {
    const out = decode(
      GW,
      JSON.stringify({
        points: [
          { twin: '88.100.1/l1/s9', field: 'temperature', time: NOW - 1000, value: 20 },
          { twin: '88.100.1/l2/s9', field: 'temperature', value: 20 },
          { twin: 'bad', field: 'x', value: 1 },
          { twin: '88.100.1/l1', field: 'ok', value: 'x', quality: 'uncertain' },
        ],
      }),
    );
    expect(out.points).toEqual([
      { twin: '88.100.1/l1/s9', field: 'temperature', time: NOW - 1000, value: 20 },
      { twin: '88.100.1/l1', field: 'ok', time: NOW, value: 'x', quality: 'uncertain' },
    ]);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'IMV_INGEST_TOPIC_FORBIDDEN'],
      [2, 'IMV_INGEST_PAYLOAD_MALFORMED'],
    ]);
  });

  it('rejects bad values one by one, with their index', () => {
    const out = decode(
      TELEMETRY,
      '[{"temp": NaN, "vib": 1}, {"ts": 99999999999999, "temp": 1}, {"temp": "Infinity", "count": "12", "state": {"a":1}}, {"count": "x", "vib": 1e999}]',
      { fieldKind: () => undefined },
    );
    expect(out.points.map((p) => [p.field, p.value])).toEqual([
      ['vibration', 0.001],
      ['count', 12],
    ]);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'IMV_INGEST_VALUE_INVALID'],
      [2, 'IMV_INGEST_TIMESTAMP_INVALID'],
      [3, 'IMV_INGEST_VALUE_INVALID'],
      [5, 'IMV_INGEST_VALUE_INVALID'],
      [6, 'IMV_INGEST_VALUE_INVALID'],
      [7, 'IMV_INGEST_VALUE_INVALID'],
    ]);
  });

  it('asks the model for the kind of a field the mapping does not type', () => {
    const kind = () => 'number' as const;
    expect(decode(RAW, '{"speed":"fast"}', { fieldKind: kind }).rejected[0]?.code).toBe(
      'IMV_INGEST_VALUE_INVALID',
    );
    expect(decode(RAW, '{"speed":"1.5"}', { fieldKind: kind }).points[0]?.value).toBe(1.5);
  });

  it('refuses a whole message that is not JSON, too large, or the wrong shape', () => {
    expect(decode(TELEMETRY, 'temp=21').refused?.code).toBe('IMV_INGEST_PAYLOAD_MALFORMED');
    expect(decode(TELEMETRY, Buffer.from([0xff, 0xfe])).refused?.code).toBe('IMV_INGEST_PAYLOAD_MALFORMED');
    expect(decode(TELEMETRY, '21.5').refused?.code).toBe('IMV_INGEST_PAYLOAD_MALFORMED');
    expect(decode(GW, '[]').refused?.code).toBe('IMV_INGEST_PAYLOAD_MALFORMED');
    expect(decode(VALUE, '1'.repeat(300 * 1024)).refused?.code).toBe('IMV_INGEST_PAYLOAD_TOO_LARGE');
    expect(decode(VALUE, '12345', { maxBytes: 4 }).refused?.code).toBe('IMV_INGEST_PAYLOAD_TOO_LARGE');
  });

  // Seeded so that a failure replays; fast-check prints the seed and the counterexample.
  it('never throws, and every point has a usable value and a sane time', () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.string(),
      fc.constantFrom('NaN', 'Infinity', '-inf', '1.5', '', null),
      fc.constantFrom(
        NOW,
        NOW / 1000,
        NOW + 3600_000,
        0,
        -1,
        1e20,
        '2025-06-01T00:00:00+02:00',
        '2025-13-45',
      ),
    );
    const key = fc.constantFrom(
      'ts',
      'time',
      'timestamp',
      'temp',
      'vib',
      'count',
      'state',
      'value',
      'twin',
      'field',
      'x y',
    );
    const row = fc.dictionary(key, fc.oneof(value, fc.jsonValue({ maxDepth: 3 })), { maxKeys: 8 });
    const envelope = fc.record({
      points: fc.array(
        fc.record(
          { twin: fc.constantFrom('88.100.1/l1/a', '88.100.1/l2', 'x', 3), field: key, time: value, value },
          { requiredKeys: [] },
        ),
      ),
    });
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.jsonValue({ maxDepth: 6 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.oneof(value, row, fc.array(row), envelope).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.string().map((s) => Buffer.from(s.replace(/null/g, 'NaN'))),
      fc.nat({ max: 20000 }).map((n) => Buffer.from('['.repeat(n) + ']'.repeat(n))),
    );
    const matches = [TELEMETRY, VALUE, RAW, GW];
    fc.assert(
      fc.property(
        body,
        fc.nat({ max: 3 }),
        fc.constantFrom(undefined, 'number', 'string', 'boolean'),
        (payload, m, kind) => {
          const out = decodePayload(payload, matches[m]!, {
            receivedAt: NOW,
            fieldKind: () => kind as never,
          });
          for (const p of out.points) {
            expect(
              typeof p.value === 'string' || typeof p.value === 'boolean' || Number.isFinite(p.value),
            ).toBe(true);
            expect(Number.isInteger(p.time)).toBe(true);
            expect(p.time).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(p.time).toBeLessThanOrEqual(NOW + 5 * 60_000);
          }
          for (const r of out.rejected) expect(r.code).toMatch(/^IMV_INGEST_/);
          if (out.refused) expect(out.points).toEqual([]);
        },
      ),
      { seed: 20250601, numRuns: 2000 },
    );
  });
});

describe('parseTime', () => {
  const limits = { now: NOW };
  it('reads epoch seconds, milliseconds, microseconds and ISO 8601', () => {
    expect(parseTime(1748779200, limits)).toBe(1748779200000);
    expect(parseTime(1748779200.5, limits)).toBe(1748779200500);
    expect(parseTime(1748779200000, limits)).toBe(1748779200000);
    expect(parseTime(1748779200000000, limits)).toBe(1748779200000);
    expect(parseTime('2025-06-01T12:00:00.123456Z', limits)).toBe(NOW + 123);
    expect(parseTime('2025-06-01T14:00:00+0200', limits)).toBe(NOW);
    expect(parseTime('2025-06-01 12:00:00', limits)).toBe(NOW);
  });
  it('refuses the future beyond five minutes, unset clocks and nonsense', () => {
    expect(parseTime(NOW + 4 * 60_000, limits)).toBe(NOW + 4 * 60_000);
    expect(parseTime(NOW + 6 * 60_000, limits)).toMatch(/future/);
    expect(parseTime(0, limits)).toMatch(/clock/);
    expect(parseTime('yesterday', limits)).toMatch(/ISO 8601/);
    expect(parseTime(null, limits)).toMatch(/null/);
  });
});

describe('plain payloads', () => {
  const PLAIN = compileMappings({
    mappings: [
      {
        topic: 'plc/{m}/state',
        twin: '88.100.1/{m}',
        payload: 'plain',
        field: { field: 'state', type: 'string' },
      },
      {
        topic: 'plc/{m}/speed',
        twin: '88.100.1/{m}',
        payload: 'plain',
        field: { field: 'speed', scale: 0.1 },
      },
      {
        topic: 'plc/{m}/count',
        twin: '88.100.1/{m}',
        payload: 'plain',
        field: { field: 'count', type: 'number' },
      },
      {
        topic: 'plc/{m}/on',
        twin: '88.100.1/{m}',
        payload: 'plain',
        field: { field: 'on', type: 'boolean' },
      },
    ],
  });
  const plain = (topic: string, text: string | Uint8Array) => decode(PLAIN.match(topic)!, text);
  const value = (topic: string, text: string) => {
    const out = plain(topic, text);
    return out.refused?.code ?? out.points[0]?.value;
  };

  it('takes a bare word, number or boolean as the mapped field, at the receive time', () => {
    expect(plain('plc/m1/state', 'running').points).toEqual([
      { twin: '88.100.1/m1', field: 'state', time: NOW, value: 'running' },
    ]);
    expect(value('plc/m1/state', 'running\r\n')).toBe('running');
    expect(value('plc/m1/state', 'stopped by operator')).toBe('stopped by operator');
    expect(value('plc/m1/count', '12.5')).toBe(12.5);
    expect(value('plc/m1/count', ' -3e2\n')).toBe(-300);
    expect(value('plc/m1/speed', '125')).toBeCloseTo(12.5, 10);
    expect(value('plc/m1/on', 'true')).toBe(true);
    expect(value('plc/m1/on', 'FALSE')).toBe(false);
    expect(value('plc/m1/on', '1')).toBe(true);
    expect(value('plc/m1/on', '0')).toBe(false);
  });

  it('takes JSON quoting as part of the text: a plain payload is not JSON', () => {
    expect(value('plc/m1/state', '"running"')).toBe('"running"');
  });

  it('refuses, with IMV_INGEST_PLAIN_PAYLOAD_INVALID, text that is not exactly the declared type', () => {
    for (const [topic, text] of [
      ['plc/m1/count', 'abc'],
      ['plc/m1/count', '12,5'],
      ['plc/m1/count', '0x10'],
      ['plc/m1/count', 'NaN'],
      ['plc/m1/count', '1e999'],
      ['plc/m1/on', 'on'],
      ['plc/m1/on', 'yes'],
      ['plc/m1/on', '2'],
      ['plc/m1/state', ''],
      ['plc/m1/state', ' \n'],
      ['plc/m1/state', 'x'.repeat(4097)],
    ] as const) {
      expect(value(topic, text), `${topic} ${text.slice(0, 20)}`).toBe('IMV_INGEST_PLAIN_PAYLOAD_INVALID');
    }
    expect(plain('plc/m1/count', 'abc').refused?.reason).toBe('count (number): "abc" is not a number');
    expect(plain('plc/m1/state', Buffer.from([0xff])).refused?.code).toBe('IMV_INGEST_PAYLOAD_MALFORMED');
  });

  it('reads every finite number back as written (seeded)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(value('plc/m1/count', String(d))).toBe(d === 0 ? 0 : d);
      }),
      { seed: 20250602, numRuns: 1000 },
    );
  });

  it('must say what the text holds', () => {
    expect(() =>
      compileMappings({ mappings: [{ topic: 'a/{m}', twin: '88/{m}', payload: 'plain', field: 'state' }] }),
    ).toThrow(/\/mappings\/0\/field: a plain payload is text: say what it holds/);
    let issues: readonly { path: string }[] = [];
    try {
      compileMappings({
        mappings: [
          { topic: 'a/{m}', twin: '88/{m}', payload: 'plain', fields: { s: 'state' } },
          { topic: 'b/{m}', twin: '88/{m}', payload: 'plain', field: { field: 'state' } },
          { topic: 'c/{m}', payload: 'plain', field: { field: 'state', type: 'string' } },
        ],
      });
    } catch (error) {
      issues = (error as { issues: { path: string }[] }).issues;
    }
    expect(issues.map((i) => i.path)).toEqual([
      '/mappings/0/fields',
      '/mappings/0/field',
      '/mappings/1/field/type',
      '/mappings/2/twin',
    ]);
  });
});

describe('docs/connectors.md, plain payloads', () => {
  it('the example maps a bare state, a scaled number and a PLC boolean', () => {
    const doc = readFileSync(new URL('../../../docs/connectors.md', import.meta.url), 'utf8');
    const block = /```yaml\n(# Plain payloads[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const set = compileMappings(parse(block!), 'docs/connectors.md');
    const one = (topic: string, text: string) => decode(set.match(topic)!, text).points[0];
    expect(one('plc/line-1/st-01/cnc/state', 'running\n')).toEqual({
      twin: '88.100.1/line-1/st-01/cnc',
      field: 'state',
      time: NOW,
      value: 'running',
    });
    expect(one('plc/line-1/st-01/cnc/speed', '1250')?.value).toBeCloseTo(125, 10);
    expect(one('plc/line-1/st-01/cnc/alarm', 'TRUE')).toMatchObject({ field: 'alarm.active', value: true });
  });
});
