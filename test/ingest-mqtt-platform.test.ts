// Devices publish to the platform's embedded broker: values reach twin state and history, bad
// messages are dead-lettered, and a QoS 1 acknowledgement means the value survives kill -9.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { startImverseProcess } from './helpers/imverse-process.js';
import { freePort } from './helpers/free-port.js';
import { createDevice } from './helpers/devices.js';

const CNC = '88.100.1/line-1/st-01/cnc';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function connect(url: string, username: string, password: string): Promise<mqtt.MqttClient> {
  const client = mqtt.connect(url, {
    username,
    password,
    // The broker binds client ids to the device: its id, "/" and a suffix.
    clientId: `${username}/${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    protocolVersion: 4,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

describe('MQTT into the platform', () => {
  let p: TestPlatform;
  let secret: string;
  beforeAll(async () => {
    p = await startTestPlatform({ demo: true });
    const res = await p.api('/api/v1/devices', {
      method: 'POST',
      json: { id: 'cnc-01', topics: ['plant/line-1/st-01/#'] },
    });
    expect(res.status).toBe(201);
    secret = ((await res.json()) as { secret: string }).secret;
  });
  afterAll(async () => p?.close());

  it('puts a device value into twin state and history once it is acknowledged', async () => {
    const client = await connect(p.platform.mqtt!.url, 'cnc-01', secret);
    const ts = Date.now() - 1000;
    await client.publishAsync(
      'plant/line-1/st-01/cnc/telemetry',
      JSON.stringify({ temperature: 41.25, ts }),
      { qos: 1 },
    );
    const twin = (await (await p.api(`/api/v1/twins/${encodeURIComponent(CNC)}`)).json()) as any;
    expect(twin.temperature).toBe(41.25);
    expect(twin.$metadata.temperature.sourceTime).toBe(new Date(ts).toISOString());
    const history = (await (
      await p.api(
        `/api/v1/twins/${encodeURIComponent(CNC)}/telemetry?field=temperature&from=${ts - 1}&to=${ts + 1}`,
      )
    ).json()) as any;
    expect(history.series[0].samples).toEqual([expect.objectContaining({ time: ts, value: 41.25 })]);
    await client.endAsync();
  });

  it('dead-letters a malformed message and keeps serving the device', async () => {
    const client = await connect(p.platform.mqtt!.url, 'cnc-01', secret);
    await client.publishAsync('plant/line-1/st-01/cnc/telemetry', '{"temperature": ', { qos: 1 });
    await client.publishAsync('plant/line-1/st-01/cnc/telemetry', JSON.stringify({ temperature: 42 }), {
      qos: 1,
    });
    const letters = (await (
      await p.api('/api/v1/ingest/dead-letters?code=IMV_INGEST_PAYLOAD_MALFORMED')
    ).json()) as any;
    expect(letters.value[0]).toMatchObject({ source: 'mqtt', topic: 'plant/line-1/st-01/cnc/telemetry' });
    const twin = (await (await p.api(`/api/v1/twins/${encodeURIComponent(CNC)}`)).json()) as any;
    expect(twin.temperature).toBe(42);
    await client.endAsync();
  });

  it('refuses a publish to another device’s topics and records it', async () => {
    const client = await connect(p.platform.mqtt!.url, 'cnc-01', secret);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('plant/line-2/st-01/press/telemetry', JSON.stringify({ temperature: 1 }), { qos: 1 });
    await closed;
    client.end(true);
    const letters = (await (
      await p.api('/api/v1/ingest/dead-letters?code=IMV_INGEST_TOPIC_FORBIDDEN')
    ).json()) as any;
    expect(letters.value[0].topic).toBe('plant/line-2/st-01/press/telemetry');
    const stats = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
    expect(stats.mqtt.rejectedByCode.IMV_INGEST_TOPIC_FORBIDDEN).toBeGreaterThan(0);
  });

  it('refuses wrong credentials', async () => {
    await expect(connect(p.platform.mqtt!.url, 'cnc-01', 'wrong')).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
  });
});

describe('QoS 1 durability', () => {
  it('keeps every acknowledged point, once, when the platform is killed with SIGKILL under load', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imverse-mqtt-crash-'));
    dirs.push(dataDir);
    const secret = createDevice(dataDir, 'line-1', 'plant/line-1/#');
    const server = await startImverseProcess(dataDir, ['--demo']);
    const stations = ['st-01/cnc', 'st-02/cnc', 'st-03/cnc'];
    const base = Date.now() - 3_600_000;
    const acked = new Map<string, number>(stations.map((s) => [s, 0]));
    // One publisher per machine, each publishing batches of 20 timestamped points, QoS 1, one after another.
    const publishers = stations.map(async (station) => {
      const client = await connect(server.mqtt!, 'line-1', secret);
      client.on('error', () => {});
      // A publish in flight when the server dies is never acknowledged: stop at the connection's close.
      const lost = new Promise<'lost'>((resolve) => client.once('close', () => resolve('lost')));
      for (let batch = 0; batch < 5000; batch++) {
        const points = Array.from({ length: 20 }, (_, i) => ({
          ts: base + batch * 20 + i,
          temperature: batch + i / 100,
        }));
        const publish = client.publishAsync(`plant/line-1/${station}/telemetry`, JSON.stringify(points), {
          qos: 1,
        });
        const outcome = await Promise.race([
          publish.then(
            () => 'acked' as const,
            () => 'lost' as const,
          ),
          lost,
        ]);
        if (outcome === 'lost') break;
        acked.set(station, (batch + 1) * 20);
      }
      client.end(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.child.kill('SIGKILL');
    await Promise.all(publishers);
    expect(Math.min(...acked.values())).toBeGreaterThan(20);

    const restarted = await startImverseProcess(dataDir, ['--demo']);
    try {
      for (const station of stations) {
        const twin = encodeURIComponent(`88.100.1/line-1/${station}`);
        const res = await fetch(
          `${restarted.url}/api/v1/twins/${twin}/telemetry?field=temperature&from=${base}&to=${base + 200_000}&limit=100000`,
          { headers: { authorization: `Bearer ${server.token}` } },
        );
        const times = ((await res.json()) as any).series[0].samples.map((s: { time: number }) => s.time);
        expect(new Set(times).size).toBe(times.length);
        for (let k = 0; k < acked.get(station)!; k++) expect(times[k]).toBe(base + k);
      }
    } finally {
      restarted.child.kill('SIGTERM');
    }
  }, 120_000);
});

describe('device reconnection', () => {
  it('a device that keeps publishing while the platform is down delivers everything once it is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imverse-mqtt-reconnect-'));
    dirs.push(dataDir);
    const secret = createDevice(dataDir, 'cnc-01', 'plant/line-1/st-01/#');
    // The device reconnects to the same address, so the broker's port is fixed for this test.
    const mqttPort = await freePort();
    const args = ['--demo', '--mqtt-port', String(mqttPort)];
    let server = await startImverseProcess(dataDir, args);
    const token = server.token!;
    const device = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
      username: 'cnc-01',
      password: secret,
      clientId: 'cnc-01',
      clean: false,
      reconnectPeriod: 200,
      protocolVersion: 4,
    });
    device.on('error', () => {});
    await new Promise<void>((resolve) => device.once('connect', () => resolve()));
    const base = Date.now() - 60_000;
    const publish = (i: number) =>
      device.publishAsync(
        'plant/line-1/st-01/cnc/telemetry',
        JSON.stringify({ ts: base + i, temperature: i }),
        { qos: 1 },
      );
    await Promise.all([0, 1, 2].map(publish));

    server.child.kill('SIGKILL');
    await new Promise<void>((resolve) => device.once('offline', () => resolve()));
    // Published while the platform is down: the device's client keeps them until it is acknowledged.
    const pending = [3, 4, 5, 6, 7].map(publish);
    server = await startImverseProcess(dataDir, args);
    try {
      await Promise.all(pending);
      const res = await fetch(
        `${server.url}/api/v1/twins/${encodeURIComponent(CNC)}/telemetry?field=temperature&from=${base}&to=${base + 100}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      const values = ((await res.json()) as any).series[0].samples.map((s: { value: number }) => s.value);
      expect(values).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      device.end(true);
      server.child.kill('SIGTERM');
    }
  }, 90_000);
});
