// MQTT 5 devices reach Imverse through an external broker (the embedded one speaks MQTT 3.1.1): a
// device publishes JSON with MQTT 5 to a real Mosquitto, Imverse subscribes with MQTT 5 as
// sources.yaml says, and the value lands in twin state and history.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSources } from '../src/server/sources.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { startTestPlatform } from './helpers/platform.js';

const CNC = '88.100.1/line-1/st-01/cnc';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function dataDirWith(sources: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-mqtt5-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'sources.yaml'), stringify(sources));
  return dir;
}

describe('MQTT 5 through an external broker', () => {
  it('takes JSON that an MQTT 5 device publishes to Mosquitto into twin state and history', async () => {
    const mosquitto = await startMosquitto(10_000, { logConnections: true });
    const dataDir = dataDirWith({
      mqtt: [{ url: mosquitto.url, topics: ['plant/#'], clientId: 'imverse-mqtt5', protocolVersion: 5 }],
    });
    const p = await startTestPlatform({ demo: true, dataDir });
    const device = await mqtt.connectAsync(mosquitto.url, {
      clientId: 'device-mqtt5',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    try {
      await expect
        .poll(
          async () => ((await (await p.api('/api/v1/ingest/stats')).json()) as any).mqttSources[0].state,
          {
            timeout: 10_000,
          },
        )
        .toBe('connected');
      const ts = Date.now() - 1000;
      await device.publishAsync(
        'plant/line-1/st-01/cnc/telemetry',
        JSON.stringify({ temperature: 57.25, ts }),
        {
          qos: 1,
          properties: { contentType: 'application/json', userProperties: { gateway: 'gw-7' } },
        },
      );
      await expect
        .poll(
          async () =>
            (
              (await (await p.api(`/api/v1/twins/${encodeURIComponent(CNC)}`)).json()) as {
                temperature?: unknown;
              }
            ).temperature,
          { timeout: 10_000, interval: 100 },
        )
        .toBe(57.25);
      const history = (await (
        await p.api(
          `/api/v1/twins/${encodeURIComponent(CNC)}/telemetry?field=temperature&from=${ts - 1}&to=${ts + 1}`,
        )
      ).json()) as any;
      expect(history.series[0].samples).toEqual([expect.objectContaining({ time: ts, value: 57.25 })]);
      // Both ends spoke MQTT 5 (Mosquitto logs "p5" for protocol version 5).
      expect(mosquitto.log()).toMatch(/as device-mqtt5 \(p5\b/);
      expect(mosquitto.log()).toMatch(/as imverse-mqtt5 \(p5\b/);
    } finally {
      await device.endAsync();
      await p.close();
      await mosquitto.stop();
    }
  });

  it('refuses a protocol version it does not speak, and a session expiry without MQTT 5', async () => {
    const url = 'mqtt://127.0.0.1:1883';
    await expect(
      startTestPlatform({
        dataDir: dataDirWith({ mqtt: [{ url, topics: ['plant/#'], protocolVersion: 3 }] }),
      }),
    ).rejects.toMatchObject({
      code: 'IMV_CONFIG_INVALID',
      issues: [
        {
          path: '/mqtt/0/protocolVersion',
          message: expect.stringMatching(/must be the number 4 \(MQTT 3\.1\.1, the default\) or 5/),
        },
      ],
    });
    await expect(
      startTestPlatform({
        dataDir: dataDirWith({ mqtt: [{ url, topics: ['plant/#'], protocolVersion: '5' }] }),
      }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ message: expect.stringContaining('not "5"') })],
    });
    await expect(
      startTestPlatform({
        dataDir: dataDirWith({ mqtt: [{ url, topics: ['plant/#'], sessionExpirySeconds: 3600 }] }),
      }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: '/mqtt/0/sessionExpirySeconds',
          message: expect.stringMatching(/only MQTT 5 has a session expiry/),
        },
      ],
    });
  });

  it('the sources.yaml examples of docs/connectors.md are valid', async () => {
    const doc = readFileSync(new URL('../docs/connectors.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n(?:# sources\.yaml\n)?(mqtt:[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      const sources = await compileSources(parse(block), 'docs/connectors.md');
      expect(sources.mqtt.length).toBeGreaterThan(0);
    }
    const mqtt5 = await compileSources(parse(blocks.find((b) => b.includes('protocolVersion: 5'))!), 'docs');
    expect(mqtt5.mqtt[0]?.protocolVersion).toBe(5);
  });
});
