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
    await expect.poll(() => page.textContent('#detail')).toContain('88.100.1/acme');
    await page.fill('#search', 'Line');
    await expect.poll(() => page.locator('#results .node').count()).toBeGreaterThan(0);
  });

  it('shows values devices report as they arrive', async () => {
    const page = await browser.newPage();
    const cnc = '88.100.1/line-1/st-01/cnc';
    await page.goto(`${p.url}/world?twin=${encodeURIComponent(cnc)}`);
    await expect.poll(() => page.textContent('#detail')).toContain(cnc);
    await page.waitForSelector('#detail[data-live]');
    const ingest = await p.api('/api/v1/ingest', {
      method: 'POST',
      json: { points: [{ twin: cnc, field: 'energy', value: 12.5 }] },
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1 });
    await expect.poll(() => page.textContent('td[data-field="energy"]')).toBe('12.5');
  });
});
