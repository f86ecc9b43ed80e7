// Sparkplug B edge nodes on the embedded broker: a real MQTT client publishes births, data and
// deaths encoded by Eclipse Tahu's sparkplug-payload, and the points reach the sink.
import { connectAsync, type MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMappings } from '../src/ingest/mapping/compile.js';
import { startMqttBroker, type RunningMqttBroker } from '../src/ingest/mqtt/broker.js';
import type { IngestResult, IngestSink, Point, PointBatch } from '../src/ingest/points.js';

const { encodePayload } = sparkplug.get('spBv1.0')!;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

class MemorySink implements IngestSink {
  readonly batches: PointBatch[] = [];
  readonly deadLetters: { code: string; reason: string; topic: string | undefined }[] = [];
  get points(): Point[] {
    return this.batches.flatMap((b) => b.points);
  }
  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.batches.push(batch);
    return { accepted: batch.points.length, rejected: [] };
  }
  reject(_source: string, code: string, reason: string, _payload: string | Uint8Array, topic?: string): void {
    this.deadLetters.push({ code, reason, topic });
  }
}

const MAPPINGS = compileMappings({
  mappings: [
    {
      topic: 'spBv1.0/plant-a/#',
      payload: 'sparkplug',
      twin: '88.100.1/{edgeNode}/{device}',
      nodeTwin: '88.100.1/{edgeNode}',
      online: 'connected',
      fields: {
        Temperature: { field: 'temperature', unit: 'degF', to: 'degC' },
        'Motor/RPM': 'speed',
      },
      others: 'keep',
    },
  ],
});

let sink: MemorySink;
let broker: RunningMqttBroker;
const clients: MqttClient[] = [];

function metric(
  name: string | undefined,
  type: UMetric['type'],
  value: UMetric['value'],
  extra = {},
): UMetric {
  return { ...(name === undefined ? {} : { name }), type, value, ...extra } as UMetric;
}

async function edgeNode(node: string, bdSeq: number): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
    username: node,
    password: 'pw',
    clientId: node, // the broker binds client ids to the device
    reconnectPeriod: 0,
    connectTimeout: 5000,
    // The broker publishes the NDEATH when the edge node drops off the network.
    will: {
      topic: `spBv1.0/plant-a/NDEATH/${node}`,
      payload: Buffer.from(encodePayload({ metrics: [metric('bdSeq', 'UInt64', bdSeq)] })),
      qos: 1,
      retain: false,
    },
  });
  clients.push(client);
  return client;
}

async function send(client: MqttClient, topic: string, payload: UPayload | Uint8Array): Promise<void> {
  const bytes = payload instanceof Uint8Array ? payload : encodePayload(payload);
  await client.publishAsync(topic, Buffer.from(bytes), { qos: 1 });
}

beforeAll(async () => {
  sink = new MemorySink();
  broker = await startMqttBroker({
    port: 0,
    sink,
    mappings: MAPPINGS,
    now: () => NOW,
    authenticate: (username, password) =>
      password === 'pw' ? { id: username, topics: [`spBv1.0/plant-a/+/${username}/#`] } : undefined,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await broker.close();
});

describe('Sparkplug B on the embedded broker', () => {
  it('ingests births and data by alias, flags a sequence gap, and follows birth and death', async () => {
    const edge = await edgeNode('edge-1', 0);
    const base = 'spBv1.0/plant-a';
    await send(edge, `${base}/NBIRTH/edge-1`, {
      timestamp: NOW - 5000,
      seq: 0,
      metrics: [
        metric('bdSeq', 'UInt64', 0),
        metric('Node Control/Rebirth', 'Boolean', false),
        metric('Firmware', 'String', '2.1.0', { alias: 1 }),
      ],
    });
    await send(edge, `${base}/DBIRTH/edge-1/press-07`, {
      timestamp: NOW - 4000,
      seq: 1,
      metrics: [
        metric('Temperature', 'Float', 212, { alias: 10 }),
        metric('Motor/RPM', 'UInt16', 1450, { alias: 11 }),
        metric('Cycles', 'Int64', 100, { alias: 12 }),
      ],
    });
    await send(edge, `${base}/DDATA/edge-1/press-07`, {
      timestamp: NOW - 3000,
      seq: 2,
      metrics: [
        metric(undefined, 'UInt16', 1500, { alias: 11 }),
        metric(undefined, 'Int64', 101, { alias: 12 }),
      ],
    });
    // Messages 3 and 4 were lost: the gap is recorded, the data kept.
    await send(edge, `${base}/DDATA/edge-1/press-07`, {
      timestamp: NOW - 2000,
      seq: 5,
      metrics: [metric(undefined, 'Int64', 104, { alias: 12 }), metric(undefined, 'Int64', 1, { alias: 42 })],
    });
    await send(edge, `${base}/DDEATH/edge-1/press-07`, { timestamp: NOW - 1000, seq: 6 });

    const node = '88.100.1/edge-1';
    const press = '88.100.1/edge-1/press-07';
    expect(sink.points).toEqual([
      { twin: node, field: 'connected', time: NOW - 5000, value: true },
      { twin: node, field: 'Firmware', time: NOW - 5000, value: '2.1.0' },
      { twin: press, field: 'connected', time: NOW - 4000, value: true },
      { twin: press, field: 'temperature', time: NOW - 4000, value: expect.closeTo(100, 9) },
      { twin: press, field: 'speed', time: NOW - 4000, value: 1450 },
      { twin: press, field: 'Cycles', time: NOW - 4000, value: 100 },
      { twin: press, field: 'speed', time: NOW - 3000, value: 1500 },
      { twin: press, field: 'Cycles', time: NOW - 3000, value: 101 },
      { twin: press, field: 'Cycles', time: NOW - 2000, value: 104 },
      { twin: press, field: 'connected', time: NOW - 1000, value: false },
    ]);
    expect(sink.deadLetters).toEqual([
      {
        code: 'IMV_INGEST_SEQUENCE_GAP',
        reason: expect.stringMatching(/expected sequence number 3, got 5/),
        topic: `${base}/DDATA/edge-1/press-07`,
      },
      {
        code: 'IMV_INGEST_UNMAPPED',
        reason: expect.stringMatching(/value 1: alias 42/),
        topic: `${base}/DDATA/edge-1/press-07`,
      },
    ]);

    // The edge node drops off the network: the broker publishes its will, the NDEATH.
    const before = sink.points.length;
    const died = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (sink.points.length > before) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    edge.stream.destroy();
    await died;
    expect(sink.points.slice(before)).toEqual([{ twin: node, field: 'connected', time: NOW, value: false }]);
    expect(broker.stats()).toMatchObject({
      rejectedByCode: { IMV_INGEST_SEQUENCE_GAP: 1, IMV_INGEST_UNMAPPED: 1 },
    });
  });

  it('dead-letters a payload that is not Sparkplug protobuf, and still acknowledges it', async () => {
    const edge = await edgeNode('edge-2', 0);
    await send(edge, 'spBv1.0/plant-a/NDATA/edge-2', Buffer.from('{"temperature": 21}'));
    expect(sink.deadLetters.at(-1)).toEqual({
      code: 'IMV_INGEST_PAYLOAD_MALFORMED',
      reason: expect.stringMatching(/not a Sparkplug B protobuf/),
      topic: 'spBv1.0/plant-a/NDATA/edge-2',
    });
  });
});
