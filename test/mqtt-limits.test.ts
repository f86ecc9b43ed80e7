// The embedded broker's limits, tried as an attacker on loopback would: huge declared packets and
// silent sockets before CONNECT, too many connections, another device's client id, retained
// messages past the payload limit and past the store's bounds, invented Sparkplug edge nodes.
// Every refusal is counted at the `mqtt` edge; those of a known device are security events.
import { createConnection, type Socket } from 'node:net';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { RefusalCounter } from '../src/core/refusals.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData } from '../src/core/wire.js';
import { compileMappings } from '../src/ingest/mapping/compile.js';
import type { DeviceIdentity } from '../src/ingest/mqtt/authorize.js';
import {
  startMqttBroker,
  type MqttBrokerOptions,
  type RunningMqttBroker,
} from '../src/ingest/mqtt/broker.js';
import type { IngestResult, IngestSink, PointBatch } from '../src/ingest/points.js';

class Sink implements IngestSink {
  readonly batches: PointBatch[] = [];
  readonly deadLetters: { code: string; topic: string | undefined }[] = [];
  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.batches.push(batch);
    return { accepted: batch.points.length, rejected: [] };
  }
  reject(_source: string, code: string, _reason: string, _payload: unknown, topic?: string): void {
    this.deadLetters.push({ code, topic });
  }
}

const MAPPINGS = compileMappings({
  mappings: [
    { topic: 'plant/{line}/{station}/+/value', twin: '88.100.1/{line}/{station}', field: 'value' },
    { topic: 'spBv1.0/{group}/#', payload: 'sparkplug', twin: '88.100.1/{edgeNode}/{device}' },
  ],
});
const PASSWORD = 'pw';
const DEVICES: Record<string, DeviceIdentity> = {
  'st-03': { id: 'st-03', topics: ['plant/line-1/st-03/#'] },
  'st-04': { id: 'st-04', topics: ['plant/line-1/st-04/#'] },
  gateway: { id: 'gateway', topics: ['spBv1.0/line-1/#'] },
};

interface TestBroker {
  readonly broker: RunningMqttBroker;
  readonly sink: Sink;
  readonly refusals: RefusalCounter;
  readonly events: { type: string; data: SecurityEventData }[];
  device(id: string, options?: IClientOptions): Promise<MqttClient>;
  socket(): Promise<Socket>;
}

const brokers: RunningMqttBroker[] = [];
const clients: MqttClient[] = [];
const sockets: Socket[] = [];

