// Security headers on every response, pages and API, answered or refused; HSTS only over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
});
afterAll(async () => p?.close());

const RESPONSES: ReadonlyArray<readonly [string, string, string | null, number]> = [
  ['the start page', '/', null, 200],
  ['the 3D world page', '/world', null, 200],
  ['the dashboard page', '/dashboard', null, 200],
  ['the API docs page', '/docs/', null, 200],
  ['an API answer', '/api/v1/twins', 'token', 200],
  ['an authentication refusal', '/api/v1/tokens', 'imv_bogus', 401],
  ['an unknown path', '/no/such/path', 'token', 404],
];

describe('security headers', () => {
  it.each(RESPONSES)('are on %s', async (_what, path, token, status) => {
    const res = await p.api(path, { token: token === 'token' ? p.token : token });
    // The world and dashboard pages answer 503 where the web bundle is not built: headers all the same.
    if (status !== 200 || !['/world', '/dashboard'].includes(path)) expect(res.status).toBe(status);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // Over plain HTTP a browser ignores it, and a proxy's HTTPS is not vouched for (trustProxy is off).
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('let the start page run its one inline script by a nonce that changes with every response', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await p.api('/', { token: null });
      const csp = res.headers.get('content-security-policy')!;
      const nonce = /script-src 'self' 'nonce-([\w+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      const html = await res.text();
      expect(html).toContain(`<script type="module" nonce="${nonce}">`);
      expect(html.match(/<script\b/g)).toHaveLength(1);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('ignore a forged X-Forwarded-Proto unless trustProxy is on', async () => {
    const res = await p.api('/healthz', { token: null, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('behind a reverse proxy that terminates TLS (trustProxy)', () => {
  it('sends HSTS when the proxy says the client came over HTTPS', async () => {
    const proxied = await startTestPlatform({ trustProxy: true });
    try {
      const overHttps = await proxied.api('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
      expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const overHttp = await proxied.api('/healthz', { headers: { 'x-forwarded-proto': 'http' } });
      expect(overHttp.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.close();
    }
  });
});
