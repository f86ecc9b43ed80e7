// The embedded broker against real MQTT clients on loopback: credentials, topic access lists,
// every payload shape, dead letters, and QoS 1 acknowledged only after the sink made it durable.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileMappings } from '../src/ingest/mapping/compile.js';
import { startMqttBroker, type RunningMqttBroker } from '../src/ingest/mqtt/broker.js';
import type { DeviceIdentity } from '../src/ingest/mqtt/authorize.js';
import type { IngestResult, IngestSink, Point, PointBatch } from '../src/ingest/points.js';

export interface DeadLetter {
  readonly source: string;
  readonly code: string;
  readonly reason: string;
  readonly payload: string;
  readonly topic: string | undefined;
}

export class MemorySink implements IngestSink {
  readonly batches: PointBatch[] = [];
  readonly deadLetters: DeadLetter[] = [];
  /** Ordered events: "ingest:<topic-ish>", "durable:<n>", and whatever the test pushes. */
  readonly log: string[] = [];
  pending = 0;
  maxPending = 0;
  #hold: Promise<void> | undefined;
  #holdField: string | undefined;
  #release: (() => void) | undefined;

  get points(): Point[] {
    return this.batches.flatMap((b) => b.points);
  }

  /** From now on, `ingest` (of batches starting with `field`, or all) waits until `release()`. */
  hold(field?: string): void {
    this.#holdField = field;
    this.#hold = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    this.#release?.();
    this.#hold = undefined;
  }

  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.pending);
    this.log.push(`ingest:${batch.points[0]?.field ?? ''}`);
    const field = batch.points[0]?.field;
    if (this.#hold && (this.#holdField === undefined || this.#holdField === field)) await this.#hold;
    this.batches.push(batch);
    this.pending--;
    this.log.push(`durable:${batch.points[0]?.field ?? ''}`);
    return { accepted: batch.points.length, rejected: [] };
  }

  reject(source: string, code: string, reason: string, payload: string | Uint8Array, topic?: string): void {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    this.deadLetters.push({ source, code, reason, payload: text, topic });
  }
}

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const MAPPINGS = compileMappings({
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
    { topic: 'plant/{line}/{station}/+/value', twin: '88.100.1/{line}/{station}', field: 'value' },
    { topic: 'gateways/{gw}/points', twin: '88.100.1/{gw}', payload: 'envelope' },
  ],
});
const DEVICES: Record<string, { password: string; device: DeviceIdentity }> = {
  'st-03': {
    password: 's3cret',
    device: { id: 'st-03', topics: ['plant/line-1/st-03/#', 'unmapped/st-03'] },
  },
  'st-04': { password: 'other', device: { id: 'st-04', topics: ['plant/line-1/st-04/#'] } },
  gw: { password: 'gw-pass', device: { id: 'gw', topics: ['gateways/line-1/points'] } },
};

let sink: MemorySink;
let broker: RunningMqttBroker;
let url: string;
const clients: MqttClient[] = [];

