// Platform-wide operations data (/metrics, ingest stats) is for callers limited to no prefixes:
// a tenant's token, even an admin's, is refused; Prometheus scrapes with an unrestricted reader token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform();
  for (const [name, body] of Object.entries({
    acmeReader: { role: 'reader', prefixes: ['88.100.1'] },
    acmeAdmin: { role: 'admin', prefixes: ['88.100.1'] },
    prometheus: { role: 'reader' },
  })) {
    const res = await p.api('/api/v1/tokens', { method: 'POST', json: { name, ...body } });
    expect(res.status).toBe(201);
    tokens[name] = ((await res.json()) as { token: string }).token;
  }
});
afterAll(async () => p?.close());

describe('platform-wide operations data', () => {
  it('refuses /metrics and ingest stats to a token limited to prefixes, whatever its role', async () => {
    for (const path of ['/metrics', '/api/v1/ingest/stats']) {
      for (const name of ['acmeReader', 'acmeAdmin']) {
        const res = await p.api(path, { token: tokens[name]! });
        expect(res.status, `${name} ${path}`).toBe(403);
        expect(((await res.json()) as { code: string }).code).toBe('IMV_AUTH_FORBIDDEN');
      }
    }
  });

  it('serves them to an unrestricted reader (a Prometheus scrape token) and admin', async () => {
    for (const token of [tokens.prometheus!, p.token]) {
      const metrics = await p.api('/metrics', { token });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain(
        'imverse_refusals_total{edge="http",code="IMV_AUTH_FORBIDDEN"} 4',
      );
      const stats = await p.api('/api/v1/ingest/stats', { token });
      expect(stats.status).toBe(200);
      expect(await stats.json()).toHaveProperty('sources');
    }
  });
});
