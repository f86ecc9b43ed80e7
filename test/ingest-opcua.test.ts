// Imverse subscribed to a real node-opcua server: values reach the sink with their source time and
// quality, unusable values and unknown nodes are reported, wrong credentials are refused clearly,
// and monitoring resumes by itself after the server restarts.
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectOpcUaSource,
  type OpcUaNodeStats,
  type OpcUaSource,
  type OpcUaSourceOptions,
  type OpcUaSourceState,
} from '../src/ingest/opcua/client.js';
import type { IngestResult, IngestSink, Point, PointBatch } from '../src/ingest/points.js';
import { startOpcUaServer, TEST_PASSWORD, TEST_USER, type TestOpcUaServer } from './helpers/opcua-server.js';

class CollectingSink implements IngestSink {
  readonly batches: PointBatch[] = [];
  readonly deadLetters: { source: string; code: string; reason: string; topic: string | undefined }[] = [];
  get points(): Point[] {
    return this.batches.flatMap((b) => b.points);
  }
  of(field: string): Point[] {
    return this.points.filter((p) => p.field === field);
  }
  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.batches.push(batch);
    return { accepted: batch.points.length, rejected: [] };
  }
  reject(source: string, code: string, reason: string, _payload: unknown, topic?: string): void {
    this.deadLetters.push({ source, code, reason, topic });
  }
}

const TWIN = '88.100.1/line-1/press-07';
let server: TestOpcUaServer;
let pki: string;
const sources: OpcUaSource[] = [];

function source(endpointUrl: string, sink: IngestSink, extra: Partial<OpcUaSourceOptions> = {}): OpcUaSource {
  const s = connectOpcUaSource({
    endpointUrl,
    pkiFolder: pki,
    samplingIntervalMs: 20,
    publishingIntervalMs: 50,
    reconnectInitialDelayMs: 50,
    reconnectMaxDelayMs: 500,
    nodes: [{ nodeId: 'ns=1;s=Temperature', twin: TWIN, field: 'temperature' }],
    ...extra,
    sink,
  });
  sources.push(s);
  return s;
}

beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'imverse-opcua-client-'));
  server = await startOpcUaServer();
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
  await server?.dispose();
  if (pki) rmSync(pki, { recursive: true, force: true });
});

