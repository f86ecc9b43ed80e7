// HTTPS and WSS on the API's port when tlsCert and tlsKey are configured; a wrong file stops the start.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate, type TestCertificate } from './helpers/certificates.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let dir: string;
let certificate: TestCertificate;
let ca: Buffer;
let p: TestPlatform;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imverse-tls-'));
  certificate = makeCertificate(dir);
  ca = readFileSync(certificate.certFile);
  p = await startTestPlatform({ tlsCert: certificate.certFile, tlsKey: certificate.keyFile });
});
afterAll(async () => {
  await p?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A GET over HTTPS that trusts only the test certificate. */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Opens a WebSocket trusting the test certificate; resolves once open, rejects on a failed handshake. */
function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { ca });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('HTTPS and WSS', () => {
  it('serves the API over HTTPS on its port and says so in its URL', async () => {
    expect(p.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(`${p.url}/healthz`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    const twins = await get(`${p.url}/api/v1/twins`, { authorization: `Bearer ${p.token}` });
    expect(twins.status).toBe(200);
    expect(JSON.parse(twins.body)).toMatchObject({ value: expect.any(Array) });
  });

  it('sends Strict-Transport-Security over HTTPS', async () => {
    const res = await get(`${p.url}/healthz`);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('refuses a client that does not trust the certificate', async () => {
    await expect(
      new Promise((resolve, reject) => request(`${p.url}/healthz`, resolve).on('error', reject).end()),
    ).rejects.toThrow(/self-signed|self signed/);
  });

  it('serves the live stream over WSS', async () => {
    const socket = await open(`${p.url.replace('https', 'wss')}/api/v1/live?access_token=${p.token}`);
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(JSON.stringify({ type: 'ping' }));
    expect(JSON.parse(await reply)).toEqual({ type: 'pong' });
    socket.close();
  });

  it('serves the collaboration rooms over WSS', async () => {
    const socket = await open(
      `${p.url.replace('https', 'wss')}/api/v1/world/collab/world?access_token=${p.token}`,
    );
    // The y-websocket server speaks first: its sync step 1 for the room's document.
    const first = await new Promise<Buffer>((resolve) =>
      socket.once('message', (data) => resolve(data as Buffer)),
    );
    expect(first.length).toBeGreaterThan(0);
    socket.close();
  });
});

describe('TLS files that cannot be used stop the start, naming the file', () => {
  it.each([
    ['a certificate file that does not exist', () => ({ tlsCert: join(dir, 'missing.pem') }), 'missing.pem'],
    ['a key file that does not exist', () => ({ tlsKey: join(dir, 'missing.key') }), 'missing.key'],
    ['a certificate file that holds no certificate', () => ({ tlsCert: certificate.keyFile }), 'server.key'],
    [
      'the key of another certificate',
      () => ({ tlsKey: makeCertificate(dir, 'other').keyFile }),
      'other.key',
    ],
  ])('%s', async (_case, files, named) => {
    const dataDir = join(dir, 'never-opened');
    await expect(
      startTestPlatform({
        tlsCert: certificate.certFile,
        tlsKey: certificate.keyFile,
        ...files(),
        dataDir,
      }),
    ).rejects.toMatchObject({ code: 'IMV_CONFIG_INVALID', message: expect.stringContaining(named) });
    // Checked before anything is opened.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a certificate without its key', async () => {
    const dataDir = join(dir, 'never-opened');
    await expect(startTestPlatform({ tlsCert: certificate.certFile, dataDir })).rejects.toMatchObject({
      code: 'IMV_CONFIG_INVALID',
      message: expect.stringContaining('tlsKey'),
    });
  });
});
