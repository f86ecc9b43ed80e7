// Custom glTF models and moving AGVs in a real browser: AGVs drive as the virtual plant reports their
// positions, and an uploaded .glb bound to the AGV model is drawn instanced in place of their boxes.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldScene } from '../../src/core/wire.js';
import { boxGlb } from '../../src/world/gltf-box.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { openWorld } from '../helpers/world-page.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

declare const window: { __imverse?: Readonly<ImverseHook> };

let browser: BrowserContext;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const openModelsWorld = (p: TestPlatform, path: string) =>
  openWorld(browser, `${p.url}${path}`, { feature: 'models' });

async function agvsOf(p: TestPlatform): Promise<{ ids: string[]; model: string }> {
  const scene = (await (await p.api('/api/v1/world/scene')).json()) as WorldScene;
  const agvs = scene.objects.filter((o) => o.kind === 'agv' && o.layout);
  expect(agvs.length).toBeGreaterThan(1);
  return { ids: agvs.map((o) => o.id), model: agvs[0]!.model };
}

describe('moving AGVs', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ demo: true, virtualPlant: true, virtualPlantSpeed: 300 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('moves an AGV’s instance to the positions the virtual plant reports', async () => {
    const { ids } = await agvsOf(p);
    const { page, failures } = await openModelsWorld(p, '/world');
    const matrices = () =>
      page.evaluate((list) => list.map((id) => window.__imverse!.models!.instanceMatrix(id)), ids);
    const before = await matrices();
    expect(before.every((m) => Array.isArray(m) && m.length === 16)).toBe(true);
    await expect
      .poll(() => page.evaluate(() => window.__imverse!.models!.moves), { timeout: 30_000 })
      .toBeGreaterThan(0);
    // Some AGV's transform changes: its position (elements 12–14) or its heading.
    await expect
      .poll(
        async () => (await matrices()).some((m, i) => m!.some((v, k) => Math.abs(v - before[i]![k]!) > 1e-3)),
        {
          timeout: 30_000,
          interval: 250,
        },
      )
      .toBe(true);
    const moving = await page.evaluate(() => window.__imverse!.models!.moving);
    expect(Object.keys(moving).every((id) => ids.includes(id))).toBe(true);
    expect(failures).toEqual([]);
  }, 90_000);
});

describe('custom glTF models', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    // No virtual plant: the AGVs stand still, so a click can aim at one.
    p = await startTestPlatform({ demo: true });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('draws an uploaded .glb instanced for every twin of the bound model, and a broken one not at all', async () => {
    const { ids, model } = await agvsOf(p);
    const plain = await openModelsWorld(p, '/world');
    const baseCalls = await plain.page.evaluate(() => window.__imverse!.drawCalls);
    await plain.page.close();

    const put = (name: string, body: Uint8Array | string, type: string) =>
      p.api(`/api/v1/world/models/${name}`, { method: 'PUT', headers: { 'content-type': type }, body });
    expect((await put('agv-box', boxGlb(), 'model/gltf-binary')).status).toBe(201);
    // Passes the server's structural check but names an accessor that does not exist: the loader fails.
    const broken = JSON.stringify({
      asset: { version: '2.0' },
      meshes: [{ primitives: [{ attributes: { POSITION: 7 } }] }],
      buffers: [{ byteLength: 4, uri: 'data:application/octet-stream;base64,AAAAAA==' }],
    });
    expect((await put('broken', broken, 'model/gltf+json')).status).toBe(201);
    const bind = (target: string, json: unknown) =>
      p.api(`/api/v1/world/model-bindings/${encodeURIComponent(target)}`, { method: 'PUT', json });
    expect((await bind(model, { model: 'agv-box' })).status).toBe(200);
    const odd = ids[0]!;
    expect((await bind(odd, { model: 'broken' })).status).toBe(200);

    const { page, failures } = await openModelsWorld(p, '/world');
    await page.waitForFunction(() => window.__imverse?.models?.settled === true, null, { timeout: 30_000 });
    const hook = await page.evaluate(() => window.__imverse!.models!);
    expect(hook.bindings).toBe(2);
    expect(hook.drawn).toEqual({ 'agv-box': { twins: ids.length - 1, meshes: 2 } });
    expect(Object.keys(hook.failed)).toEqual(['broken']);
    // One more draw call per primitive of the asset, however many AGVs use it.
    await expect.poll(() => page.evaluate(() => window.__imverse!.drawCalls)).toBe(baseCalls + 2);
    expect(failures).toEqual([]);
  }, 90_000);

  // Uses the model and bindings the test before uploaded.
  it('selects the twin when its custom model is clicked', async () => {
    const { ids } = await agvsOf(p);
    const target = ids[1]!;
    const { page, failures } = await openModelsWorld(p, `/world?twin=${encodeURIComponent(target)}`);
    await page.waitForFunction(() => window.__imverse?.models?.settled === true, null, { timeout: 30_000 });
    expect(await page.evaluate(() => window.__imverse!.models!.drawn['agv-box'])).toBeDefined();
    await page.waitForTimeout(1500); // the camera flies to the AGV
    await page.screenshot({ path: new URL('./__screenshots__/world-models.png', import.meta.url).pathname });
    const box = (await page.locator('#viewport canvas').boundingBox())!;
    // A slow machine may still be flying the camera: click again until the flight has ended.
    await expect
      .poll(
        async () => {
          await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          return page.evaluate(() => window.__imverse!.models!.lastPick);
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(target);
    expect(await page.evaluate(() => window.__imverse!.selected)).toBe(target);
    expect(failures).toEqual([]);
  }, 90_000);
});
