// The start page in a real browser: the demo plant's tree, a twin's details, live updates.
import { mkdirSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe('start page', () => {
  it('shows the running platform, the plant tree and a twin that changes live', async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${p.url}/`);

    await expect.poll(() => page.textContent('#status')).toMatch(/\d{3} twins/);
    expect(await page.textContent('#status')).toContain('demo mode');
    const root = page.locator('#tree .node').first();
    await expect.poll(() => root.textContent()).toContain('Enterprise');

    // Walk down the containment tree: enterprise → site → factory.
    for (let depth = 0; depth < 2; depth++) {
      await page.locator('#tree .toggle').nth(depth).click();
      await expect.poll(() => page.locator('#tree .node').count()).toBeGreaterThan(depth + 1);
    }
    await page.locator('#tree .node').nth(2).click();
    await expect.poll(() => page.textContent('#detail')).toContain('Relationships');
    const id = await page.locator('#tree .node').nth(2).getAttribute('data-id');
    expect(id).toBeTruthy();

    // A change made through the API appears on the page without a reload.
    const res = await p.api(`/api/v1/twins/${encodeURIComponent(id!)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/name', value: 'Renamed live' }]),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => page.textContent('td[data-field="name"]')).toBe('Renamed live');
    await page.screenshot({ path: `${SHOTS}start-page.png` });
    expect(failures).toEqual([]);
  });

  it('opens a twin from a deep link and finds twins by name', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/world?twin=${encodeURIComponent('88.100.1/acme')}`);
    // The world page draws the plant first: on a busy machine that takes more than a second.
    await expect.poll(() => page.textContent('#detail'), { timeout: 10_000 }).toContain('88.100.1/acme');
    await page.fill('#search', 'Line');
    await expect.poll(() => page.locator('#results .node').count()).toBeGreaterThan(0);
  });

  it('finds twins whatever the case of the text typed', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/`);
    await expect.poll(() => page.locator('#tree .node').count()).toBeGreaterThan(0);
    await page.fill('#search', 'acme DRIVES');
    await expect.poll(() => page.textContent('#results')).toContain('ACME Drives');
    await page.close();
  });

  it('places twins nothing contains where the world does: an AGV under the plant that owns it', async () => {
    // Nothing contains the AGV: the plant owns it, and it may be locatedIn a hall of the plant.
    const scene = (await (await p.api('/api/v1/world/scene')).json()) as {
      objects: Array<{ id: string; parent?: string }>;
    };
    const parents = new Map(scene.objects.map((o) => [o.id, o.parent]));
    const agvId = '88.100.1/agv-01';
    const ancestry: string[] = [];
    for (let at = parents.get(agvId); at !== undefined; at = parents.get(at)) ancestry.unshift(at);
    expect(ancestry).toContain('88.100.1/plant-1');
    const contains = (await (
      await p.api(
        `/api/v1/twins/${encodeURIComponent(agvId)}/incomingrelationships?relationshipName=contains`,
      )
    ).json()) as { value: unknown[] };
    expect(contains.value).toEqual([]);

    const page = await browser.newPage();
    await page.goto(`${p.url}/`);
    for (const id of ancestry) await page.locator(`#tree .node[data-id="${id}"] .toggle`).click();
    const agv = page.locator(`#tree .node[data-id="${agvId}"]`);
    await expect.poll(() => agv.isVisible()).toBe(true);
    const parent = agv.locator('xpath=../../preceding-sibling::div[contains(@class, "node")]');
    expect(await parent.getAttribute('data-id')).toBe(ancestry.at(-1));
    await page.close();
  });

  it('says in demo mode what anonymous visitors may do', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/`);
    await expect.poll(() => page.textContent('#status')).toContain('demo mode');
    const status = await page.textContent('#status');
    expect(status).toContain('anonymous visitors may read, and edit layout drafts and notes');
    expect(status).not.toContain('read-only');
    await page.close();
  });

  it('opens the inspector chart on a field that has values', async () => {
    const cnc = '88.100.1/line-1/st-01/cnc';
    const now = Date.now();
    const ingest = await p.api('/api/v1/ingest', {
      method: 'POST',
      json: {
        points: [0, 1, 2].map((i) => ({ twin: cnc, field: 'energy', value: 10 + i, time: now - 60_000 + i })),
      },
    });
    expect(await ingest.json()).toMatchObject({ accepted: 3 });
    const page = await browser.newPage();
    await page.goto(`${p.url}/world?twin=${encodeURIComponent(cnc)}`);
    await expect
      .poll(() => page.textContent('#detail .chart-heading'), { timeout: 10_000 })
      .toContain('energy (recent)');
    await page.close();
  });

  it('shows values devices report as they arrive', async () => {
    const page = await browser.newPage();
    const cnc = '88.100.1/line-1/st-01/cnc';
    await page.goto(`${p.url}/world?twin=${encodeURIComponent(cnc)}`);
    await expect.poll(() => page.textContent('#detail'), { timeout: 10_000 }).toContain(cnc);
    await page.waitForSelector('#detail[data-live]');
    const ingest = await p.api('/api/v1/ingest', {
      method: 'POST',
      json: { points: [{ twin: cnc, field: 'energy', value: 12.5 }] },
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1 });
    await expect.poll(() => page.textContent('td[data-field="energy"]')).toBe('12.5');
  });
});
