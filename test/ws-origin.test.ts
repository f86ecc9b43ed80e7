// Web pages of other sites are kept away from the sockets: every WebSocket endpoint refuses an upgrade
// whose Origin is another site's (the live stream, the world room, layout draft rooms, any other room),
// and a Host header naming another site (DNS rebinding) is refused on a loopback-bound server and in
// the demo. Our own origin, origins the operator allows, and clients that send no Origin get in.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { refusals, upgradeStatus, wsUrl } from './helpers/sockets.js';

let p: TestPlatform;
let demo: TestPlatform;
const EVIL = 'http://evil.example';

/** Every WebSocket route (`grep -rn "websocket: true" src`), with each kind of collaboration room. */
const SOCKETS = [
  '/api/v1/live',
  '/api/v1/world/collab/world',
  '/api/v1/world/collab/layout.plan-a',
  '/api/v1/world/collab/workshop-notes',
];

beforeAll(async () => {
  p = await startTestPlatform();
  demo = await startTestPlatform({
    demo: true,
    allowedOrigins: 'https://hmi.example:8443, http://panel.example',
    publicHost: 'plant.example',
  });
});
afterAll(async () => {
  await p?.close();
  await demo?.close();
});

/** A plain HTTP GET with the Host header a rebound name would carry. */
function getWithHost(platform: TestPlatform, path: string, host: string): Promise<number> {
  const url = new URL(platform.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the WebSocket edge against other sites', () => {
  it('refuses an Origin from another site on every WebSocket endpoint, and counts it', async () => {
    const before = await refusals(p, 'ws', 'IMV_ORIGIN_FORBIDDEN');
    for (const path of SOCKETS) {
      expect(await upgradeStatus(wsUrl(p, path, p.token), { origin: EVIL }), path).toBe(403);
    }
    expect(await refusals(p, 'ws', 'IMV_ORIGIN_FORBIDDEN')).toBe(before + SOCKETS.length);
  });

  it('refuses another site in the demo, where no token is needed', async () => {
    for (const path of SOCKETS) {
      expect(await upgradeStatus(wsUrl(demo, path), { origin: EVIL }), path).toBe(403);
    }
    // A look-alike of our own origin on another port or scheme is another origin.
    const own = new URL(demo.url);
    const otherPort = `http://${own.hostname}:${Number(own.port) + 1}`;
    expect(await upgradeStatus(wsUrl(demo, '/api/v1/live'), { origin: otherPort })).toBe(403);
    expect(await upgradeStatus(wsUrl(demo, '/api/v1/live'), { origin: `https://${own.host}` })).toBe(403);
  });

  it('accepts our own origin, allowed origins, and clients that send no Origin', async () => {
    for (const path of SOCKETS) {
      expect(await upgradeStatus(wsUrl(p, path, p.token), { origin: p.url }), path).toBe(101);
      expect(await upgradeStatus(wsUrl(p, path, p.token)), path).toBe(101);
    }
    expect(await upgradeStatus(wsUrl(demo, '/api/v1/live'), { origin: 'https://hmi.example:8443' })).toBe(
      101,
    );
    expect(await upgradeStatus(wsUrl(demo, '/api/v1/live'), { origin: 'http://panel.example' })).toBe(101);
    expect(await upgradeStatus(wsUrl(demo, '/api/v1/live'), { origin: 'null' })).toBe(403);
  });

  it('refuses a rebound host name, on HTTP and WebSocket alike', async () => {
    const port = new URL(demo.url).port;
    const before = await refusals(demo, 'ws', 'IMV_HOST_FORBIDDEN');
    // The demo answers anonymous loopback callers: a rebinding page would read it all.
    expect(await getWithHost(demo, '/api/v1/world/me', `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(demo, '/api/v1/world/me', `evil.example:${port}`)).toBe(421);
    expect(await getWithHost(demo, '/api/v1/twins', `evil.example:${port}`)).toBe(421);
    for (const path of SOCKETS) {
      // The page's Origin matches its (rebound) Host: only the Host check stops it.
      expect(
        await upgradeStatus(wsUrl(demo, path), {
          origin: `http://evil.example:${port}`,
          headers: { host: `evil.example:${port}` },
        }),
        path,
      ).toBe(421);
    }
    expect(await refusals(demo, 'ws', 'IMV_HOST_FORBIDDEN')).toBe(before + SOCKETS.length);
    // A loopback-bound server without the demo checks the Host too.
    expect(await getWithHost(p, '/healthz', `evil.example:${new URL(p.url).port}`)).toBe(421);
  });

  it('accepts loopback names and the configured public host', async () => {
    const port = new URL(demo.url).port;
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, `plant.example:${port}`]) {
      expect(await getWithHost(demo, '/api/v1/world/me', host), host).toBe(200);
    }
    expect(
      await upgradeStatus(wsUrl(demo, '/api/v1/live'), {
        origin: `http://plant.example:${port}`,
        headers: { host: `plant.example:${port}` },
      }),
    ).toBe(101);
  });
});
