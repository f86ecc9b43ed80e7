// Imverse asks a Sparkplug B edge node for a rebirth when it has lost track of the node's session
// (a sequence gap, data from a node it has no birth for): a real MQTT client plays the edge node,
// on the platform's embedded broker and through a real Mosquitto.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileMappings } from '../src/ingest/mapping/compile.js';
import { connectMqttSource } from '../src/ingest/mqtt/client.js';
import type { IngestResult, IngestSink, PointBatch } from '../src/ingest/points.js';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const { encodePayload, decodePayload } = sparkplug.get('spBv1.0')!;
const MAPPING = {
  topic: 'spBv1.0/line-1/#',
  payload: 'sparkplug',
  twin: '88.100.1/line-1/{edgeNode}/{device}',
  nodeTwin: '88.100.1/line-1/{edgeNode}/cnc',
  fields: { Temperature: 'temperature' },
};
const clients: MqttClient[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function metric(
  name: string | undefined,
  type: UMetric['type'],
  value: UMetric['value'],
  extra = {},
): UMetric {
  return { ...(name === undefined ? {} : { name }), type, value, ...extra } as UMetric;
}

/** An edge node connected and subscribed to its commands, collecting the NCMDs it receives. */
async function edgeNode(url: string, node: string, options: mqtt.IClientOptions = {}) {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.push(client);
  const commands: UPayload[] = [];
  client.on('message', (topic, payload) => {
    if (topic === `spBv1.0/line-1/NCMD/${node}`) commands.push(decodePayload(payload));
  });
  await client.subscribeAsync(`spBv1.0/line-1/NCMD/${node}`, { qos: 0 });
  return {
    commands,
    send: (type: string, payload: UPayload) =>
      client.publishAsync(`spBv1.0/line-1/${type}/${node}`, Buffer.from(encodePayload(payload)), { qos: 1 }),
  };
}

const REBIRTH = [expect.objectContaining({ name: 'Node Control/Rebirth', type: 'Boolean', value: true })];

describe('Sparkplug rebirth requests on the embedded broker', () => {
  let p: TestPlatform;
  const secrets = new Map<string, string>();
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-rebirth-'));
    dirs.push(dir);
    const mappingsFile = join(dir, 'mappings.yaml');
    writeFileSync(mappingsFile, stringify({ mappings: [MAPPING] }));
    p = await startTestPlatform({ demo: true, mappingsFile });
    for (const id of ['st-01', 'st-02']) {
      const res = await p.api('/api/v1/devices', {
        method: 'POST',
        json: { id, topics: [`spBv1.0/line-1/+/${id}/#`] },
      });
      expect(res.status).toBe(201);
      secrets.set(id, ((await res.json()) as { secret: string }).secret);
    }
  });
  afterAll(async () => p?.close());

  const connect = (id: string) =>
    edgeNode(p.platform.mqtt!.url, id, {
      username: id,
      password: secrets.get(id)!,
      clientId: id, // the broker binds client ids to the device
      protocolVersion: 4,
    });

  it('asks an edge node for a rebirth after a sequence gap', async () => {
    const edge = await connect('st-01');
    const now = Date.now();
    await edge.send('NBIRTH', {
      timestamp: now,
      seq: 0,
      metrics: [metric('bdSeq', 'UInt64', 0), metric('Temperature', 'Double', 40, { alias: 1 })],
    });
    await edge.send('NDATA', {
      timestamp: now,
      seq: 1,
      metrics: [metric(undefined, 'Double', 41, { alias: 1 })],
    });
    // Message 2 is lost.
    await edge.send('NDATA', {
      timestamp: now,
      seq: 3,
      metrics: [metric(undefined, 'Double', 43, { alias: 1 })],
    });
    await vi.waitFor(() => expect(edge.commands).toHaveLength(1), { timeout: 5000 });
    expect(edge.commands[0]!.metrics).toEqual(REBIRTH);
    const stats = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
    expect(stats.mqtt).toMatchObject({
      rebirthsRequested: 1,
      rejectedByCode: { IMV_INGEST_SEQUENCE_GAP: 1 },
    });
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toContain('imverse_sparkplug_rebirths_requested{connector="mqtt"} 1');
    expect(metrics).toContain('imverse_connector_up{connector="mqtt"} 1');
    expect(metrics).toMatch(/imverse_mqtt_clients\{connector="mqtt"\} [1-9]/);
    // The data around the gap was kept.
    const twin = (await (
      await p.api(`/api/v1/twins/${encodeURIComponent('88.100.1/line-1/st-01/cnc')}`)
    ).json()) as any;
    expect(twin.temperature).toBe(43);
  });

  it('asks an edge node it has no birth for, and takes its data once it is born again', async () => {
    const edge = await connect('st-02');
    const now = Date.now();
    // As after a restart of Imverse: the node is mid-session and sends data by alias only.
    await edge.send('NDATA', {
      timestamp: now,
      seq: 17,
      metrics: [metric(undefined, 'Double', 50, { alias: 1 })],
    });
    await vi.waitFor(() => expect(edge.commands).toHaveLength(1), { timeout: 5000 });
    expect(edge.commands[0]!.metrics).toEqual(REBIRTH);
    // The edge node does what the command says.
    await edge.send('NBIRTH', {
      timestamp: now + 1,
      seq: 0,
      metrics: [metric('bdSeq', 'UInt64', 0), metric('Temperature', 'Double', 51, { alias: 1 })],
    });
    await edge.send('NDATA', {
      timestamp: now + 2,
      seq: 1,
      metrics: [metric(undefined, 'Double', 52, { alias: 1 })],
    });
    const twin = (await (
      await p.api(`/api/v1/twins/${encodeURIComponent('88.100.1/line-1/st-02/cnc')}`)
    ).json()) as any;
    expect(twin.temperature).toBe(52);
  });
});

class NullSink implements IngestSink {
  async ingest(batch: PointBatch): Promise<IngestResult> {
    return { accepted: batch.points.length, rejected: [] };
  }
  reject(): void {}
}

describe('Sparkplug rebirth requests through an external broker (Mosquitto)', () => {
  let mosquitto: TestMosquitto;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => mosquitto?.stop());

  it('publishes the NCMD through its own connection, for a node never born and after a gap', async () => {
    const source = connectMqttSource({
      url: mosquitto.url,
      clientId: 'imverse-rebirth-test',
      topics: ['spBv1.0/#'],
      sink: new NullSink(),
      mappings: compileMappings({ mappings: [MAPPING] }),
      reconnectPeriodMs: 200,
    });
    try {
      await source.connected(10_000);
      const unborn = await edgeNode(mosquitto.url, 'st-05');
      await unborn.send('NDATA', { timestamp: Date.now(), seq: 4, metrics: [] });
      await vi.waitFor(() => expect(unborn.commands).toHaveLength(1), { timeout: 5000 });
      expect(unborn.commands[0]!.metrics).toEqual(REBIRTH);

      const gapped = await edgeNode(mosquitto.url, 'st-06');
      await gapped.send('NBIRTH', { timestamp: Date.now(), seq: 0, metrics: [metric('bdSeq', 'UInt64', 0)] });
      await gapped.send('NDATA', { timestamp: Date.now(), seq: 1, metrics: [] });
      await gapped.send('NDATA', { timestamp: Date.now(), seq: 3, metrics: [] });
      await vi.waitFor(() => expect(gapped.commands).toHaveLength(1), { timeout: 5000 });
      expect(gapped.commands[0]!.metrics).toEqual(REBIRTH);
      expect(source.stats()).toMatchObject({ rebirthsRequested: 2 });
    } finally {
      await source.close();
    }
  });
});
