import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import sparkplug from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import tahu from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../core/errors.js';
import { compileMappings } from '../mapping/compile.js';
import type { MappingMatch } from '../mapping/MappingSet.js';
import { SparkplugDecoder, type SparkplugDecoded } from './SparkplugDecoder.js';
import { parseSparkplugTopic } from './topic.js';

const { encodePayload } = sparkplug.get('spBv1.0')!;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const SET = compileMappings({
  mappings: [
    {
      topic: 'spBv1.0/{group}/#',
      payload: 'sparkplug',
      twin: '88.100.1/{edgeNode}/{device}',
      nodeTwin: '88.100.1/{edgeNode}',
      online: 'connected',
    },
    {
      topic: 'spBv1.0/renamed/#',
      payload: 'sparkplug',
      twin: '88.100.1/{edgeNode}/{device}',
      fields: {
        'Motor/Temp': { field: 'temperature', unit: 'degF', to: 'degC' },
        Count: 'count',
      },
    },
  ],
});

function match(topic: string): MappingMatch {
  const m = SET.match(topic);
  if (!m) throw new Error(`no mapping for ${topic}`);
  return m;
}

function metric(
  name: string | undefined,
  type: UMetric['type'],
  value: UMetric['value'],
  extra = {},
): UMetric {
  return { ...(name === undefined ? {} : { name }), type, value, ...extra } as UMetric;
}

/** A decoder fed messages as an edge node "n1" in group "g" would send them. */
function session(decoder = new SparkplugDecoder()) {
  return {
    decoder,
    send(type: string, body: UPayload | Uint8Array, device?: string, receivedAt = NOW): SparkplugDecoded {
      const topic = `spBv1.0/g/${type}/n1${device === undefined ? '' : `/${device}`}`;
      const bytes = body instanceof Uint8Array ? body : encodePayload(body);
      return decoder.decode(topic, bytes, match(topic), { receivedAt });
    },
  };
}

const NODE = '88.100.1/n1';
const DEV = '88.100.1/n1/d1';

function born() {
  const s = session();
  s.send('NBIRTH', {
    timestamp: NOW - 1000,
    seq: 0,
    metrics: [
      metric('bdSeq', 'UInt64', 7),
      metric('Node Control/Rebirth', 'Boolean', false),
      metric('Uptime', 'Int64', 12, { alias: 1 }),
    ],
  });
  s.send(
    'DBIRTH',
    {
      timestamp: NOW - 1000,
      seq: 1,
      metrics: [
        metric('Motor/Temp', 'Double', 20.5, { alias: 10 }),
        metric('Running', 'Boolean', true, { alias: 11 }),
        metric('Mode', 'String', 'auto', { alias: 12 }),
      ],
    },
    'd1',
  );
  return s;
}

describe('parseSparkplugTopic', () => {
  it('reads node and device topics, ignores STATE and commands, refuses the rest', () => {
    expect(parseSparkplugTopic('spBv1.0/g/NDATA/n1')).toEqual({
      kind: 'node',
      type: 'NDATA',
      group: 'g',
      edgeNode: 'n1',
    });
    expect(parseSparkplugTopic('spBv1.0/g/DDATA/n1/d1')).toMatchObject({ kind: 'device', device: 'd1' });
    expect(parseSparkplugTopic('spBv1.0/STATE/host')).toEqual({ kind: 'ignored', type: 'STATE' });
    expect(parseSparkplugTopic('STATE/host')).toEqual({ kind: 'ignored', type: 'STATE' });
    expect(parseSparkplugTopic('spBv1.0/g/NCMD/n1')).toEqual({ kind: 'ignored', type: 'NCMD' });
    expect(parseSparkplugTopic('spBv1.0/g/DDATA/n1')).toMatch(/not a Sparkplug B message type/);
    expect(parseSparkplugTopic('spBv1.0/g/NDATA/n1/d1')).toMatch(/not a Sparkplug B message type/);
    expect(parseSparkplugTopic('spBv1.0/g/NDATA')).toMatch(/expected/);
    expect(parseSparkplugTopic('spAv1.0/g/NDATA/n1')).toMatch(/not a Sparkplug B topic/);
  });
});

