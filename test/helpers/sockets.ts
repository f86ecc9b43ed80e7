// WebSocket helpers for tests of the live and collaboration sockets: open one, see how an upgrade
// was answered, wait for a close, and read the refusal counters from /metrics.
import WebSocket, { type ClientOptions } from 'ws';
import type { TestPlatform } from './platform.js';

export function wsUrl(p: TestPlatform, path: string, token?: string): string {
  const query = token === undefined ? '' : `${path.includes('?') ? '&' : '?'}access_token=${token}`;
  return `${p.url.replace('http', 'ws')}${path}${query}`;
}

/** The HTTP status an upgrade was answered with: 101 when the socket opened (it is closed again). */
export function upgradeStatus(url: string, options: ClientOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, options);
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => {});
  });
}

export async function openSocket(url: string, options: ClientOptions = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, options);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused with ${response.statusCode}`)),
    );
  });
  return socket;
}

/** Resolves with the close code and reason once the socket closes. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve({ code: 1006, reason: '' });
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

/** imverse_refusals_total{edge, code} as /metrics shows it now. */
export async function refusals(p: TestPlatform, edge: string, code: string): Promise<number> {
  const text = await (await p.api('/metrics')).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('imverse_refusals_total{') &&
        l.includes(`edge="${edge}"`) &&
        l.includes(`code="${code}"`),
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

export async function createToken(p: TestPlatform, body: object): Promise<{ id: string; token: string }> {
  const res = await p.api('/api/v1/tokens', { method: 'POST', json: body });
  if (res.status !== 201) throw new Error(`token not created: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}
