// Layout versions are bounded per tenant scope (layoutMaxVersions) and can be deleted, with write
// permission, only by their own tenant; the anonymous local demo may save (it exists to try design
// mode) but not delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldScene } from '../src/core/wire.js';
import type { LayoutVersion } from '../src/core/wire-layout.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const STATION = '88.100.1/line-1/st-01';
let p: TestPlatform;
let x: number;
let acme: string; // writer limited to the demo plant's prefix
let reader: string;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true, layoutMaxVersions: 2 });
  const scene = (await (await p.api('/api/v1/world/scene')).json()) as WorldScene;
  x = scene.objects.find((o) => o.id === STATION)!.layout!.x;
  const token = async (body: object) =>
    ((await (await p.api('/api/v1/tokens', { method: 'POST', json: body })).json()) as { token: string })
      .token;
  acme = await token({ name: 'acme', role: 'writer', prefixes: ['88.100.1'] });
  reader = await token({ name: 'viewer', role: 'reader' });
});
afterAll(async () => p?.close());

async function save(name: string, token: string | null = p.token): Promise<Response> {
  const draft = `d-${name}`;
  const edit = await p.api(`/api/v1/layouts/drafts/${draft}`, {
    method: 'PATCH',
    json: { set: { [STATION]: { x: x + 1 } } },
    token,
  });
  expect(edit.status).toBe(200);
  return p.api('/api/v1/layouts/versions', { method: 'POST', json: { name, draft }, token });
}

const codeOf = async (res: Response) => ({
  status: res.status,
  code: ((await res.json()) as { code?: string }).code,
});

describe('layout versions at the limit', () => {
  let first: LayoutVersion;

  it('refuses a version beyond layoutMaxVersions per tenant, the demo’s saves included', async () => {
    const saved = await save('one');
    expect(saved.status).toBe(201);
    first = (await saved.json()) as LayoutVersion;
    expect((await save('two', null)).status).toBe(201);
    expect(await codeOf(await save('three'))).toEqual({ status: 409, code: 'IMV_LAYOUT_VERSIONS_FULL' });
    expect(await codeOf(await save('four', null))).toEqual({ status: 409, code: 'IMV_LAYOUT_VERSIONS_FULL' });
    // Another tenant's room is its own.
    expect((await save('acme-one', acme)).status).toBe(201);
  });

  it('deletes a version with layouts write, answering 404 to other tenants, viewers 403', async () => {
    const path = `/api/v1/layouts/versions/${first.id}`;
    expect(await codeOf(await p.api(path, { method: 'DELETE', token: acme }))).toEqual({
      status: 404,
      code: 'IMV_LAYOUT_VERSION_NOT_FOUND',
    });
    expect((await p.api(path, { method: 'DELETE', token: reader })).status).toBe(403);
    expect((await p.api(path)).status).toBe(200);

    expect((await p.api(path, { method: 'DELETE' })).status).toBe(204);
    expect((await p.api(path)).status).toBe(404);
    expect(await codeOf(await p.api(path, { method: 'DELETE' }))).toEqual({
      status: 404,
      code: 'IMV_LAYOUT_VERSION_NOT_FOUND',
    });
    // Room again for one more.
    expect((await save('three')).status).toBe(201);
  });
});
