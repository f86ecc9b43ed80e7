// MQTTS on the embedded broker, with certificates made at test time: devices with a password over
// TLS, devices with a client certificate signed by the configured CA (authenticated by its CN),
// and everything that must be refused: untrusted certificates, unknown devices, plain MQTT.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RefusalCounter } from '../src/core/refusals.js';
import { compileMappings } from '../src/ingest/mapping/compile.js';
import type { DeviceIdentity } from '../src/ingest/mqtt/authorize.js';
import {
  startMqttBroker,
  type MqttBrokerOptions,
  type RunningMqttBroker,
} from '../src/ingest/mqtt/broker.js';
import type { IngestResult, IngestSink, PointBatch } from '../src/ingest/points.js';
import { DeviceStore } from '../src/server/auth/DeviceStore.js';
import { makeCertificate, type TestCertificate } from './helpers/certificates.js';
import {
  makeCertificateAuthority,
  makeClientCertificate,
  type CertificateFiles,
} from './helpers/device-certificates.js';
import { startTestPlatform } from './helpers/platform.js';

class Sink implements IngestSink {
  readonly batches: PointBatch[] = [];
  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.batches.push(batch);
    return { accepted: batch.points.length, rejected: [] };
  }
  reject(): void {}
}

const MAPPINGS = compileMappings({
  mappings: [{ topic: 'plant/{line}/{station}/+/value', twin: '88.100.1/{line}/{station}', field: 'value' }],
});
const DEVICES: Record<string, DeviceIdentity> = {
  'st-03': { id: 'st-03', topics: ['plant/line-1/st-03/#'] },
  'st-04': { id: 'st-04', topics: ['plant/line-1/st-04/#'] },
};