describe('SparkplugDecoder', () => {
  it('stores birth and data metrics by name and alias, on the node and the device twins', () => {
    const s = session();
    const nbirth = s.send('NBIRTH', {
      timestamp: NOW - 1000,
      seq: 0,
      metrics: [
        metric('bdSeq', 'UInt64', 7),
        metric('Node Control/Rebirth', 'Boolean', false),
        metric('Uptime', 'Int64', 12, { alias: 1 }),
      ],
    });
    // Control metrics are protocol, not plant data; the online field says the node is up.
    expect(nbirth).toEqual({
      points: [
        { twin: NODE, field: 'connected', time: NOW - 1000, value: true },
        { twin: NODE, field: 'Uptime', time: NOW - 1000, value: 12 },
      ],
      rejected: [],
      warnings: [],
    });
    s.send(
      'DBIRTH',
      {
        timestamp: NOW - 1000,
        seq: 1,
        metrics: [
          metric('Motor/Temp', 'Double', 20.5, { alias: 10 }),
          metric('Mode', 'String', 'auto', { alias: 12 }),
        ],
      },
      'd1',
    );
    const ddata = s.send(
      'DDATA',
      {
        timestamp: NOW - 500,
        seq: 2,
        metrics: [
          metric(undefined, 'Double', 21.5, { alias: 10 }),
          metric(undefined, 'String', 'manual', { alias: 12, timestamp: NOW - 600 }),
          metric('Motor/Temp', 'Double', null, { isNull: true }),
        ],
      },
      'd1',
    );
    // "/" in a metric name nests the field; a null metric is no value and no error.
    expect(ddata.points).toEqual([
      { twin: DEV, field: 'Motor.Temp', time: NOW - 500, value: 21.5 },
      { twin: DEV, field: 'Mode', time: NOW - 600, value: 'manual' },
    ]);
    expect(ddata.rejected).toEqual([]);
    const ndata = s.send('NDATA', { seq: 3, metrics: [metric(undefined, 'Int64', 13, { alias: 1 })] });
    expect(ndata.points).toEqual([{ twin: NODE, field: 'Uptime', time: NOW, value: 13 }]);
  });

  it('refuses a metric whose alias no birth declared, and keeps the others', () => {
    const s = born();
    const out = s.send(
      'DDATA',
      {
        seq: 2,
        metrics: [
          metric(undefined, 'Double', 1, { alias: 99 }),
          metric(undefined, 'Double', 22, { alias: 10 }),
        ],
      },
      'd1',
    );
    expect(out.points).toEqual([{ twin: DEV, field: 'Motor.Temp', time: NOW, value: 22 }]);
    expect(out.rejected).toEqual([
      expect.objectContaining({
        index: 0,
        code: 'IMV_INGEST_UNMAPPED',
        reason: expect.stringMatching(/alias 99.*Rebirth/),
      }),
    ]);
    // A device's aliases are its own: the node's alias 1 means nothing to d1.
    const other = s.send('DDATA', { seq: 3, metrics: [metric(undefined, 'Int64', 1, { alias: 1 })] }, 'd1');
    expect(other.rejected.map((r) => r.code)).toEqual(['IMV_INGEST_UNMAPPED']);
    // A device never born has no aliases at all.
    const stranger = session().send(
      'DDATA',
      { seq: 5, metrics: [metric(undefined, 'Double', 1, { alias: 10 })] },
      'd1',
    );
    expect(stranger.rejected.map((r) => r.code)).toEqual(['IMV_INGEST_UNMAPPED']);
    const nameless = s.send('DDATA', { seq: 4, metrics: [metric(undefined, 'Double', 1)] }, 'd1');
    expect(nameless.rejected.map((r) => r.code)).toEqual(['IMV_INGEST_PAYLOAD_MALFORMED']);
    // A new NBIRTH is a new session: the device's old aliases are gone until its DBIRTH.
    s.send('NBIRTH', { seq: 0, metrics: [metric('bdSeq', 'UInt64', 8)] });
    const stale = s.send('DDATA', { seq: 1, metrics: [metric(undefined, 'Double', 1, { alias: 10 })] }, 'd1');
    expect(stale.rejected.map((r) => r.code)).toEqual(['IMV_INGEST_UNMAPPED']);
    expect(s.decoder.online('g', 'n1', 'd1')).toBe(true);
  });

  it('takes the datatype from the birth certificate when DATA leaves it out', () => {
    const s = born();
    const { Payload } = tahu.org.eclipse.tahu.protobuf;
    const bytes = Payload.encode(
      Payload.create({
        seq: 2,
        metrics: [
          { alias: 10, doubleValue: 23 },
          { name: 'Other', doubleValue: 1 },
        ],
      }),
    ).finish();
    const out = s.send('DDATA', bytes, 'd1');
    expect(out.points).toEqual([{ twin: DEV, field: 'Motor.Temp', time: NOW, value: 23 }]);
    expect(out.rejected).toEqual([
      expect.objectContaining({
        index: 1,
        code: 'IMV_INGEST_VALUE_INVALID',
        reason: expect.stringMatching(/no datatype/),
      }),
    ]);
  });

  it('reads every integer, floating, boolean and text type, and refuses the others one by one', () => {
    const s = session();
    const out = s.send('NDATA', {
      metrics: [
        metric('i8', 'Int8', -5),
        metric('i16', 'Int16', -300),
        metric('i32', 'Int32', -70000),
        metric('i64', 'Int64', -7),
        metric('u8', 'UInt8', 250),
        metric('u16', 'UInt16', 65000),
        metric('u32', 'UInt32', 4000000000),
        metric('u64', 'UInt64', 2 ** 40),
        metric('f', 'Float', 21.3),
        metric('d', 'Double', -2.25),
        metric('b', 'Boolean', false),
        metric('s', 'String', 'run'),
        metric('t', 'Text', 'long text'),
        metric('dt', 'DateTime', NOW),
        metric('bytes', 'Bytes', new Uint8Array([1, 2])),
        metric('nan', 'Double', NaN),
        metric('bad name', 'Double', 1),
      ],
    });
    expect(Object.fromEntries(out.points.map((p) => [p.field, p.value]))).toEqual({
      i8: -5,
      i16: -300,
      i32: -70000,
      i64: -7,
      u8: 250,
      u16: 65000,
      u32: 4000000000,
      u64: 2 ** 40,
      f: 21.3, // not 21.299999237060547: the float the device sent, in its shortest decimal
      d: -2.25,
      b: false,
      s: 'run',
      t: 'long text',
    });
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [13, 'IMV_INGEST_VALUE_INVALID'],
      [14, 'IMV_INGEST_VALUE_INVALID'],
      [15, 'IMV_INGEST_VALUE_INVALID'],
      [16, 'IMV_INGEST_VALUE_INVALID'],
    ]);
    expect(out.rejected[0]?.reason).toMatch(/DateTime metrics are not stored/);
    expect(JSON.parse(out.rejected[0]?.excerpt ?? '')).toMatchObject({ name: 'dt', datatype: 'DateTime' });
  });

  it('applies the mapping: renamed fields, units, unlisted metrics ignored', () => {
    const topic = 'spBv1.0/renamed/DDATA/n1/d1';
    const dev = new SparkplugDecoder().decode(
      topic,
      encodePayload({
        metrics: [
          metric('Motor/Temp', 'Float', 212),
          metric('Count', 'UInt32', 3),
          metric('Other', 'Int8', 1),
        ],
      }),
      match(topic),
      { receivedAt: NOW },
    );
    expect(dev.points).toEqual([
      { twin: DEV, field: 'temperature', time: NOW, value: expect.closeTo(100, 9) },
      { twin: DEV, field: 'count', time: NOW, value: 3 },
    ]);
    // The model's field kind decides as for JSON: a number for a boolean field must be 0 or 1.
    const kinds = new SparkplugDecoder().decode(
      'spBv1.0/g/NDATA/n1',
      encodePayload({ metrics: [metric('Flag', 'Int32', 1), metric('Flag2', 'Int32', 7)] }),
      match('spBv1.0/g/NDATA/n1'),
      { receivedAt: NOW, fieldKind: () => 'boolean' },
    );
    expect(kinds.points.map((p) => p.value)).toEqual([true]);
    expect(kinds.rejected.map((r) => r.code)).toEqual(['IMV_INGEST_VALUE_INVALID']);
  });

  it('dates values by metric timestamp, then payload timestamp, and refuses impossible times', () => {
    const out = session().send('NDATA', {
      timestamp: NOW - 2000,
      metrics: [
        metric('a', 'Int32', 1, { timestamp: NOW - 3000 }),
        metric('b', 'Int32', 2),
        metric('c', 'Int32', 3, { timestamp: NOW + 3_600_000 }),
        metric('d', 'Int32', 4, { timestamp: 5 }),
      ],
    });
    expect(out.points.map((p) => [p.field, p.time])).toEqual([
      ['a', NOW - 3000],
      ['b', NOW - 2000],
    ]);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [2, 'IMV_INGEST_TIMESTAMP_INVALID'],
      [3, 'IMV_INGEST_TIMESTAMP_INVALID'],
    ]);
  });

  it('flags a sequence gap but keeps the data; wraps after 255; a birth resets the count', () => {
    const s = born(); // NBIRTH seq 0, DBIRTH seq 1
    const data = (seq: number) =>
      s.send('DDATA', { seq, metrics: [metric(undefined, 'Double', seq, { alias: 10 })] }, 'd1');
    expect(data(2).warnings).toEqual([]);
    const gap = data(5);
    expect(gap.warnings).toEqual([
      {
        code: 'IMV_INGEST_SEQUENCE_GAP',
        reason: expect.stringMatching(/expected sequence number 3, got 5 \(2 messages lost/),
      },
    ]);
    expect(gap.points).toHaveLength(1);
    expect(data(6).warnings).toEqual([]);
    // The count goes on from the last number seen; 255 is followed by 0.
    for (let seq = 7; seq <= 255; seq++) expect(data(seq).warnings).toEqual([]);
    expect(data(0).warnings).toEqual([]);
    expect(data(0).warnings.map((w) => w.code)).toEqual(['IMV_INGEST_SEQUENCE_GAP']);
    expect(data(300).warnings[0]?.reason).toMatch(/outside 0–255/);
    // A new session starts again from its NBIRTH, whatever came before.
    s.send('NBIRTH', { seq: 0, metrics: [metric('bdSeq', 'UInt64', 8)] });
    s.send('DBIRTH', { seq: 1, metrics: [metric('Motor/Temp', 'Double', 1, { alias: 10 })] }, 'd1');
    expect(data(2).warnings).toEqual([]);
  });

  it('turns the online field on at birth and off at death, for the node and its devices', () => {
    const s = born();
    expect(s.decoder.online('g', 'n1')).toBe(true);
    expect(s.decoder.online('g', 'n1', 'd1')).toBe(true);
    const ddeath = s.send('DDEATH', { timestamp: NOW - 10, seq: 2 }, 'd1');
    expect(ddeath.points).toEqual([{ twin: DEV, field: 'connected', time: NOW - 10, value: false }]);
    expect(s.decoder.online('g', 'n1', 'd1')).toBe(false);
    const dbirth = s.send(
      'DBIRTH',
      { seq: 3, metrics: [metric('Motor/Temp', 'Double', 1, { alias: 10 })] },
      'd1',
    );
    expect(dbirth.points[0]).toEqual({ twin: DEV, field: 'connected', time: NOW, value: true });
    // A will left by an earlier session (another bdSeq) does not end this one.
    expect(s.send('NDEATH', { metrics: [metric('bdSeq', 'UInt64', 6)] }).points).toEqual([]);
    expect(s.decoder.online('g', 'n1')).toBe(true);
    // The node's death takes its devices with it; its time is when it arrived (a will is old).
    const ndeath = s.send(
      'NDEATH',
      { timestamp: NOW - 99_000, metrics: [metric('bdSeq', 'UInt64', 7)] },
      undefined,
      NOW + 5,
    );
    expect(ndeath.points).toEqual([
      { twin: NODE, field: 'connected', time: NOW + 5, value: false },
      { twin: DEV, field: 'connected', time: NOW + 5, value: false },
    ]);
    expect(ndeath.warnings).toEqual([]);
    expect(s.decoder.online('g', 'n1')).toBe(false);
    expect(s.decoder.online('g', 'n1', 'd1')).toBe(false);
    expect(s.decoder.online('g', 'nobody')).toBeUndefined();
    // After a death the count starts over: the first message is not a gap.
    expect(s.send('NDATA', { seq: 200, metrics: [] }).warnings).toEqual([]);
  });

  it('writes no online field when the mapping names none', () => {
    const topic = 'spBv1.0/renamed/DBIRTH/n1/d1';
    const out = new SparkplugDecoder().decode(topic, encodePayload({ seq: 1, metrics: [] }), match(topic), {
      receivedAt: NOW,
    });
    // No NBIRTH came first: nothing is written, and the edge node is to be asked for its births.
    expect(out).toEqual({
      points: [],
      rejected: [],
      warnings: [],
      rebirth: { group: 'renamed', edgeNode: 'n1', reason: expect.stringMatching(/no birth certificate/) },
    });
  });

  it('says when the edge node must be asked for a rebirth, and only then', () => {
    const s = born();
    // In order, known aliases: nothing to ask.
    expect(s.send('NDATA', { seq: 2, metrics: [metric(undefined, 'Int64', 13, { alias: 1 })] }).rebirth).toBe(
      undefined,
    );
    // A sequence gap: messages were lost, the births may have been among them.
    expect(s.send('NDATA', { seq: 4, metrics: [] }).rebirth).toEqual({
      group: 'g',
      edgeNode: 'n1',
      reason: expect.stringMatching(/sequence number/),
    });
    // An alias no birth declared.
    expect(
      s.send('NDATA', { seq: 5, metrics: [metric(undefined, 'Int64', 1, { alias: 77 })] }).rebirth,
    ).toEqual(expect.objectContaining({ reason: expect.stringMatching(/alias 77/) }));
    // A device the current session has no DBIRTH for.
    expect(s.send('DDATA', { seq: 6, metrics: [] }, 'd9').rebirth).toEqual(
      expect.objectContaining({ reason: expect.stringMatching(/device d9/) }),
    );
    // Data from an edge node never born (here: after its death).
    s.send('NDEATH', { metrics: [metric('bdSeq', 'UInt64', 7)] });
    expect(s.send('NDATA', { seq: 7, metrics: [] }).rebirth).toEqual(
      expect.objectContaining({
        reason: expect.stringMatching(/NDATA from edge node n1 .*no birth certificate/),
      }),
    );
    // Its death needs nothing more.
    expect(s.send('NDEATH', { metrics: [metric('bdSeq', 'UInt64', 7)] }).rebirth).toBe(undefined);
  });

  it('refuses what is not a Sparkplug message, and ignores STATE and commands', () => {
    const s = session();
    const bad = s.send('NDATA', new Uint8Array([0x0a, 0xff, 0xff]));
    expect(bad.refused?.code).toBe('IMV_INGEST_PAYLOAD_MALFORMED');
    expect(bad.points).toEqual([]);
    const decode = (topic: string, bytes: Uint8Array, maxBytes?: number) =>
      new SparkplugDecoder().decode(topic, bytes, match(topic), {
        receivedAt: NOW,
        ...(maxBytes === undefined ? {} : { maxBytes }),
      });
    expect(decode('spBv1.0/g/NOPE/n1', encodePayload({})).refused?.code).toBe('IMV_INGEST_UNMAPPED');
    expect(decode('spBv1.0/STATE/host-1', new TextEncoder().encode('{"online":true}'))).toEqual({
      points: [],
      rejected: [],
      warnings: [],
    });
    expect(decode('spBv1.0/g/NCMD/n1', encodePayload({})).points).toEqual([]);
    expect(
      decode('spBv1.0/g/NDATA/n1', encodePayload({ metrics: [metric('x', 'Int8', 1)] }), 4).refused?.code,
    ).toBe('IMV_INGEST_PAYLOAD_TOO_LARGE');
  });

  // Seeded so that a failure replays; fast-check prints the seed and the counterexample.
  it('never throws on random bytes or random message orders, and every point is usable', () => {
    const types = ['NBIRTH', 'NDATA', 'NDEATH', 'DBIRTH', 'DDATA', 'DDEATH', 'STATE', 'NCMD'];
    const topicOf = (type: string, device: boolean) =>
      type === 'STATE' ? 'spBv1.0/STATE/h' : `spBv1.0/g/${type}/n1${device ? '/d1' : ''}`;
    const wellFormed = fc
      .record({
        timestamp: fc.option(fc.constantFrom(NOW, NOW - 1, NOW + 1e9, 0), { nil: undefined }),
        seq: fc.option(fc.nat({ max: 300 }), { nil: undefined }),
        metrics: fc.array(
          fc.record({
            name: fc.option(fc.constantFrom('a', 'b/c', 'bdSeq', 'x y'), { nil: undefined }),
            alias: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
            type: fc.constantFrom('Int8', 'UInt64', 'Double', 'Boolean', 'String', 'DateTime'),
            value: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string()),
          }),
          { maxLength: 5 },
        ),
      })
      .map((p) => {
        try {
          return encodePayload(p as UPayload);
        } catch {
          return new Uint8Array(); // Tahu cannot encode every random pairing of type and value
        }
      });
    const message = fc.record({
      type: fc.constantFrom(...types),
      device: fc.boolean(),
      bytes: fc.oneof(fc.uint8Array({ maxLength: 96 }), wellFormed),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 12 }), (messages) => {
        const decoder = new SparkplugDecoder();
        for (const { type, device, bytes } of messages) {
          const topic = topicOf(type, device);
          const out = decoder.decode(topic, bytes, match(topic), { receivedAt: NOW });
          for (const p of out.points) {
            expect(
              typeof p.value === 'string' || typeof p.value === 'boolean' || Number.isFinite(p.value),
            ).toBe(true);
            expect(p.time).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(p.time).toBeLessThanOrEqual(NOW + 5 * 60_000);
          }
          for (const r of [...out.rejected, ...out.warnings]) expect(r.code).toMatch(/^IMV_INGEST_/);
          if (out.refused) expect(out.points).toEqual([]);
        }
      }),
      { seed: 20251125, numRuns: 1000 },
    );
  });
});

