// Layout versions through a real platform with the demo plant: a draft edited over the collaboration
// WebSocket (as browsers do) is saved as a version, listed, compared with the plant and sent to a study.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { Doc } from 'yjs';
import type { WorldScene } from '../src/core/wire.js';
import type { LayoutComparison, LayoutStudyStarted, LayoutVersion } from '../src/core/wire-layout.js';
import { DraftDoc } from '../src/core/wire-draft.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const STATION = '88.100.1/line-1/st-01';
const MACHINE = '88.100.1/line-1/st-01/cnc';
let p: TestPlatform;
let scene: WorldScene;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  scene = (await (await p.api('/api/v1/world/scene')).json()) as WorldScene;
});
afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await p?.close();
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function openDraft(draft: string, token = p.token): Promise<DraftDoc> {
  const doc = new Doc();
  const provider = new WebsocketProvider(
    `${p.url.replace('http', 'ws')}/api/v1/world/collab`,
    `layout.${draft}`,
    doc,
    {
      params: { access_token: token },
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
    },
  );
  providers.push(provider);
  await until(() => provider.synced, 'the draft is synced');
  return new DraftDoc(doc);
}

/** Waits until the server's copy of the draft has the edits (they travel over the WebSocket). */
async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function token(body: object): Promise<string> {
  const res = await p.api('/api/v1/tokens', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const layoutOf = (id: string) => scene.objects.find((o) => o.id === id)!.layout!;

describe('layout versions', () => {
  let version: LayoutVersion;

  it('save a draft as a named version: moved, turned, removed and added equipment', async () => {
    const draft = await openDraft('plan-a');
    const station = layoutOf(STATION);
    draft.set(STATION, { x: station.x + 3, y: station.y + 4 });
    draft.set(MACHINE, { rotation: 90 });
    draft.remove('88.100.1/line-1/st-02');
    draft.add({ kind: 'robot', name: 'Extra robot', x: 5, y: 5, rotation: 0, width: 1, depth: 1, height: 2 });
    await settled();

    const res = await p.api('/api/v1/layouts/versions', {
      method: 'POST',
      json: { name: 'Plan A', draft: 'plan-a' },
    });
    expect(res.status).toBe(201);
    version = (await res.json()) as LayoutVersion;
    expect(res.headers.get('location')).toBe(`/api/v1/layouts/versions/${version.id}`);
    expect(version).toMatchObject({ name: 'Plan A', draft: 'plan-a', changes: 4 });
    expect(version.objects.find((o) => o.id === STATION)).toMatchObject({
      change: 'changed',
      layout: { x: station.x + 3, y: station.y + 4, width: station.width },
      before: { x: station.x, y: station.y },
    });

    const list = (await (await p.api('/api/v1/layouts/versions')).json()) as { value: LayoutVersion[] };
    expect(list.value.map((v) => v.name)).toContain('Plan A');
    const one = (await (await p.api(`/api/v1/layouts/versions/${version.id}`)).json()) as LayoutVersion;
    expect(one.objects).toEqual(version.objects);
  });

  it('compare a version with the plant as it is now, with distances and degrees', async () => {
    const res = await p.api(`/api/v1/layouts/versions/${version.id}/compare`);
    expect(res.status).toBe(200);
    const diff = (await res.json()) as LayoutComparison;
    expect(diff.moved).toEqual([expect.objectContaining({ id: STATION, distance: 5 })]);
    const turn = ((90 - layoutOf(MACHINE).rotation + 540) % 360) - 180;
    expect(diff.rotated).toEqual([
      expect.objectContaining({ id: MACHINE, degrees: turn === -180 ? 180 : turn }),
    ]);
    expect(diff.removed).toEqual([{ id: '88.100.1/line-1/st-02', name: expect.any(String) }]);
    expect(diff.added).toEqual([expect.objectContaining({ name: 'Extra robot', kind: 'robot' })]);
    expect(diff.totals).toMatchObject({
      moved: 1,
      rotated: 1,
      added: 1,
      removed: 1,
      changed: 4,
      distance: 5,
    });
  });

  it('start a what-if study of the demo plant with the version applied', async () => {
    const res = await p.api(`/api/v1/layouts/versions/${version.id}/study`, {
      method: 'POST',
      json: { horizon: '2h', warmup: '0s', replications: 1 },
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as LayoutStudyStarted;
    expect(started.applied).toBe(2);
    expect(started.notApplied.map((n) => n.id).sort()).toEqual(
      [version.objects.find((o) => o.change === 'added')!.id, '88.100.1/line-1/st-02'].sort(),
    );
    const study = (await (await p.api(started.location)).json()) as { id: string; name: string };
    expect(study).toMatchObject({ id: started.study, name: 'layout Plan A' });
    await p.api(started.location, { method: 'DELETE' });
  });

  it('refuse bad input with stable codes', async () => {
    const post = async (json: unknown): Promise<{ status: number; code: string }> => {
      const res = await p.api('/api/v1/layouts/versions', { method: 'POST', json });
      return { status: res.status, code: ((await res.json()) as { code: string }).code };
    };
    expect(await post({ name: 'x', draft: '../etc' })).toEqual({ status: 400, code: 'IMV_REQUEST_INVALID' });
    expect(await post({ name: '', draft: 'plan-a' })).toEqual({ status: 400, code: 'IMV_REQUEST_INVALID' });
    expect(await post({ name: 'Plan A', draft: 'plan-a' })).toEqual({
      status: 409,
      code: 'IMV_LAYOUT_VERSION_EXISTS',
    });
    expect(await post({ name: 'Empty', draft: 'never-edited' })).toEqual({
      status: 409,
      code: 'IMV_LAYOUT_DRAFT_EMPTY',
    });

    const bad = await openDraft('bad-values');
    bad.doc.transact(() => bad.set(STATION, { x: Number.NaN }));
    await settled();
    expect(await post({ name: 'Bad', draft: 'bad-values' })).toEqual({
      status: 400,
      code: 'IMV_LAYOUT_DRAFT_INVALID',
    });

    const missing = await p.api('/api/v1/layouts/versions/nope/compare');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('IMV_LAYOUT_VERSION_NOT_FOUND');
    const badPlant = await p.api(`/api/v1/layouts/versions/${version.id}/study`, {
      method: 'POST',
      json: { plant: 'just: text' },
    });
    expect(badPlant.status).toBe(400);
    expect(((await badPlant.json()) as { code: string }).code).toBe('IMV_LAYOUT_PLANT_INVALID');
  });

  it('let a reader list but not save versions or start studies', async () => {
    const reader = await token({ name: 'viewer', role: 'reader' });
    const save = await p.api('/api/v1/layouts/versions', {
      method: 'POST',
      json: { name: 'Sneaky', draft: 'plan-a' },
      token: reader,
    });
    expect(save.status).toBe(403);
    expect(((await save.json()) as { code: string }).code).toBe('IMV_AUTH_FORBIDDEN');
    const study = await p.api(`/api/v1/layouts/versions/${version.id}/study`, {
      method: 'POST',
      json: {},
      token: reader,
    });
    expect(study.status).toBe(403);
    expect((await p.api('/api/v1/layouts/versions', { token: reader })).status).toBe(200);
  });

  it('keep each tenant’s versions apart', async () => {
    const other = await token({ name: 'other', role: 'writer', prefixes: ['88.200.1'] });
    const list = (await (await p.api('/api/v1/layouts/versions', { token: other })).json()) as {
      value: unknown[];
    };
    expect(list.value).toEqual([]);
    const res = await p.api(`/api/v1/layouts/versions/${version.id}`, { token: other });
    expect(res.status).toBe(404);
    // Its draft room of the same name is its own, and empty.
    const save = await p.api('/api/v1/layouts/versions', {
      method: 'POST',
      json: { name: 'Mine', draft: 'plan-a' },
      token: other,
    });
    expect(save.status).toBe(409);
  });

  it('let the local demo save without a token, as it may edit drafts', async () => {
    const draft = await openDraft('demo-draft');
    draft.set(STATION, { rotation: 45 });
    await settled();
    const res = await p.api('/api/v1/layouts/versions', {
      method: 'POST',
      json: { name: 'Demo', draft: 'demo-draft' },
      token: null,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as LayoutVersion).createdBy).toMatch(/demo/);
  });
});

describe('layout drafts over HTTP', () => {
  it('change a draft that people see at once, and read it back', async () => {
    const watcher = await openDraft('scripted');
    const station = layoutOf(STATION);
    const res = await p.api('/api/v1/layouts/drafts/scripted', {
      method: 'PATCH',
      json: { set: { [STATION]: { x: station.x + 2 }, [MACHINE]: { removed: true } } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      changes: 2,
      overrides: { [STATION]: { x: station.x + 2 }, [MACHINE]: { removed: true } },
    });
    await until(() => watcher.get(STATION)?.x === station.x + 2, 'the person in the draft sees the move');
    expect(watcher.get(MACHINE)?.removed).toBe(true);

    const reset = await p.api('/api/v1/layouts/drafts/scripted', {
      method: 'PATCH',
      json: { set: { [MACHINE]: null } },
    });
    expect(await reset.json()).toMatchObject({ changes: 1 });
    await until(() => watcher.get(MACHINE) === undefined, 'the reset reaches the person in the draft');
    const read = await (await p.api('/api/v1/layouts/drafts/scripted')).json();
    expect(read).toMatchObject({ draft: 'scripted', changes: 1, added: {} });
  });

  it('refuse readers, added equipment, unknown fields and bad draft names', async () => {
    const reader = await token({ name: 'draft reader', role: 'reader' });
    const patch = (path: string, json: unknown, as?: string) =>
      p.api(path, { method: 'PATCH', json, ...(as ? { token: as } : {}) });
    const forbidden = await patch('/api/v1/layouts/drafts/x', { set: { [STATION]: { x: 1 } } }, reader);
    expect(forbidden.status).toBe(403);
    const added = await patch('/api/v1/layouts/drafts/x', { set: { 'draft:abc': { x: 1 } } });
    expect(await added.json()).toMatchObject({ code: 'IMV_LAYOUT_DRAFT_INVALID' });
    const unknown = await patch('/api/v1/layouts/drafts/x', { set: { [STATION]: { colour: 1 } } });
    expect(await unknown.json()).toMatchObject({ code: 'IMV_REQUEST_INVALID' });
    const empty = await patch('/api/v1/layouts/drafts/x', { set: {} });
    expect(empty.status).toBe(400);
    const badName = await patch('/api/v1/layouts/drafts/..bad', { set: { [STATION]: { x: 1 } } });
    expect(badName.status).toBe(400);
  });
});