let dir: string;
let server: TestCertificate;
let ca: CertificateFiles;
let st03: CertificateFiles;
let rogue: CertificateFiles;
let ghost: CertificateFiles;
const brokers: RunningMqttBroker[] = [];
const clients: MqttClient[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imverse-mqtts-'));
  server = makeCertificate(dir);
  ca = makeCertificateAuthority(dir);
  st03 = makeClientCertificate(dir, 'st-03', ca);
  // The same name, but signed by no one the broker trusts.
  rogue = makeClientCertificate(dir, 'st-03', undefined, 'rogue');
  ghost = makeClientCertificate(dir, 'ghost', ca);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

afterAll(async () => {
  await Promise.all(brokers.map((b) => b.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function startTlsBroker(extra: Partial<MqttBrokerOptions> = {}) {
  const sink = new Sink();
  const refusals = new RefusalCounter();
  const broker = await startMqttBroker({
    port: 0,
    tls: {
      cert: readFileSync(server.certFile),
      key: readFileSync(server.keyFile),
      clientCa: readFileSync(ca.certFile),
      port: 0,
    },
    sink,
    mappings: MAPPINGS,
    refusals,
    authenticate: (username, password) => (password === 'pw' ? DEVICES[username] : undefined),
    authenticateCertificate: (commonName) => DEVICES[commonName],
    ...extra,
  });
  brokers.push(broker);
  return { broker, sink, refusals };
}

async function mqtts(
  port: number,
  options: Omit<IClientOptions, 'cert'> & { certificate?: CertificateFiles },
): Promise<MqttClient> {
  const { certificate: cert, ...rest } = options;
  const client = await connectAsync(`mqtts://127.0.0.1:${port}`, {
    ca: readFileSync(server.certFile),
    ...(cert === undefined ? {} : { cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }),
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...rest,
  });
  clients.push(client);
  return client;
}

describe('MQTTS on the embedded broker', () => {
  it('serves MQTTS only, unless plain MQTT is asked for as well', async () => {
    const tlsOnly = (await startTlsBroker()).broker;
    expect(tlsOnly.plainPort).toBeUndefined();
    expect(tlsOnly.port).toBe(tlsOnly.tlsPort);
    const both = (await startTlsBroker({ plain: true })).broker;
    expect(both.plainPort).toBeGreaterThan(0);
    expect(both.tlsPort).toBeGreaterThan(0);
    const plain = await connectAsync(`mqtt://127.0.0.1:${both.plainPort}`, {
      username: 'st-04',
      password: 'pw',
      clientId: 'st-04',
      reconnectPeriod: 0,
    });
    clients.push(plain);
    expect(plain.connected).toBe(true);
  });

  it('lets a device in with its password over TLS, and counts plain MQTT sent to the TLS port', async () => {
    const { broker, sink, refusals } = await startTlsBroker();
    const c = await mqtts(broker.tlsPort!, { username: 'st-04', password: 'pw', clientId: 'st-04' });
    await c.publishAsync('plant/line-1/st-04/p/value', '4.5', { qos: 1 });
    expect(sink.batches.at(-1)?.points[0]).toMatchObject({ twin: '88.100.1/line-1/st-04', value: 4.5 });
    // A plain MQTT CONNECT is no TLS ClientHello: the handshake fails and the socket is closed.
    const plain = createConnection(broker.tlsPort!, '127.0.0.1');
    plain.on('error', () => {});
    await new Promise((resolve) => plain.once('connect', resolve));
    const closed = new Promise((resolve) => plain.once('close', resolve));
    plain.write(
      Buffer.from([0x10, 0x10, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 4, 0x73, 0x74, 0x2d, 0x34]),
    );
    await closed;
    expect(refusals.get('mqtt', 'IMV_MQTT_TLS_FAILED')).toBe(1);
  });

  it("authenticates a device by its certificate's common name, without a password", async () => {
    const { broker, sink } = await startTlsBroker();
    const c = await mqtts(broker.tlsPort!, { certificate: st03, clientId: 'st-03' });
    await c.publishAsync('plant/line-1/st-03/p/value', '3.5', { qos: 1 });
    expect(sink.batches.at(-1)?.points[0]).toMatchObject({ twin: '88.100.1/line-1/st-03', value: 3.5 });
    // The certificate's device, not a user name, decides where it may publish.
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish('plant/line-1/st-04/p/value', '1', { qos: 1 });
    await closed;
  });

  it('refuses untrusted certificates, unknown devices, another name and another client id', async () => {
    const { broker, refusals } = await startTlsBroker();
    const port = broker.tlsPort!;
    await expect(mqtts(port, { certificate: rogue, clientId: 'st-03' })).rejects.toThrow(
      /Bad username|Not authorized/i,
    );
    await expect(mqtts(port, { certificate: ghost, clientId: 'ghost' })).rejects.toThrow(
      /Bad username|Not authorized/i,
    );
    await expect(
      mqtts(port, { certificate: st03, username: 'st-04', password: 'pw', clientId: 'st-04' }),
    ).rejects.toThrow(/Bad username|Not authorized/i);
    expect(refusals.get('mqtt', 'IMV_MQTT_CREDENTIALS_INVALID')).toBe(3);
    await expect(mqtts(port, { certificate: st03, clientId: 'st-04' })).rejects.toThrow(/Not authorized/i);
    expect(refusals.get('mqtt', 'IMV_MQTT_CLIENT_ID_FORBIDDEN')).toBe(1);
  });

  it('ignores certificates when no client CA is configured: the password decides', async () => {
    const { broker } = await startTlsBroker({
      tls: { cert: readFileSync(server.certFile), key: readFileSync(server.keyFile), port: 0 },
    });
    await expect(mqtts(broker.tlsPort!, { certificate: st03, clientId: 'st-03' })).rejects.toThrow(
      /Not authorized/i,
    );
    const c = await mqtts(broker.tlsPort!, {
      certificate: st03,
      username: 'st-03',
      password: 'pw',
      clientId: 'st-03',
    });
    expect(c.connected).toBe(true);
  });
});

describe('docs/connectors.md, device certificates', () => {
  it('issues a certificate with the commands shown, and the device connects with it', async () => {
    const doc = readFileSync(new URL('../docs/connectors.md', import.meta.url), 'utf8');
    const section = doc.slice(
      doc.indexOf('**Device certificates.**'),
      doc.indexOf('## MQTT: an external broker'),
    );
    const commands = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(commands).toContain('openssl x509');
    const issued = join(dir, 'issued');
    mkdirSync(issued);
    copyFileSync(ca.certFile, join(issued, 'device-ca.pem'));
    copyFileSync(ca.keyFile, join(issued, 'device-ca.key'));
    execFileSync('sh', ['-e', '-c', commands!], { cwd: issued, stdio: 'ignore' });
    const { broker } = await startTlsBroker();
    const c = await mqtts(broker.tlsPort!, {
      certificate: { certFile: join(issued, 'st-03.pem'), keyFile: join(issued, 'st-03.key') },
      clientId: 'st-03',
    });
    expect(c.connected).toBe(true);
  });
});

describe('MQTTS configured on the platform', () => {
  it('serves devices of the device store by certificate on mqttTlsPort, with no plain listener', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imverse-mqtts-platform-'));
    const store = new DeviceStore(join(dataDir, 'auth.sqlite'));
    store.create('st-03', ['plant/line-1/st-03/#']);
    store.close();
    const p = await startTestPlatform({
      dataDir,
      tlsCert: server.certFile,
      tlsKey: server.keyFile,
      tlsClientCa: ca.certFile,
      mqttTlsPort: 0,
    });
    try {
      const mqtt = p.platform.mqtt!;
      expect(mqtt.url).toMatch(/^mqtts:\/\//);
      expect(mqtt.broker.plainPort).toBeUndefined();
      const c = await mqtts(mqtt.broker.tlsPort!, { certificate: st03, clientId: 'st-03/main' });
      expect(c.connected).toBe(true);
      await expect(mqtts(mqtt.broker.tlsPort!, { certificate: ghost, clientId: 'ghost' })).rejects.toThrow(
        /Bad username|Not authorized/i,
      );
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
      await p.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
