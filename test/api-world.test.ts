// The 3D scene endpoint on the demo plant: counts, hierarchy, subtrees, errors, tenants, revalidation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldKind, WorldObject, WorldScene } from '../src/core/wire.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
let scene: WorldScene;
let etag: string;
const enc = encodeURIComponent;

async function createToken(body: Record<string, unknown>): Promise<string> {
  const res = await p.api('/api/v1/tokens', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  const res = await p.api('/api/v1/world/scene');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  etag = res.headers.get('etag') ?? '';
  scene = (await res.json()) as WorldScene;
});
afterAll(async () => p.close());

const byId = (objects: readonly WorldObject[]) => new Map(objects.map((o) => [o.id, o]));

describe('GET /api/v1/world/scene', () => {
  it('holds the whole demo plant, by kind, in identifier order', () => {
    expect(scene.root).toBeUndefined();
    expect(scene.objects).toHaveLength(233);
    const ids = scene.objects.map((o) => o.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const counts: Partial<Record<WorldKind, number>> = {};
    for (const o of scene.objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    expect(counts).toMatchObject({ station: 40, machine: 22, robot: 8, agv: 4, sensor: 77, line: 4 });
    expect(scene.bounds).toEqual({ minX: 0, minY: 0, maxX: 224, maxY: 90 });
  });

  it('gives the hierarchy and the layout of each station', () => {
    const objects = byId(scene.objects);
    const station = objects.get('88.100.1/line-1/st-01')!;
    expect(station).toMatchObject({
      name: 'OP10 face milling',
      kind: 'station',
      model: 'dtmi:imverse:Station;1',
      parent: '88.100.1/line-1',
      type: 'machining',
      layout: { x: 26, y: 22, z: 0, rotation: 0, width: 5, depth: 6, height: 2.2 },
    });
    expect(objects.get('88.100.1/line-1/st-01/cnc')).toMatchObject({
      kind: 'machine',
      parent: '88.100.1/line-1/st-01',
      type: 'cnc',
    });
    const chain: string[] = [];
    for (let at = objects.get('88.100.1/line-1'); at !== undefined; at = objects.get(at.parent ?? '')) {
      chain.push(at.kind);
    }
    expect(chain).toEqual(['line', 'workshop', 'site', 'site', 'site']);
  });

  it('colours by the twin’s current state, and answers 304 while the scene is unchanged', async () => {
    expect(etag).toMatch(/^W\/".+"$/);
    const unchanged = await p.api('/api/v1/world/scene', { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');

    // Device traffic changes states without new twin versions: the ETag follows the content.
    const id = '88.100.1/line-2/st-03';
    const ingested = await p.api('/api/v1/ingest', {
      method: 'POST',
      json: { points: [{ twin: id, field: 'state', time: Date.now(), value: 'blocked' }] },
    });
    expect(await ingested.json()).toMatchObject({ accepted: 1 });
    const changed = await p.api('/api/v1/world/scene', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const objects = byId(((await changed.json()) as WorldScene).objects);
    expect(objects.get(id)?.state).toBe('blocked');
  });

  it('gives a line’s subtree: its stations, their equipment and sensors', async () => {
    const res = await p.api(`/api/v1/world/scene?root=${enc('88.100.1/line-1')}`);
    expect(res.status).toBe(200);
    const sub = (await res.json()) as WorldScene;
    expect(sub.root).toBe('88.100.1/line-1');
    const objects = byId(sub.objects);
    expect(objects.get('88.100.1/line-1')?.parent).toBeUndefined();
    expect(sub.objects.every((o) => o.id.startsWith('88.100.1/line-1'))).toBe(true);
    expect(sub.objects.filter((o) => o.kind === 'station')).toHaveLength(10);
    for (const o of sub.objects.slice(1)) expect(objects.has(o.parent!), o.id).toBe(true);
    expect(sub.bounds.minX).toBeGreaterThan(0);
    expect(sub.bounds.maxX).toBeLessThan(224);
  });

  it('refuses an unknown or malformed root with a stable code', async () => {
    const missing = await p.api(`/api/v1/world/scene?root=${enc('88.100.1/line-9')}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ code: 'IMV_TWIN_NOT_FOUND' });
    const malformed = await p.api('/api/v1/world/scene?root=no-slash');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'IMV_ID_MALFORMED' });
  });

  it('shows a token limited to other prefixes nothing, and none of their twins as roots', async () => {
    const other = await createToken({ name: 'other tenant', role: 'reader', prefixes: ['88.200.2'] });
    const res = await p.api('/api/v1/world/scene', { token: other });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bounds: { minX: 0, minY: 0, maxX: 0, maxY: 0 }, objects: [] });
    const root = await p.api(`/api/v1/world/scene?root=${enc('88.100.1/line-1')}`, { token: other });
    expect(root.status).toBe(403);
    expect(await root.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN' });

    const own = await createToken({ name: 'acme', role: 'reader', prefixes: ['88.100.1'] });
    const mine = (await (await p.api('/api/v1/world/scene', { token: own })).json()) as WorldScene;
    expect(mine.objects).toHaveLength(233);
  });

  it('needs a token outside the local demo', async () => {
    const res = await p.api('/api/v1/world/scene', { token: 'not-a-token' });
    expect(res.status).toBe(401);
  });
});
