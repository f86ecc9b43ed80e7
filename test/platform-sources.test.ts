// The platform reading from real external sources configured in sources.yaml (a Mosquitto broker,
// an OPC UA server), and keeping history in a real PostgreSQL when configured to.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto } from './helpers/mosquitto.js';
import { startOpcUaServer } from './helpers/opcua-server.js';
import { startPostgres } from './helpers/postgres.js';
import { startTestPlatform } from './helpers/platform.js';

const CNC = '88.100.1/line-1/st-01/cnc';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-sources-'));
  dirs.push(dir);
  return dir;
}

async function temperature(api: (path: string) => Promise<Response>): Promise<unknown> {
  return ((await (await api(`/api/v1/twins/${encodeURIComponent(CNC)}`)).json()) as { temperature?: unknown })
    .temperature;
}

describe('sources.yaml', () => {
  it('subscribes to an external MQTT broker (Mosquitto)', async () => {
    const mosquitto = await startMosquitto();
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'sources.yaml'),
      stringify({ mqtt: [{ url: mosquitto.url, topics: ['plant/#'], clientId: 'imverse-test' }] }),
    );
    const p = await startTestPlatform({ demo: true, dataDir });
    try {
      const publisher = await mqtt.connectAsync(mosquitto.url, { reconnectPeriod: 0 });
      await expect
        .poll(
          async () => {
            await publisher.publishAsync(
              'plant/line-1/st-01/cnc/telemetry',
              JSON.stringify({ temperature: 55.5 }),
              { qos: 1 },
            );
            return temperature((path) => p.api(path));
          },
          { timeout: 10_000, interval: 300 },
        )
        .toBe(55.5);
      await publisher.endAsync();
      const stats = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
      expect(stats.mqttSources[0].state).toBe('connected');
    } finally {
      await p.close();
      await mosquitto.stop();
    }
  });

  it('monitors an OPC UA server', async () => {
    const server = await startOpcUaServer();
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'sources.yaml'),
      stringify({
        opcua: [
          {
            endpointUrl: server.endpointUrl,
            pkiFolder: join(dataDir, 'pki'),
            nodes: [{ nodeId: 'ns=1;s=Temperature', twin: CNC, field: 'temperature' }],
          },
        ],
      }),
    );
    const p = await startTestPlatform({ demo: true, dataDir });
    try {
      server.set('Temperature', 61.25, { sourceTimestamp: new Date() });
      await expect
        .poll(() => temperature((path) => p.api(path)), { timeout: 15_000, interval: 200 })
        .toBe(61.25);
    } finally {
      await p.close();
      await server.dispose();
    }
  });

  it('refuses a broken sources file before starting anything', async () => {
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'sources.yaml'),
      stringify({ mqtt: [{ url: 'http://x', topics: [] }], opcua: [{}] }),
    );
    await expect(startTestPlatform({ dataDir })).rejects.toMatchObject({
      code: 'IMV_CONFIG_INVALID',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: '/mqtt/0/url' }),
        expect.objectContaining({ path: '/mqtt/0/topics' }),
      ]),
    });
  });
});

describe('history in PostgreSQL', () => {
  it('keeps device values in PostgreSQL when configured to', async () => {
    const pg = await startPostgres();
    const p = await startTestPlatform({ demo: true, history: 'postgres', postgresUrl: pg.connectionString });
    try {
      const time = Date.now() - 1000;
      const res = await p.api('/api/v1/ingest', {
        method: 'POST',
        json: { points: [{ twin: CNC, field: 'temperature', time, value: 47.5 }] },
      });
      expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
      const history = (await (
        await p.api(
          `/api/v1/twins/${encodeURIComponent(CNC)}/telemetry?field=temperature&from=${time}&to=${time + 1}`,
        )
      ).json()) as any;
      expect(history.series[0].samples).toEqual([expect.objectContaining({ time, value: 47.5 })]);
    } finally {
      await p.close();
      await pg.stop();
    }
  });
});