describe('compileMappings: payload sparkplug', () => {
  const issues = (entry: Record<string, unknown>): string[] => {
    try {
      compileMappings({ mappings: [{ topic: 'spBv1.0/#', ...entry }] });
      return [];
    } catch (error) {
      return (error as ValidationError).issues.map((i) => i.path);
    }
  };
  it('checks templates against the Sparkplug levels and refuses keys that make no sense', () => {
    expect(
      issues({ payload: 'sparkplug', twin: '88.100.1/{edgeNode}/{device}', online: 'connected' }),
    ).toEqual([]);
    expect(issues({ payload: 'sparkplug', twin: '88.100.1/{line}' })).toEqual(['/mappings/0/twin']);
    expect(
      issues({ payload: 'sparkplug', twin: '88.100.1/{edgeNode}', nodeTwin: '88.100.1/{device}' }),
    ).toEqual(['/mappings/0/nodeTwin']);
    expect(issues({ payload: 'sparkplug', twin: '88.100.1/{edgeNode}', field: 'x' })).toEqual([
      '/mappings/0/field',
    ]);
    expect(issues({ payload: 'sparkplug', twin: '88.100.1/{edgeNode}', online: 'not a field' })).toEqual([
      '/mappings/0/online',
    ]);
    expect(issues({ payload: 'sparkplug' })).toEqual(['/mappings/0/twin']);
    expect(issues({ twin: '88.100.1/x', online: 'connected' })).toEqual(['/mappings/0/online']);
  });
});

