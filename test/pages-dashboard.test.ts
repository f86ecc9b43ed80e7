// The /dashboard page route: served from the built bundle, with the same 503 fallback as /world.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouteDeps } from '../src/server/route-deps.js';

let dir: string;
const saved = process.env.IMVERSE_WEB_DIR;

/** pages.ts reads IMVERSE_WEB_DIR when loaded: load it afresh for a bundle directory. */
async function appServing(webDir: string): Promise<FastifyInstance> {
  process.env.IMVERSE_WEB_DIR = webDir;
  vi.resetModules();
  const { pageRoutes } = await import('../src/server/routes/pages.js');
  const app = Fastify();
  await app.register(pageRoutes, { demo: true } as RouteDeps);
  return app;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imverse-web-'));
});
afterAll(() => {
  if (saved === undefined) delete process.env.IMVERSE_WEB_DIR;
  else process.env.IMVERSE_WEB_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /dashboard', () => {
  it('answers 503 with a page saying how to build it when the bundle is missing', async () => {
    const app = await appServing(join(dir, 'missing'));
    const res = await app.inject('/dashboard');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('The dashboard is not built yet');
    expect(res.body).toContain('npm run build');
    expect((await app.inject('/world')).body).toContain('The 3D world is not built yet');
    await app.close();
  });

  it('serves the built dashboard.html beside the world’s index.html', async () => {
    writeFileSync(join(dir, 'dashboard.html'), '<!doctype html><title>dashboard page</title>');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>world page</title>');
    const app = await appServing(dir);
    const res = await app.inject('/dashboard');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('dashboard page');
    expect((await app.inject('/world')).body).toContain('world page');
    await app.close();
  });
});