describe('OPC UA source', () => {
  const sink = new CollectingSink();
  const states: OpcUaSourceState[] = [];
  const nodeErrors: OpcUaNodeStats[] = [];
  let s: OpcUaSource;

  beforeAll(async () => {
    s = source(server.endpointUrl, sink, {
      source: 'opcua:press-07',
      nodes: [
        { nodeId: 'ns=1;s=Temperature', twin: TWIN, field: 'temperature' },
        { nodeId: 'ns=1;s=Temperature', twin: TWIN, field: 'temperatureF', scale: 1.8, offset: 32 },
        { nodeId: 'ns=1;s=Running', twin: TWIN, field: 'running' },
        { nodeId: 'ns=1;s=Mode', twin: TWIN, field: 'mode' },
        { nodeId: 'ns=1;s=Count', twin: TWIN, field: 'count' },
        { nodeId: 'ns=1;s=Profile', twin: TWIN, field: 'profile' },
        { nodeId: 'ns=1;s=NoSuchVariable', twin: TWIN, field: 'ghost' },
      ],
      onStateChange: (state) => states.push(state),
      onNodeError: (node) => nodeErrors.push(node),
    });
    await s.connected(15_000);
  });

  it('delivers the initial values with quality, to the configured twin fields, as one source', async () => {
    await vi.waitFor(() => expect(sink.of('mode')).toHaveLength(1), { timeout: 5000 });
    expect(states).toEqual(['connected']);
    const latest = (field: string) => sink.of(field).at(-1);
    expect(latest('temperature')).toMatchObject({ twin: TWIN, value: 20.5, quality: 'good' });
    expect(latest('running')).toMatchObject({ value: true, quality: 'good' });
    expect(latest('mode')).toMatchObject({ value: 'auto', quality: 'good' });
    expect(latest('count')).toMatchObject({ value: 7, quality: 'good' });
    expect(new Set(sink.batches.map((b) => b.source))).toEqual(new Set(['opcua:press-07']));
  });

  it('keeps the source timestamp and scales numbers', async () => {
    const sourceTimestamp = new Date(Date.now() - 60_000);
    server.set('Temperature', 25, { sourceTimestamp });
    await vi.waitFor(() => expect(sink.of('temperatureF').at(-1)?.value).toBeCloseTo(77), { timeout: 5000 });
    expect(sink.of('temperature').at(-1)).toMatchObject({ value: 25, time: sourceTimestamp.getTime() });
    expect(sink.of('temperatureF').at(-1)?.time).toBe(sourceTimestamp.getTime());
  });

  it('records a value with a bad status, with quality bad', async () => {
    server.set('Count', 9, { status: StatusCodes.BadSensorFailure });
    await vi.waitFor(() => expect(sink.of('count').at(-1)).toMatchObject({ value: 9, quality: 'bad' }), {
      timeout: 5000,
    });
    server.set('Count', 10, { status: StatusCodes.UncertainLastUsableValue });
    await vi.waitFor(
      () => expect(sink.of('count').at(-1)).toMatchObject({ value: 10, quality: 'uncertain' }),
      { timeout: 5000 },
    );
    expect(s.stats().nodes.find((n) => n.field === 'count')?.lastStatus).toBe('UncertainLastUsableValue');
  });

  it('dead-letters an array value as IMV_INGEST_VALUE_INVALID', async () => {
    await vi.waitFor(() => expect(sink.deadLetters.length).toBeGreaterThan(0), { timeout: 5000 });
    expect(sink.deadLetters[0]).toMatchObject({
      source: 'opcua:press-07',
      code: 'IMV_INGEST_VALUE_INVALID',
      topic: 'ns=1;s=Profile',
    });
    expect(sink.deadLetters[0]?.reason).toMatch(/array/);
    expect(sink.of('profile')).toEqual([]);
    expect(s.stats().rejectedByCode).toMatchObject({ IMV_INGEST_VALUE_INVALID: 1 });
  });

  it('reports a node id the server does not know, and monitors the others', () => {
    const stats = s.stats();
    const ghost = stats.nodes.find((n) => n.field === 'ghost');
    expect(ghost).toMatchObject({ nodeId: 'ns=1;s=NoSuchVariable', state: 'failed' });
    expect(ghost?.error).toMatch(/^BadNodeIdUnknown: the server does not know this node id/);
    expect(nodeErrors.map((n) => n.nodeId)).toEqual(['ns=1;s=NoSuchVariable']);
    expect(stats.nodes.filter((n) => n.state === 'monitoring')).toHaveLength(6);
    expect(stats.state).toBe('connected');
    expect(stats.valuesReceived).toBeGreaterThanOrEqual(sink.points.length + 1);
  });

  it('counts what the sink accepted', async () => {
    await vi.waitFor(() => expect(s.stats().valuesAccepted).toBe(sink.points.length), { timeout: 5000 });
  });
});

describe('OPC UA sessions', () => {
  it('opens a user/password session', async () => {
    const sink = new CollectingSink();
    const s = source(server.endpointUrl, sink, { userName: TEST_USER, password: TEST_PASSWORD });
    await s.connected(15_000);
    await vi.waitFor(() => expect(sink.of('temperature').length).toBeGreaterThan(0), { timeout: 5000 });
    await s.close();
    expect(s.state).toBe('closed');
  });

  it('refuses a wrong password clearly, and keeps trying without connecting', async () => {
    const errors: Error[] = [];
    const s = source(server.endpointUrl, new CollectingSink(), {
      userName: TEST_USER,
      password: 'wrong',
      onStateChange: (_state, error) => error && errors.push(error),
    });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 10_000 });
    await expect(s.connected(100)).rejects.toThrow(/refused the user name or password of "operator"/);
    expect(s.state).toBe('connecting');
    expect(errors[0]?.message).toMatch(/BadUserAccessDenied/);
    expect(s.stats().lastError).toMatch(/check the credentials/);
    await s.close();
    expect(s.state).toBe('closed');
  });
});

