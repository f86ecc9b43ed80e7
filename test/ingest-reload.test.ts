// Mappings and sources.yaml reloaded while the platform runs — on a file change, through the API
// and on SIGHUP — without dead-lettering the first messages after an edit; an invalid edit keeps the
// previous set working. And plain payloads (a bare `running`) over the embedded broker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { startImverseProcess } from './helpers/imverse-process.js';
import { startOpcUaServer } from './helpers/opcua-server.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { createDevice } from './helpers/devices.js';

const CNC = '88.100.1/line-1/st-01/cnc';
const STATE_TOPIC = 'plc/line-1/st-01/cnc/state';
const BOM = '\uFEFF';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-reload-'));
  dirs.push(dir);
  return dir;
}

const TELEMETRY = {
  topic: 'plant/{line}/{station}/{asset}/telemetry',
  twin: '88.100.1/{line}/{station}/{asset}',
  others: 'keep',
};
const PLAIN_STATE = {
  topic: 'plc/{line}/{station}/{asset}/state',
  twin: '88.100.1/{line}/{station}/{asset}',
  payload: 'plain',
  field: { field: 'state', type: 'string' },
};
const PLAIN_COUNT = {
  topic: 'plc/{line}/{station}/{asset}/count',
  twin: '88.100.1/{line}/{station}/{asset}',
  payload: 'plain',
  field: { field: 'goodCount', type: 'number' },
};

/** A mapping file as Windows editors save it: with a byte-order mark. */
function writeMappings(dataDir: string, mappings: unknown[]): void {
  writeFileSync(join(dataDir, 'mappings.yaml'), BOM + stringify({ mappings }));
}

