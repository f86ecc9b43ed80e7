// The demo plant alive: the simulated plant publishes over MQTT to the embedded broker, through the
// same mappings a real plant uses, and obeys a command another device sends it.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ demo: true, virtualPlant: true, virtualPlantSpeed: 300 });
});
afterAll(async () => p?.close());

const twin = async (suffix: string) =>
  (await (await p.api(`/api/v1/twins/${encodeURIComponent(`88.100.1/${suffix}`)}`)).json()) as Record<
    string,
    unknown
  >;

describe('the virtual plant', () => {
  it('feeds stations, machines, sensors, lines and vehicles through MQTT, with nothing refused', async () => {
    expect(p.platform.virtualPlant?.device).toBe('virtual-plant');
    await vi.waitFor(
      async () => {
        const station = await twin('line-2/st-01');
        expect(station.state).toMatch(/^(running|blocked|starved|down|setup)$/);
        expect(station.unit).toMatch(/^88\.100\.1\/unit\/BR12-[LR]-\d{6}$/);
        expect(typeof station.order).toBe('string');
        expect((await twin('line-1/st-01/cnc')).temperature).toEqual(expect.any(Number));
        expect((await twin('line-1/st-01/cnc/temp')).value).toEqual(expect.any(Number));
        expect((await twin('line-2')).goodCount).toEqual(expect.any(Number));
        expect((await twin('agv-01')).position).toMatchObject({
          x: expect.any(Number),
          y: expect.any(Number),
        });
      },
      { timeout: 30_000, interval: 250 },
    );
    const history = (await (
      await p.api(
        `/api/v1/twins/${encodeURIComponent('88.100.1/line-1/st-01/cnc')}/telemetry?field=temperature&from=${Date.now() - 60_000}&to=${Date.now() + 1000}`,
      )
    ).json()) as { series: { samples: unknown[] }[] };
    expect(history.series[0]!.samples.length).toBeGreaterThan(0);
    const letters = (await (await p.api('/api/v1/ingest/dead-letters')).json()) as { value: unknown[] };
    expect(letters.value).toEqual([]);
  });

  it('stops a station on a command from another device, without storing the command', async () => {
    const created = await p.api('/api/v1/devices', {
      method: 'POST',
      json: { id: 'hmi-1', topics: ['plant/+/+/cmd'] },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const hmi = await mqtt.connectAsync(p.platform.mqtt!.url, {
      username: 'hmi-1',
      password: secret,
      clientId: 'hmi-1', // the broker binds client ids to the device
      reconnectPeriod: 0,
    });
    try {
      await hmi.publishAsync('plant/line-1/st-06/cmd', JSON.stringify({ command: 'stop' }), { qos: 1 });
      await vi.waitFor(async () => expect((await twin('line-1/st-06')).state).toBe('offline'), {
        timeout: 30_000,
        interval: 250,
      });
      expect(p.platform.virtualPlant!.running.stats().commands).toBe(1);
      const letters = (await (await p.api('/api/v1/ingest/dead-letters')).json()) as { value: unknown[] };
      expect(letters.value).toEqual([]);
    } finally {
      await hmi.endAsync();
    }
  });
});
