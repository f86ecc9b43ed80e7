// The 3D world in a real browser: the demo plant drawn with one instanced mesh per kind, a station
// selected by deep link, search and click, and its inspector following the live virtual plant.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldScene } from '../../src/core/wire.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { openWorld } from '../helpers/world-page.js';
import { createUser } from '../helpers/people.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverse?: Readonly<ImverseHook> };
declare const document: any;
declare const Image: any;

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const STATION = '88.100.1/line-2/st-01';
let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true, virtualPlant: true, virtualPlantSpeed: 300 });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** Share of the picture's pixels that differ clearly from the background colour (#0f1720). */
async function paintedShare(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const g = canvas.getContext('2d')!;
    g.drawImage(image, 0, 0);
    const { data } = g.getImageData(0, 0, image.width, image.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      const distance =
        Math.abs(data[i]! - 0x0f) + Math.abs(data[i + 1]! - 0x17) + Math.abs(data[i + 2]! - 0x20);
      if (distance > 30) painted++;
    }
    return painted / (data.length / 4);
  }, png.toString('base64'));
}

describe('3D world', () => {
  it('draws the demo plant from the scene endpoint, one instanced mesh per kind', async () => {
    const scene = (await (await p.api('/api/v1/world/scene')).json()) as WorldScene;
    const expected: Record<string, number> = {};
    for (const o of scene.objects) if (o.layout) expected[o.kind] = (expected[o.kind] ?? 0) + 1;
    expect(Object.keys(expected).length).toBeGreaterThan(4);

    const { page, failures } = await openWorld(browser, `${p.url}/world`);
    const hook = await page.evaluate(() => window.__imverse!);
    expect(hook.instances).toEqual(expected);
    expect(hook.objects).toBe(scene.objects.length);
    // One call per kind, plus the ground grid and the selection marker.
    expect(hook.drawCalls).toBeGreaterThan(0);
    expect(hook.drawCalls).toBeLessThanOrEqual(Object.keys(expected).length + 3);

    expect(await page.textContent('#plant-name')).toBe('ACME Drives');
    expect(await page.textContent('header')).toMatch(/drag to orbit/i);
    expect(await page.locator('#legend [data-state]').count()).toBeGreaterThanOrEqual(6);

    const shot = await page.locator('#viewport').screenshot();
    expect(await paintedShare(page, shot)).toBeGreaterThan(0.05);
    await page.screenshot({ path: `${SHOTS}world.png` });
    expect(failures).toEqual([]);
  });

  it('opens a station from a deep link with its state, and its values change live', async () => {
    const { page, failures } = await openWorld(browser, `${p.url}/world?twin=${encodeURIComponent(STATION)}`);
    expect(await page.evaluate(() => window.__imverse?.selected)).toBe(STATION);
    await expect.poll(() => page.textContent('#detail')).toContain(STATION);
    await page.waitForSelector('#detail[data-live]');
    expect(await page.textContent('td[data-field="state"]')).toMatch(
      /^(running|idle|blocked|starved|down|maintenance|setup|offline)$/,
    );
    expect(await page.locator('#tree .node.selected').getAttribute('data-id')).toBe(STATION);

    // The virtual plant runs 300× real time: the station's counts and state move within seconds.
    const before = await page.textContent('#detail table');
    await expect
      .poll(() => page.textContent('#detail table'), { timeout: 20_000, interval: 250 })
      .not.toBe(before);
    expect(await page.evaluate(() => window.__imverse?.lastLiveUpdate)).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}world-station.png` });
    expect(failures).toEqual([]);
  });

  it('finds a station by search and picks equipment by clicking it', async () => {
    const { page, failures } = await openWorld(browser, `${p.url}/world`);
    await page.fill('#search', STATION);
    await page.locator(`#results .node[data-id="${STATION}"]`).click();
    await expect.poll(() => page.evaluate(() => window.__imverse?.selected)).toBe(STATION);
    await expect.poll(() => page.textContent('#detail h2')).toBeTruthy();
    expect(new URL(page.url()).searchParams.get('twin')).toBe(STATION);

    // The camera flies to the station; a click in the middle of the view hits it or its machine.
    await page.waitForTimeout(1200);
    const box = (await page.locator('#viewport canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.evaluate(() => window.__imverse?.selected)).not.toBe(undefined);
    expect(await page.evaluate(() => window.__imverse?.selected)).toMatch(new RegExp(`^${STATION}`));
    expect(failures).toEqual([]);
  });

  it('sends a visitor to sign in outside demo mode, then uses the session for the API and the live socket', async () => {
    const secured = await startTestPlatform();
    try {
      await createUser(secured, 'wanda', 'correct horse battery', 'viewer');
      const page = await browser.newPage();
      await page.goto(`${secured.url}/world`);
      await page.waitForURL(/\/signin\?next=%2Fworld$/);
      await page.fill('#name', 'wanda');
      await page.fill('#password', 'correct horse battery');
      await Promise.all([page.waitForURL(/\/world$/), page.click('button[type=submit]')]);
      // An empty store is an empty but working world.
      await page.waitForFunction(() => window.__imverse?.ready === true, null, { timeout: 20_000 });
      expect(await page.evaluate(() => window.__imverse?.instances)).toEqual({});
      await page.waitForFunction(() => window.__imverse?.live === true, null, { timeout: 10_000 });
      await page.goto(`${secured.url}/world?twin=${encodeURIComponent('88.100.1/nothing')}`);
      await page.waitForSelector('#detail[data-live], #detail .error');
      expect(await page.textContent('#detail')).toContain('IMV_TWIN_NOT_FOUND');
    } finally {
      await secured.close();
    }
  });

  it('welcomes a first-time visitor once, and shows the tour again from the ? button', async () => {
    const fresh = await launchBrowser({ firstVisit: true });
    try {
      const page = await fresh.newPage();
      await page.goto(`${p.url}/world`);
      await page.waitForFunction(() => window.__imverse?.ready === true, null, { timeout: 20_000 });
      const card = page.locator('.welcome');
      await expect.poll(() => card.isVisible()).toBe(true);
      expect(await card.textContent()).toMatch(/coloured by its state.*Timeline.*Design/s);
      await page.click('.welcome-close');
      expect(await card.isVisible()).toBe(false);
      await page.reload();
      await page.waitForFunction(() => window.__imverse?.ready === true, null, { timeout: 20_000 });
      expect(await page.locator('.welcome').isVisible()).toBe(false);
      await page.click('#toolbar button[title="What can I do here?"]');
      expect(await page.locator('.welcome').isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
    // A fresh browser and two page loads: more than the default on a busy 2-core machine.
  }, 60_000);
});
