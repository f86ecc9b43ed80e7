// Authentication, roles, demo mode, operations endpoints and the OpenAPI document.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { createUser, signIn } from './helpers/people.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => p.close());

describe('authentication and roles', () => {
  it('prints an admin token on the first start only', async () => {
    expect(p.token).toMatch(/^imv_/);
  });

  it('requires a bearer token on the API, saying what is wrong with the one given', async () => {
    for (const [token, detail] of [
      [null, 'needs a bearer token'],
      ['imv_wrong', 'unknown or revoked'],
    ] as const) {
      const res = await p.api('/api/v1/twins', { token });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        code: 'IMV_AUTH_REQUIRED',
        detail: expect.stringContaining(detail),
      });
    }
    const basic = await p.api('/api/v1/twins', { token: null, headers: { authorization: 'Basic YTpi' } });
    expect(await basic.json()).toMatchObject({
      code: 'IMV_AUTH_REQUIRED',
      detail: expect.stringContaining('Bearer TOKEN'),
    });
  });

  it('keeps the one-time admin token for a first start that failed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imverse-first-'));
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as AddressInfo).port;
    await expect(startTestPlatform({ dataDir, port })).rejects.toThrow(/EADDRINUSE/);
    blocker.close();
    const second = await startTestPlatform({ dataDir });
    expect(second.token).toMatch(/^imv_/);
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a reader read but not write, and never shows secrets in listings', async () => {
    const res = await p.api('/api/v1/tokens', {
      method: 'POST',
      json: { name: 'dashboard', role: 'viewer' },
    });
    expect(res.status).toBe(201);
    const { token, id } = (await res.json()) as { token: string; id: string };
    expect((await p.api('/api/v1/twins', { token })).status).toBe(200);
    const write = await p.api('/api/v1/twins/P%2Fx', { method: 'PUT', token, json: {} });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN' });
    const list = await (await p.api('/api/v1/tokens')).text();
    expect(list).toContain(id);
    expect(list).not.toContain(token);
    expect((await p.api(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await p.api('/api/v1/twins', { token })).status).toBe(401);
  });
});

describe('operations', () => {
  it('serves liveness and readiness without a token', async () => {
    expect(await (await p.api('/healthz', { token: null })).json()).toEqual({ status: 'ok' });
    expect(await (await p.api('/readyz', { token: null })).json()).toEqual({ status: 'ready' });
  });

  it('serves Prometheus metrics to authenticated callers', async () => {
    expect((await p.api('/metrics', { token: null })).status).toBe(401);
    const text = await (await p.api('/metrics')).text();
    expect(text).toContain('imverse_http_request_duration_seconds_bucket');
    expect(text).toMatch(/imverse_twins \d+/);
    expect(text).toMatch(/imverse_models \d+/);
    // The 401 above is counted under its stable code, as every refusal is.
    expect(text).toMatch(/imverse_refusals_total\{edge="http",code="IMV_AUTH_REQUIRED"\} [1-9]/);
  });

  it('serves an OpenAPI 3.1 document and a docs page', async () => {
    const doc = (await (await p.api('/api/v1/openapi.json', { token: null })).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/twins/{id}',
      '/api/v1/query',
      '/api/v1/models',
      '/api/v1/resolve/{*}',
      '/api/v1/twins/{id}/relationships/{relId}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const docs = await p.api('/docs/', { token: null });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('serves the start page to a signed-in person, and sends others to sign in', async () => {
    const anonymous = await p.api('/', { token: null, redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/signin?next=%2F');
    await createUser(p, 'start-page-visitor', 'correct horse battery', 'viewer');
    const visitor = await signIn(p, 'start-page-visitor', 'correct horse battery');
    const res = await visitor.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Imverse');
  });

  it('answers unknown endpoints with a problem', async () => {
    const res = await p.api('/api/v1/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'IMV_ROUTE_NOT_FOUND' });
  });
});

describe('demo mode', () => {
  let demo: TestPlatform;
  beforeAll(async () => {
    demo = await startTestPlatform({ demo: true });
  });
  afterAll(async () => demo.close());

  it('imports the demo plant into an empty store', async () => {
    expect(demo.platform.seeded).toBeGreaterThan(40);
  });

  it('lets anonymous local visitors read but not write', async () => {
    const list = await demo.api('/api/v1/twins?pageSize=5', { token: null });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { value: unknown[] }).value).toHaveLength(5);
    const write = await demo.api('/api/v1/twins/P%2Fx', { method: 'PUT', token: null, json: {} });
    expect(write.status).toBe(403);
    expect((await demo.api('/api/v1/tokens', { token: null })).status).toBe(403);
  });
});