let connections = 0;
async function device(username: string, password = DEVICES[username]?.password, protocolVersion: 4 | 5 = 4) {
  const client = await connectAsync(url, {
    username,
    // Client ids are bound to the device: its id, or its id, "/" and a suffix of its own.
    clientId: `${username}/${++connections}`,
    ...(password === undefined ? {} : { password }),
    protocolVersion,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sink = new MemorySink();
  broker = await startMqttBroker({
    port: 0,
    sink,
    mappings: MAPPINGS,
    now: () => NOW,
    authenticate: (username, password) =>
      DEVICES[username]?.password === password ? DEVICES[username]?.device : undefined,
  });
  url = `mqtt://127.0.0.1:${broker.port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await broker.close();
});

describe('embedded MQTT broker', () => {
  it('ingests every payload shape from an authenticated device', async () => {
    const c = await device('st-03');
    await c.publishAsync('plant/line-1/st-03/telemetry', '{"temp": 212, "vib": 2000, "state": "run"}', {
      qos: 1,
    });
    await c.publishAsync('plant/line-1/st-03/pressure/value', '21.5', { qos: 1 });
    await c.publishAsync(
      'plant/line-1/st-03/telemetry',
      '[{"ts": 1748779100, "vib": 1000}, {"ts": 1748779160000, "vib": 3000}]',
      { qos: 1 },
    );
    const gw = await device('gw');
    await gw.publishAsync(
      'gateways/line-1/points',
      JSON.stringify({
        points: [{ twin: '88.100.1/line-1/st-09', field: 'speed', time: '2025-06-01T11:00:00Z', value: 0.5 }],
      }),
      { qos: 1 },
    );
    const twin = '88.100.1/line-1/st-03';
    expect(sink.points).toEqual([
      { twin, field: 'temperature', time: NOW, value: expect.closeTo(100, 9) },
      { twin, field: 'vibration', time: NOW, value: 2 },
      { twin, field: 'state', time: NOW, value: 'run' },
      { twin, field: 'value', time: NOW, value: 21.5 },
      { twin, field: 'vibration', time: 1748779100000, value: 1 },
      { twin, field: 'vibration', time: 1748779160000, value: 3 },
      { twin: '88.100.1/line-1/st-09', field: 'speed', time: Date.UTC(2025, 5, 1, 11), value: 0.5 },
    ]);
    expect(sink.batches.every((b) => b.source === 'mqtt')).toBe(true);
  });

  it('sends the QoS 1 PUBACK only after the sink has made the points durable', async () => {
    const slow = await device('st-03');
    const other = await device('st-04');
    sink.hold('state');
    const acked = slow
      .publishAsync('plant/line-1/st-03/telemetry', '{"state": "held"}', { qos: 1 })
      .then(() => {
        sink.log.push('puback:state');
      });
    await vi.waitFor(() => expect(sink.log).toContain('ingest:state'), { timeout: 5000 });
    // A full round trip through the broker on another connection: the held message had every
    // chance to be acknowledged meanwhile, and was not.
    await other.publishAsync('plant/line-1/st-04/telemetry', '{"vib": 1}', { qos: 1 });
    try {
      expect(sink.log).not.toContain('puback:state');
    } finally {
      sink.release();
    }
    await acked;
    const order = sink.log.filter((e) => e.endsWith(':state') && e !== 'ingest:state');
    expect(order.slice(-2)).toEqual(['durable:state', 'puback:state']);
  });

  it('lets concurrent messages from several devices ingest at the same time', async () => {
    const a = await device('st-03');
    const b = await device('st-04');
    const c = await device('gw');
    sink.maxPending = 0;
    sink.hold();
    const sent = [
      a.publishAsync('plant/line-1/st-03/telemetry', '{"vib": 1}', { qos: 1 }),
      b.publishAsync('plant/line-1/st-04/telemetry', '{"vib": 2}', { qos: 1 }),
      c.publishAsync(
        'gateways/line-1/points',
        '{"points":[{"twin":"88.100.1/line-1/x","field":"vib","value":3}]}',
        { qos: 1 },
      ),
    ];
    try {
      await vi.waitFor(() => expect(sink.pending).toBe(3), { timeout: 5000 });
    } finally {
      sink.release();
    }
    await Promise.all(sent);
    expect(sink.maxPending).toBe(3);
  });

  it('refuses wrong passwords and anonymous connections', async () => {
    await expect(device('st-03', 'wrong')).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000 })).rejects.toThrow(
      /Not authorized|Bad username/i,
    );
    expect(broker.stats().connectionsRefused).toBeGreaterThanOrEqual(2);
  });

  it('refuses and reports a publish to another device topic', async () => {
    const c = await device('st-04');
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish('plant/line-1/st-03/telemetry', '{"state": "spoofed"}', { qos: 0 });
    await closed;
    expect(sink.deadLetters.at(-1)).toMatchObject({
      code: 'IMV_INGEST_TOPIC_FORBIDDEN',
      topic: 'plant/line-1/st-03/telemetry',
      payload: '{"state": "spoofed"}',
    });
    expect(sink.points.some((p) => p.value === 'spoofed')).toBe(false);
    expect(broker.stats().rejectedByCode.IMV_INGEST_TOPIC_FORBIDDEN).toBe(1);
  });

  it('dead-letters malformed and unmapped messages, acknowledges them, and carries on', async () => {
    const c = await device('st-03');
    await c.publishAsync('plant/line-1/st-03/telemetry', 'not json {', { qos: 1 });
    await c.publishAsync('unmapped/st-03', '1', { qos: 1 });
    await c.publishAsync('plant/line-1/st-03/telemetry', '{"temp": "NaN", "vib": 5000}', { qos: 1 });
    await c.publishAsync('plant/line-1/st-03/telemetry', '{"state": "after"}', { qos: 1 });
    const codes = sink.deadLetters.slice(-3).map((d) => d.code);
    expect(codes).toEqual([
      'IMV_INGEST_PAYLOAD_MALFORMED',
      'IMV_INGEST_UNMAPPED',
      'IMV_INGEST_VALUE_INVALID',
    ]);
    expect(sink.points.at(-2)).toMatchObject({ field: 'vibration', value: 5 });
    expect(sink.points.at(-1)).toMatchObject({ field: 'state', value: 'after' });
    const stats = broker.stats();
    expect(stats.rejectedByCode).toMatchObject({
      IMV_INGEST_PAYLOAD_MALFORMED: 1,
      IMV_INGEST_UNMAPPED: 1,
      IMV_INGEST_VALUE_INVALID: 1,
    });
    expect(stats.connectedClients).toBeGreaterThan(0);
  });

  // aedes 1.2 speaks MQTT 3.1 and 3.1.1 only (its README: "MQTT 5.0 (not support yet)"). An MQTT 5
  // device is refused with a clear CONNACK; MQTT 5 devices connect through an external broker.
  it('refuses MQTT 5 clients cleanly and serves MQTT 3.1 ones', async () => {
    await expect(device('st-03', undefined, 5)).rejects.toThrow(/Unacceptable protocol version/);
    const v31 = await connectAsync(url, {
      username: 'st-03',
      password: 's3cret',
      protocolVersion: 3,
      protocolId: 'MQIsdp',
      clientId: 'st-03/v31',
      reconnectPeriod: 0,
    });
    clients.push(v31);
    await v31.publishAsync('plant/line-1/st-03/telemetry', '{"state": "v31"}', { qos: 1 });
    expect(sink.points.at(-1)).toMatchObject({ field: 'state', value: 'v31' });
  });

  it('survives garbage on the wire', async () => {
    const socket = createConnection(broker.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
    socket.write(randomBytes(4096));
    await closed;
    const c = await device('st-03');
    await c.publishAsync('plant/line-1/st-03/telemetry', '{"state": "alive"}', { qos: 1 });
    expect(sink.points.at(-1)).toMatchObject({ value: 'alive' });
  });

  it('lets a device subscribe only within its own topics', async () => {
    const c = await device('st-03');
    const granted = await c.subscribeAsync('plant/line-1/st-03/cmd', { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    await expect(c.subscribeAsync('plant/line-1/#')).rejects.toThrow(/Subscribe error/);
  });
});