async function startBroker(limits: Partial<MqttBrokerOptions> = {}): Promise<TestBroker> {
  const sink = new Sink();
  const refusals = new RefusalCounter();
  const events: { type: string; data: SecurityEventData }[] = [];
  const broker = await startMqttBroker({
    port: 0,
    sink,
    mappings: MAPPINGS,
    maxPayloadBytes: 1024,
    maxPacketBytes: 4096,
    ...limits,
    refusals,
    onSecurityEvent: (type, data) => events.push({ type, data }),
    authenticate: (username, password) => (password === PASSWORD ? DEVICES[username] : undefined),
  });
  brokers.push(broker);
  const url = `mqtt://127.0.0.1:${broker.port}`;
  return {
    broker,
    sink,
    refusals,
    events,
    async device(id, options = {}) {
      const client = await connectAsync(url, {
        username: id,
        password: PASSWORD,
        clientId: id,
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...options,
      });
      clients.push(client);
      return client;
    },
    async socket() {
      const socket = createConnection(broker.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    },
  };
}

function closed(socket: Socket): Promise<void> {
  return socket.destroyed
    ? Promise.resolve()
    : new Promise((resolve) => socket.once('close', () => resolve()));
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

afterAll(async () => {
  await Promise.all(brokers.map((b) => b.close()));
});

describe('MQTT broker limits before authentication', () => {
  it('closes a connection declaring a huge packet before CONNECT, without reading it', async () => {
    const { socket, refusals } = await startBroker();
    const s = await socket();
    const gone = closed(s);
    // CONNECT with a remaining length of 256 MB, then data for as long as the broker takes it.
    s.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    let sent = 0;
    for (let i = 0; i < 64 && !s.destroyed; i++) {
      const ok = s.write(Buffer.alloc(64 * 1024, 1));
      sent += 64 * 1024;
      if (!ok) await Promise.race([new Promise((resolve) => s.once('drain', resolve)), gone]);
    }
    await vi.waitFor(() => expect(s.destroyed).toBe(true), { timeout: 5000 });
    await gone;
    expect(refusals.get('mqtt', 'IMV_MQTT_PACKET_TOO_LARGE')).toBe(1);
    expect(sent).toBeLessThanOrEqual(64 * 64 * 1024);
  });

  it('closes an authenticated connection on a packet over the limit, and keeps one within it', async () => {
    const { device, sink, refusals } = await startBroker();
    const c = await device('st-03');
    // Over the payload limit (1 KiB) but within the packet limit (4 KiB): dead-lettered, connection kept.
    await c.publishAsync('plant/line-1/st-03/p/value', '1'.repeat(2000), { qos: 1 });
    expect(sink.deadLetters.at(-1)).toMatchObject({ code: 'IMV_INGEST_PAYLOAD_TOO_LARGE' });
    await c.publishAsync('plant/line-1/st-03/p/value', '21.5', { qos: 1 });
    expect(sink.batches.at(-1)?.points[0]).toMatchObject({ value: 21.5 });
    const gone = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish('plant/line-1/st-03/p/value', '1'.repeat(8000), { qos: 1 });
    await gone;
    expect(refusals.get('mqtt', 'IMV_MQTT_PACKET_TOO_LARGE')).toBe(1);
  });

  it('closes a connection that sends no CONNECT, or only part of one, in time', async () => {
    const { socket, refusals } = await startBroker({ connectTimeoutMs: 200 });
    const silent = await socket();
    const partial = await socket();
    // A CONNECT of 40 bytes of which 3 ever arrive.
    partial.write(Buffer.from([0x10, 40, 0, 4, 0x4d]));
    await Promise.all([closed(silent), closed(partial)]);
    expect(refusals.get('mqtt', 'IMV_MQTT_CONNECT_TIMEOUT')).toBe(2);
  });

  it('refuses connections beyond the limit at accept, and accepts again once one closes', async () => {
    const { device, socket, refusals, broker } = await startBroker({ maxConnections: 2 });
    const first = await device('st-03');
    await device('st-04');
    const third = await socket();
    await closed(third);
    expect(refusals.get('mqtt', 'IMV_MQTT_CONNECTIONS_FULL')).toBe(1);
    await first.endAsync();
    await vi.waitFor(() => expect(broker.stats().connectedClients).toBe(1), { timeout: 5000 });
    const again = await device('st-03');
    expect(again.connected).toBe(true);
  });

  it('refuses a packet limit below the payload limit at start', async () => {
    await expect(startBroker({ maxPayloadBytes: 8192, maxPacketBytes: 4096 })).rejects.toThrow(
      /mqttMaxPacketBytes/,
    );
  });
});

describe('MQTT client ids are bound to the authenticated device', () => {
  it("never lets a device take over another device's session", async () => {
    const { device, refusals, events } = await startBroker();
    const victim = await device('st-03', { clean: false });
    let kicked = false;
    victim.on('close', () => (kicked = true));
    await expect(device('st-04', { clientId: 'st-03', clean: false })).rejects.toThrow(/Not authorized/i);
    await expect(device('st-04', { clientId: 'st-03/x' })).rejects.toThrow(/Not authorized/i);
    // The victim is still connected: a round trip on its own connection proves it.
    await victim.publishAsync('plant/line-1/st-03/p/value', '1', { qos: 1 });
    expect(kicked).toBe(false);
    expect(refusals.get('mqtt', 'IMV_MQTT_CLIENT_ID_FORBIDDEN')).toBe(2);
    expect(events.at(-1)).toEqual({
      type: SECURITY_EVENT_TYPES.accessRefused,
      data: {
        actor: 'st-04',
        credential: 'device:st-04',
        action: 'mqtt.connect',
        target: 'st-03/x',
        source: '127.0.0.1',
        result: 'refused',
        code: 'IMV_MQTT_CLIENT_ID_FORBIDDEN',
      },
    });
  });

  it('accepts the device id and the device id, "/" and a suffix; refuses look-alikes and random ids', async () => {
    const { device } = await startBroker();
    await device('st-03');
    await device('st-03', { clientId: 'st-03/spare' });
    await expect(device('st-03', { clientId: 'st-03-spare' })).rejects.toThrow(/Not authorized/i);
    await expect(device('st-03', { clientId: 'mqttjs_1234abcd' })).rejects.toThrow(/Not authorized/i);
  });

  it('counts wrong credentials and tells the audit log who was claimed', async () => {
    const { device, refusals, events } = await startBroker();
    await expect(device('st-03', { password: 'wrong' })).rejects.toThrow(/Bad username or password/i);
    expect(refusals.get('mqtt', 'IMV_MQTT_CREDENTIALS_INVALID')).toBe(1);
    expect(events.at(-1)).toMatchObject({
      type: SECURITY_EVENT_TYPES.signInFailed,
      data: {
        actor: 'st-03',
        action: 'mqtt.connect',
        result: 'refused',
        code: 'IMV_MQTT_CREDENTIALS_INVALID',
      },
    });
  });
});

describe('Retained messages are bounded', () => {
  /** The retained messages a new subscriber to `filter` gets: those before a live sentinel message. */
  async function retainedFor(
    client: MqttClient,
    filter: string,
    sentinelTopic: string,
  ): Promise<Map<string, number>> {
    const seen = new Map<string, number>();
    const sentinel = new Promise<void>((resolve) =>
      client.on('message', (topic, payload, packet) => {
        if (topic === sentinelTopic && !packet.retain) resolve();
        else if (packet.retain) seen.set(topic, payload.length);
      }),
    );
    await client.subscribeAsync(filter, { qos: 1 });
    await client.publishAsync(sentinelTopic, '0', { qos: 1 });
    await sentinel;
    return seen;
  }

  it('does not retain a message over the payload limit, and still dead-letters it', async () => {
    const { device, sink, refusals, events } = await startBroker();
    const c = await device('st-03');
    await c.publishAsync('plant/line-1/st-03/big/value', '1'.repeat(3000), { qos: 1, retain: true });
    await c.publishAsync('plant/line-1/st-03/small/value', '7', { qos: 1, retain: true });
    expect(sink.deadLetters.at(-1)).toMatchObject({ code: 'IMV_INGEST_PAYLOAD_TOO_LARGE' });
    const reader = await device('st-03', { clientId: 'st-03/reader' });
    const retained = await retainedFor(reader, 'plant/line-1/st-03/#', 'plant/line-1/st-03/sentinel/value');
    expect([...retained.keys()]).toEqual(['plant/line-1/st-03/small/value']);
    expect(refusals.get('mqtt', 'IMV_MQTT_RETAINED_TOO_LARGE')).toBe(1);
    expect(events.at(-1)).toMatchObject({
      data: { actor: 'st-03', action: 'mqtt.retain', code: 'IMV_MQTT_RETAINED_TOO_LARGE' },
    });
  });

  it('keeps at most the configured retained messages; a cleared one makes room', async () => {
    const { device, sink, refusals, broker } = await startBroker({ retainedMaxMessages: 2 });
    const c = await device('st-03');
    for (const n of [1, 2, 3, 4]) {
      await c.publishAsync(`plant/line-1/st-03/r${n}/value`, String(n), { qos: 1, retain: true });
    }
    // Every message was still ingested: only retaining it was refused.
    expect(sink.batches.map((b) => b.points[0]?.value)).toEqual([1, 2, 3, 4]);
    expect(refusals.get('mqtt', 'IMV_MQTT_RETAINED_FULL')).toBe(2);
    expect(broker.stats()).toMatchObject({ retainedMessages: 2 });
    // An empty retained message clears r1, and r5 takes its place.
    await c.publishAsync('plant/line-1/st-03/r1/value', '', { qos: 1, retain: true });
    await c.publishAsync('plant/line-1/st-03/r5/value', '5', { qos: 1, retain: true });
    const reader = await device('st-03', { clientId: 'st-03/reader' });
    const retained = await retainedFor(reader, 'plant/line-1/st-03/#', 'plant/line-1/st-03/sentinel/value');
    expect([...retained.keys()].sort()).toEqual([
      'plant/line-1/st-03/r2/value',
      'plant/line-1/st-03/r5/value',
    ]);
  });

  it('keeps at most the configured retained bytes', async () => {
    const { device, refusals } = await startBroker({ retainedMaxBytes: 1500 });
    const c = await device('st-03');
    await c.publishAsync('plant/line-1/st-03/a/value', '1'.repeat(1000), { qos: 1, retain: true });
    await c.publishAsync('plant/line-1/st-03/b/value', '2'.repeat(1000), { qos: 1, retain: true });
    // Replacing a retained message counts its new size, not both.
    await c.publishAsync('plant/line-1/st-03/a/value', '3'.repeat(900), { qos: 1, retain: true });
    expect(refusals.get('mqtt', 'IMV_MQTT_RETAINED_FULL')).toBe(1);
  });
});

describe('Sparkplug state through the broker', () => {
  it('refuses edge nodes beyond the limit, dead-letters and counts them', async () => {
    const { device, sink, refusals } = await startBroker({ sparkplugMaxEdgeNodes: 2 });
    const { encodePayload } = sparkplug.get('spBv1.0')!;
    const gw = await device('gateway');
    for (let n = 0; n < 5; n++) {
      const birth = encodePayload({ seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] });
      await gw.publishAsync(`spBv1.0/line-1/NBIRTH/node-${n}`, Buffer.from(birth), { qos: 1 });
    }
    expect(sink.deadLetters.filter((d) => d.code === 'IMV_INGEST_SPARKPLUG_STATE_FULL')).toHaveLength(3);
    expect(refusals.get('mqtt', 'IMV_INGEST_SPARKPLUG_STATE_FULL')).toBe(3);
  });
});