describe('OPC UA security', () => {
  it('signs and encrypts once the server certificate is trusted, and says so until then', async () => {
    const clientPki = mkdtempSync(join(tmpdir(), 'imverse-opcua-client-'));
    try {
      const sink = new CollectingSink();
      const errors: Error[] = [];
      const s = source(server.endpointUrl, sink, {
        pkiFolder: clientPki,
        securityMode: 'SignAndEncrypt',
        userName: TEST_USER,
        password: TEST_PASSWORD,
        onStateChange: (_state, error) => error && errors.push(error),
      });
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 10_000 });
      expect(errors[0]?.message).toMatch(
        /Imverse does not trust the certificate of OPC UA server .*: move it from .*\/rejected to .*\/trusted\/certs/,
      );
      expect(s.state).toBe('connecting');

      // What the plant's IT does: check the refused certificate, and move it to the trusted ones.
      const [refused] = readdirSync(join(clientPki, 'rejected'));
      expect(refused).toBeDefined();
      expect(refused).toMatch(/\.pem$/);
      renameSync(join(clientPki, 'rejected', refused!), join(clientPki, 'trusted', 'certs', refused!));
      await s.connected(15_000);
      await vi.waitFor(() => expect(sink.of('temperature').length).toBeGreaterThan(0), { timeout: 5000 });
      await s.close();
    } finally {
      rmSync(clientPki, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('OPC UA reconnection', () => {
  it('resumes delivery by itself when the server restarts on the same port', async () => {
    const plc = await startOpcUaServer();
    try {
      const sink = new CollectingSink();
      const states: OpcUaSourceState[] = [];
      const s = source(plc.endpointUrl, sink, { onStateChange: (state) => states.push(state) });
      await s.connected(15_000);
      plc.set('Temperature', 30);
      await vi.waitFor(() => expect(sink.of('temperature').at(-1)?.value).toBe(30), { timeout: 5000 });

      await plc.stop();
      await vi.waitFor(() => expect(s.state).toBe('reconnecting'), { timeout: 10_000 });
      await plc.start();
      await s.connected(20_000);
      plc.set('Temperature', 31);
      await vi.waitFor(() => expect(sink.of('temperature').at(-1)?.value).toBe(31), { timeout: 10_000 });
      expect(states).toEqual(['connected', 'reconnecting', 'connected']);
      expect(s.stats().reconnects).toBe(1);

      // Closing while the server is away ends the reconnection attempts.
      await plc.stop();
      await vi.waitFor(() => expect(s.state).toBe('reconnecting'), { timeout: 10_000 });
      await s.close();
      expect(states.at(-1)).toBe('closed');
    } finally {
      await plc.dispose();
    }
  }, 60_000);

  it('waits for a server that is not there yet', async () => {
    const plc = await startOpcUaServer();
    await plc.stop();
    try {
      const sink = new CollectingSink();
      const s = source(plc.endpointUrl, sink);
      const givenUp = source(plc.endpointUrl, new CollectingSink());
      await expect(s.connected(500)).rejects.toThrow(/not connected/);
      expect(s.state).toBe('connecting');
      await givenUp.close();
      expect(givenUp.state).toBe('closed');
      await plc.start();
      await s.connected(20_000);
      await vi.waitFor(() => expect(sink.of('temperature')).toHaveLength(1), { timeout: 5000 });
      await s.close();
    } finally {
      await plc.dispose();
    }
  }, 60_000);
});