describe('docs/connectors.md, Sparkplug B', () => {
  it('the mapping example compiles and does what the text says', () => {
    const doc = readFileSync(new URL('../../../docs/connectors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Sparkplug B\n'), doc.indexOf('\n## What gets rejected\n'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    const set = compileMappings(parse(block ?? ''), 'docs/connectors.md');
    const decoder = new SparkplugDecoder();
    const send = (topic: string, body: UPayload) => {
      const m = set.match(topic);
      if (!m) throw new Error(`no mapping for ${topic}`);
      return decoder.decode(topic, encodePayload(body), m, { receivedAt: NOW });
    };
    expect(
      send('spBv1.0/line-1/NBIRTH/st-03', { seq: 0, metrics: [metric('Uptime', 'Int32', 5)] }).points,
    ).toEqual([
      { twin: '88.100.1/line-1/st-03', field: 'connected', time: NOW, value: true },
      { twin: '88.100.1/line-1/st-03', field: 'Uptime', time: NOW, value: 5 },
    ]);
    const dbirth = send('spBv1.0/line-1/DBIRTH/st-03/press', {
      seq: 1,
      metrics: [
        metric('Temperature', 'Double', 212, { alias: 1 }),
        metric('Motor/RPM', 'UInt16', 900, { alias: 2 }),
      ],
    });
    const twin = '88.100.1/line-1/st-03/press';
    expect(dbirth.points).toEqual([
      { twin, field: 'connected', time: NOW, value: true },
      { twin, field: 'temperature', time: NOW, value: expect.closeTo(100, 9) },
      { twin, field: 'speed', time: NOW, value: 900 },
    ]);
  });
});

describe('SparkplugDecoder state bounds', () => {
  const send = (decoder: SparkplugDecoder, topic: string, body: UPayload): SparkplugDecoded =>
    decoder.decode(topic, encodePayload(body), match(topic), { receivedAt: NOW });
  const birth = { seq: 0, metrics: [metric('bdSeq', 'UInt64', 1)] };

  it('refuses a new edge node when every tracked one is online, and makes room from offline ones', () => {
    const decoder = new SparkplugDecoder({ maxEdgeNodes: 2 });
    expect(send(decoder, 'spBv1.0/g/NBIRTH/a', birth).refused).toBeUndefined();
    expect(send(decoder, 'spBv1.0/g/NBIRTH/b', birth).refused).toBeUndefined();
    expect(send(decoder, 'spBv1.0/g/NBIRTH/c', birth).refused).toMatchObject({
      code: 'IMV_INGEST_SPARKPLUG_STATE_FULL',
    });
    expect(decoder.tracked.edgeNodes).toBe(2);
    // a dies: its state is what gives way to c, and b keeps its session.
    send(decoder, 'spBv1.0/g/NDEATH/a', { metrics: [metric('bdSeq', 'UInt64', 1)] });
    expect(send(decoder, 'spBv1.0/g/NBIRTH/c', birth).refused).toBeUndefined();
    expect(decoder.online('g', 'a')).toBeUndefined();
    expect(decoder.online('g', 'b')).toBe(true);
    expect(decoder.tracked.edgeNodes).toBe(2);
  });

  it('bounds devices over all edge nodes, however many names a node invents', () => {
    const decoder = new SparkplugDecoder({ maxDevices: 3 });
    send(decoder, 'spBv1.0/g/NBIRTH/n1', birth);
    const refused = [];
    for (let i = 0; i < 50; i++) {
      const seq = i + 1;
      const decoded = send(decoder, `spBv1.0/g/DBIRTH/n1/d${i}`, { seq, metrics: [] });
      if (decoded.refused) refused.push(decoded.refused.code);
    }
    expect(decoder.tracked.devices).toBe(3);
    expect(refused).toHaveLength(47);
    expect(new Set(refused)).toEqual(new Set(['IMV_INGEST_SPARKPLUG_STATE_FULL']));
    // A device that died makes room for a new one.
    send(decoder, 'spBv1.0/g/DDEATH/n1/d0', { seq: 51, metrics: [] });
    expect(send(decoder, 'spBv1.0/g/DBIRTH/n1/new', { seq: 52, metrics: [] }).refused).toBeUndefined();
    expect(decoder.online('g', 'n1', 'new')).toBe(true);
    expect(decoder.tracked.devices).toBe(3);
  });
});