async function connect(url: string, username: string, password: string): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(url, {
    username,
    password,
    // The broker binds client ids to the device: its id, "/" and a suffix.
    clientId: `${username}/${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    protocolVersion: 4,
  });
}

async function twin(p: TestPlatform): Promise<Record<string, unknown>> {
  return (await (await p.api(`/api/v1/twins/${encodeURIComponent(CNC)}`)).json()) as Record<string, unknown>;
}

async function deadLetters(
  p: TestPlatform,
  code: string,
): Promise<{ topic: string; reason: string; payload: string }[]> {
  return ((await (await p.api(`/api/v1/ingest/dead-letters?code=${code}`)).json()) as any).value;
}

async function reloadStatus(p: TestPlatform): Promise<any> {
  return (await p.api('/api/v1/ingest/reload')).json();
}

describe('reloading mappings', () => {
  let p: TestPlatform;
  let device: mqtt.MqttClient;
  beforeAll(async () => {
    const dataDir = tempDir();
    writeMappings(dataDir, [TELEMETRY]);
    p = await startTestPlatform({ demo: true, dataDir });
    const res = await p.api('/api/v1/devices', {
      method: 'POST',
      json: { id: 'plc-01', topics: ['plant/line-1/#', 'plc/line-1/#'] },
    });
    const { secret } = (await res.json()) as { secret: string };
    device = await connect(p.platform.mqtt!.url, 'plc-01', secret);
  });
  afterAll(async () => {
    await device?.endAsync();
    await p?.close();
  });

  it('reads a mapping file that starts with a byte-order mark', async () => {
    const status = await reloadStatus(p);
    expect(status).toMatchObject({ trigger: 'start', result: 'ok', mappings: { count: 1 }, issues: [] });
    expect(status.mappings.file).toBe(join(p.dataDir, 'mappings.yaml'));
  });

  it('takes an edited mapping file into use when it changes, without a restart', async () => {
    // Before the edit, the topic has no mapping: the message is dead-lettered.
    await device.publishAsync(STATE_TOPIC, 'down', { qos: 1 });
    expect((await deadLetters(p, 'IMV_INGEST_UNMAPPED')).map((l) => l.topic)).toContain(STATE_TOPIC);

    writeMappings(p.dataDir, [TELEMETRY, PLAIN_STATE, PLAIN_COUNT]);
    await expect
      .poll(async () => (await reloadStatus(p)).mappings.count, { timeout: 10_000, interval: 100 })
      .toBe(3);
    expect(await reloadStatus(p)).toMatchObject({ trigger: 'watch', result: 'ok', issues: [] });

    const unmapped = (await deadLetters(p, 'IMV_INGEST_UNMAPPED')).length;
    await device.publishAsync(STATE_TOPIC, 'maintenance', { qos: 1 });
    expect((await twin(p)).state).toBe('maintenance');
    expect(await deadLetters(p, 'IMV_INGEST_UNMAPPED')).toHaveLength(unmapped);
  });

  it('stores a bare `running` as the twin state, and a bare number as a count', async () => {
    await device.publishAsync(STATE_TOPIC, 'running\n', { qos: 1 });
    await device.publishAsync('plc/line-1/st-01/cnc/count', '1234', { qos: 1 });
    const state = await twin(p);
    expect(state.state).toBe('running');
    expect(state.goodCount).toBe(1234);
  });

  it('dead-letters a plain payload that does not convert, or that the twin model refuses', async () => {
    await device.publishAsync('plc/line-1/st-01/cnc/count', 'twelve', { qos: 1 });
    await device.publishAsync(STATE_TOPIC, 'exploded', { qos: 1 });
    await p.platform.core.ingest.drain();
    const [notANumber] = await deadLetters(p, 'IMV_INGEST_PLAIN_PAYLOAD_INVALID');
    expect(notANumber).toMatchObject({
      topic: 'plc/line-1/st-01/cnc/count',
      payload: 'twelve',
      reason: 'goodCount (number): "twelve" is not a number',
    });
    const [notAState] = await deadLetters(p, 'IMV_INGEST_VALUE_INVALID');
    expect(notAState?.payload).toContain('exploded');
    expect((await twin(p)).state).toBe('running');
    const stats = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
    expect(stats.mqtt.rejectedByCode.IMV_INGEST_PLAIN_PAYLOAD_INVALID).toBe(1);
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toContain(
      'imverse_ingest_rejected{source="mqtt",code="IMV_INGEST_PLAIN_PAYLOAD_INVALID"} 1',
    );
  });

  it('keeps the mappings in force when an edit is invalid, and reports every issue', async () => {
    writeMappings(p.dataDir, [TELEMETRY, { ...PLAIN_STATE, field: 'state' }, { ...PLAIN_COUNT, feilds: {} }]);
    const res = await p.api('/api/v1/ingest/reload', { method: 'POST' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as any;
    expect(problem.code).toBe('IMV_CONFIG_RELOAD_FAILED');
    expect(problem.detail).toMatch(/the previous mappings and sources stay active/);
    const file = join(p.dataDir, 'mappings.yaml');
    expect(problem.issues).toEqual([
      expect.objectContaining({ file, path: '/mappings/1/field' }),
      expect.objectContaining({ file, path: '/mappings/2/feilds' }),
    ]);

    // The previous mappings still work.
    await device.publishAsync(STATE_TOPIC, 'idle', { qos: 1 });
    expect((await twin(p)).state).toBe('idle');

    const status = await reloadStatus(p);
    expect(status).toMatchObject({ result: 'failed', mappings: { count: 3 }, issues: problem.issues });
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toMatch(/imverse_config_reload_total\{result="failed"\} [1-9]/);
    expect(metrics).toContain('imverse_config_last_reload_successful 0');
  });

  it('reloads through the API and says what is in force', async () => {
    writeMappings(p.dataDir, [TELEMETRY, PLAIN_STATE]);
    const res = await p.api('/api/v1/ingest/reload', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      result: 'ok',
      mappings: { file: join(p.dataDir, 'mappings.yaml'), count: 2 },
      sources: { file: null, mqtt: 0, opcua: 0 },
      issues: [],
    });
    // The mapping that was removed is gone: its messages are dead-lettered again.
    await device.publishAsync('plc/line-1/st-01/cnc/count', '7', { qos: 1 });
    await p.platform.core.ingest.drain();
    expect((await deadLetters(p, 'IMV_INGEST_UNMAPPED'))[0]?.topic).toBe('plc/line-1/st-01/cnc/count');
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toMatch(/imverse_config_reload_total\{result="ok"\} [1-9]/);
    expect(metrics).toContain('imverse_config_last_reload_successful 1');
  });

  it('lets only a platform administrator reload or see the reload status', async () => {
    const before = await reloadStatus(p);
    const create = async (json: unknown) =>
      ((await (await p.api('/api/v1/tokens', { method: 'POST', json })).json()) as { token: string }).token;
    const callers = {
      reader: await create({ name: 'r', role: 'reader' }),
      writer: await create({ name: 'w', role: 'writer' }),
      'admin of another tenant': await create({ name: 'a', role: 'admin', prefixes: ['77.1'] }),
    };
    for (const [who, token] of Object.entries(callers)) {
      for (const method of ['GET', 'POST']) {
        const res = await p.api('/api/v1/ingest/reload', { method, token });
        expect(res.status, `${method} by ${who}`).toBe(403);
        const body = (await res.json()) as any;
        expect(body.code).toBe('IMV_AUTH_FORBIDDEN');
        expect(JSON.stringify(body)).not.toContain('mappings.yaml');
      }
    }
    // Demo mode lets anonymous local callers read the plant, not reload it.
    expect((await p.api('/api/v1/ingest/reload', { method: 'POST', token: null })).status).toBe(403);
    // Nothing was reloaded on their behalf.
    expect(await reloadStatus(p)).toEqual(before);
  });
});

describe('reloading sources.yaml', () => {
  it('starts an added OPC UA source, stops a removed one, and keeps them on an invalid file', async () => {
    const server = await startOpcUaServer();
    const dataDir = tempDir();
    const p = await startTestPlatform({ demo: true, dataDir });
    const opcua = {
      endpointUrl: server.endpointUrl,
      pkiFolder: join(dataDir, 'pki'),
      nodes: [{ nodeId: 'ns=1;s=Temperature', twin: CNC, field: 'temperature' }],
    };
    try {
      writeFileSync(join(dataDir, 'sources.yaml'), BOM + stringify({ opcua: [opcua] }));
      const added = await p.api('/api/v1/ingest/reload', { method: 'POST' });
      expect(added.status).toBe(200);
      const status = (await added.json()) as any;
      expect(status.sources).toMatchObject({ file: join(dataDir, 'sources.yaml'), mqtt: 0, opcua: 1 });
      // The file watcher may have started it a moment before the API call did.
      expect([...status.sources.started, ...status.sources.unchanged]).toEqual(['opcua']);
      await expect
        .poll(
          async () => {
            server.set('Temperature', 63.5, { sourceTimestamp: new Date() });
            return (await twin(p)).temperature;
          },
          { timeout: 15_000, interval: 300 },
        )
        .toBe(63.5);

      writeFileSync(join(dataDir, 'sources.yaml'), stringify({ opcua: [{ ...opcua, nodes: [] }] }));
      const invalid = await p.api('/api/v1/ingest/reload', { method: 'POST' });
      expect(invalid.status).toBe(422);
      const problem = (await invalid.json()) as any;
      expect(problem.issues[0]).toMatchObject({
        file: join(dataDir, 'sources.yaml'),
        path: '/opcua/0/nodes',
      });
      const kept = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
      expect(kept.opcuaSources).toHaveLength(1);

      writeFileSync(join(dataDir, 'sources.yaml'), stringify({ mqtt: [] }));
      const removed = (await (await p.api('/api/v1/ingest/reload', { method: 'POST' })).json()) as any;
      expect(removed.result).toBe('ok');
      expect(removed.sources.opcua).toBe(0);
      await expect
        .poll(async () => ((await (await p.api('/api/v1/ingest/stats')).json()) as any).opcuaSources, {
          timeout: 5000,
        })
        .toBeUndefined();
    } finally {
      await p.close();
      await server.dispose();
    }
  }, 60_000);
});

describe('reloading with an external MQTT broker', () => {
  it('keeps an unchanged source connected, applies new mappings to it, and restarts a changed one', async () => {
    const mosquitto = await startMosquitto();
    const dataDir = tempDir();
    const source = { url: mosquitto.url, topics: ['plant/#'], clientId: 'imverse-reload-test' };
    writeFileSync(join(dataDir, 'sources.yaml'), stringify({ mqtt: [source] }));
    writeMappings(dataDir, [TELEMETRY]);
    const p = await startTestPlatform({ demo: true, dataDir });
    const publisher = await mqtt.connectAsync(mosquitto.url, { reconnectPeriod: 0 });
    /** Publishes until the twin's state shows the value: the source subscribes in the background. */
    const arrives = (topic: string, payload: string, state: string) =>
      expect
        .poll(
          async () => {
            await publisher.publishAsync(topic, payload, { qos: 1 });
            return (await twin(p)).state;
          },
          { timeout: 10_000, interval: 200 },
        )
        .toBe(state);
    try {
      await arrives('plant/line-1/st-01/cnc/telemetry', JSON.stringify({ state: 'setup' }), 'setup');

      // Only the mappings change: the source keeps its connection and uses the new mappings.
      writeMappings(dataDir, [TELEMETRY, { ...PLAIN_STATE, topic: 'plant/{line}/{station}/{asset}/state' }]);
      const reloaded = (await (await p.api('/api/v1/ingest/reload', { method: 'POST' })).json()) as any;
      expect(reloaded).toMatchObject({
        result: 'ok',
        mappings: { count: 2 },
        sources: { mqtt: 1, started: [], stopped: [], unchanged: ['mqtt:0'] },
      });
      await arrives('plant/line-1/st-01/cnc/state', 'starved', 'starved');
      const stats = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
      expect(stats.mqttSources[0]).toMatchObject({ state: 'connected', reconnects: 0 });

      // The source's topics change: it is restarted with the new subscription.
      writeFileSync(join(dataDir, 'sources.yaml'), stringify({ mqtt: [{ ...source, topics: ['plc/#'] }] }));
      writeMappings(dataDir, [TELEMETRY, PLAIN_STATE]);
      const restarted = (await (await p.api('/api/v1/ingest/reload', { method: 'POST' })).json()) as any;
      expect(restarted).toMatchObject({ result: 'ok', sources: { mqtt: 1 } });
      await arrives(STATE_TOPIC, 'down', 'down');
    } finally {
      await publisher.endAsync();
      await p.close();
      await mosquitto.stop();
    }
  }, 60_000);
});

describe('imverse start and SIGHUP', () => {
  it('reloads the mapping file on SIGHUP', async () => {
    const dataDir = tempDir();
    writeMappings(dataDir, [TELEMETRY]);
    const secret = createDevice(dataDir, 'plc-01', 'plc/#');
    const server = await startImverseProcess(dataDir, ['--demo', '--no-virtual-plant']);
    const api = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    const device = await connect(server.mqtt!, 'plc-01', secret);
    try {
      writeMappings(dataDir, [TELEMETRY, PLAIN_STATE]);
      server.child.kill('SIGHUP');
      await expect
        .poll(async () => ((await (await api('/api/v1/ingest/reload')).json()) as any).trigger, {
          timeout: 10_000,
          interval: 100,
        })
        .toBe('signal');
      const status = (await (await api('/api/v1/ingest/reload')).json()) as any;
      expect(status).toMatchObject({ result: 'ok', mappings: { count: 2 } });

      await device.publishAsync(STATE_TOPIC, 'blocked', { qos: 1 });
      const twinState = (await (await api(`/api/v1/twins/${encodeURIComponent(CNC)}`)).json()) as any;
      expect(twinState.state).toBe('blocked');
      // The process is still running: SIGHUP did not stop it.
      expect(server.child.exitCode).toBeNull();
    } finally {
      await device.endAsync();
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
