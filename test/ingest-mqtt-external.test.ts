// Imverse subscribed to a real Mosquitto: messages reach the sink, and QoS 1 messages published
// while Imverse was away arrive when it comes back with the same client id (persistent session).
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileMappings } from '../src/ingest/mapping/compile.js';
import { connectMqttSource, type MqttSource, type MqttSourceState } from '../src/ingest/mqtt/client.js';
import type { IngestResult, IngestSink, Point, PointBatch } from '../src/ingest/points.js';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.js';

class CollectingSink implements IngestSink {
  readonly points: Point[] = [];
  readonly deadLetters: { code: string; topic: string | undefined }[] = [];
  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.points.push(...batch.points);
    return { accepted: batch.points.length, rejected: [] };
  }
  reject(_source: string, code: string, _reason: string, _payload: unknown, topic?: string): void {
    this.deadLetters.push({ code, topic });
  }
}

const MAPPINGS = compileMappings({
  mappings: [
    {
      topic: 'site/{line}/{station}/state',
      twin: '88.100.1/{line}/{station}',
      fields: { n: { field: 'count', type: 'number' }, s: 'state' },
    },
  ],
});

let mosquitto: TestMosquitto;
let publisher: MqttClient;
const sources: MqttSource[] = [];

function source(
  sink: IngestSink,
  clientId: string,
  extra: { protocolVersion?: 4 | 5; onStateChange?: (s: MqttSourceState) => void } = {},
) {
  const s = connectMqttSource({
    url: mosquitto.url,
    clientId,
    topics: ['site/#'],
    sink,
    mappings: MAPPINGS,
    qos: 1,
    reconnectPeriodMs: 200,
    ...extra,
  });
  sources.push(s);
  return s;
}

beforeAll(async () => {
  mosquitto = await startMosquitto();
  publisher = await connectAsync(mosquitto.url, { clientId: 'test-publisher', reconnectPeriod: 0 });
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
  await publisher?.endAsync();
  await mosquitto?.stop();
});

describe('external MQTT broker (Mosquitto)', () => {
  it('subscribes, decodes and ingests, and reports its connection state', async () => {
    const sink = new CollectingSink();
    const states: MqttSourceState[] = [];
    const s = source(sink, 'imverse-test-a', { onStateChange: (state) => states.push(state) });
    await s.connected(10_000);
    await publisher.publishAsync('site/line-1/st-01/state', '{"n": 3, "s": "run"}', { qos: 1 });
    await publisher.publishAsync('site/unmapped', '1', { qos: 1 });
    await vi.waitFor(() => expect(sink.points).toHaveLength(2), { timeout: 5000 });
    expect(sink.points.map((p) => [p.twin, p.field, p.value])).toEqual([
      ['88.100.1/line-1/st-01', 'count', 3],
      ['88.100.1/line-1/st-01', 'state', 'run'],
    ]);
    await vi.waitFor(
      () => expect(sink.deadLetters).toEqual([{ code: 'IMV_INGEST_UNMAPPED', topic: 'site/unmapped' }]),
      { timeout: 5000 },
    );
    expect(states).toContain('connected');
    expect(s.stats()).toMatchObject({
      state: 'connected',
      pointsAccepted: 2,
      rejectedByCode: { IMV_INGEST_UNMAPPED: 1 },
    });
    await s.close();
    expect(s.state).toBe('closed');
  });

  for (const protocolVersion of [4, 5] as const) {
    it(`receives the QoS 1 messages published while it was away (MQTT ${protocolVersion === 4 ? '3.1.1' : '5'})`, async () => {
      const sink = new CollectingSink();
      const clientId = `imverse-test-persistent-v${protocolVersion}`;
      const first = source(sink, clientId, { protocolVersion });
      await first.connected(10_000);
      await first.close();

      for (let i = 1; i <= 5; i++) {
        await publisher.publishAsync(`site/line-2/st-0${i}/state`, JSON.stringify({ n: i }), { qos: 1 });
      }
      expect(sink.points).toEqual([]);

      const again = source(sink, clientId, { protocolVersion });
      await again.connected(10_000);
      await vi.waitFor(() => expect(sink.points).toHaveLength(5), { timeout: 10_000 });
      expect(sink.points.map((p) => p.value).sort()).toEqual([1, 2, 3, 4, 5]);
      await again.close();
    });
  }
});
