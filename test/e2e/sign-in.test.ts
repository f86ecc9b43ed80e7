// Signing in with a password on a platform that is not a demo, in a real browser: the world page then
// loads and follows live changes by the session cookie alone, and no credential is in localStorage.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { importPlant, readPlantFile } from '../../src/server/plant-file.js';
import { DEMO_PLANT } from '../../src/server/platform.js';
import { launchBrowser } from '../helpers/browser.js';
import { createUser } from '../helpers/people.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverse?: Readonly<ImverseHook> };
declare const localStorage: {
  length: number;
  key(i: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
};
declare const document: { cookie: string };

const STATION = '88.100.1/line-2/st-01';
const PASSWORD = 'correct horse battery';
let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform();
  await importPlant(p.platform.core.graph, readPlantFile(DEMO_PLANT));
  await createUser(p, 'olga', PASSWORD, 'viewer');
  browser = await launchBrowser();
  // A token an older version left behind: the pages must remove it, not use it.
  await browser.addInitScript((token) => localStorage.setItem('imverse.token', token), p.token);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe('sign-in in a browser', () => {
  it('signs in with a password, shows the live world, and keeps no token in localStorage', async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${p.url}/world?twin=${encodeURIComponent(STATION)}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('#name', 'olga');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/world/), page.click('button[type=submit]')]);

    await page.waitForFunction(() => window.__imverse?.ready === true || window.__imverse?.error, null, {
      timeout: 30_000,
    });
    expect(await page.evaluate(() => window.__imverse?.error)).toBeUndefined();
    expect(await page.evaluate(() => window.__imverse?.objects)).toBeGreaterThan(40);
    // The live socket authenticated by the cookie: a change made elsewhere reaches the page.
    await page.waitForFunction(() => window.__imverse?.live === true, null, { timeout: 10_000 });
    const patched = await p.api(`/api/v1/twins/${encodeURIComponent(STATION)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: '/state', value: 'down' }]),
    });
    expect(patched.status).toBe(200);
    await page.waitForFunction(() => window.__imverse?.lastLiveUpdate !== undefined, null, {
      timeout: 10_000,
    });

    const stored = await page.evaluate(() => {
      const entries: string[] = [];
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i)!;
        entries.push(`${key}=${localStorage.getItem(key)}`);
      }
      return entries;
    });
    expect(stored.filter((entry) => /token|imv_/i.test(entry))).toEqual([]);
    // The session secret is HttpOnly: no script of the page can read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('imv_session');
    expect(failures).toEqual([]);
  });

  it('runs the start page, whose queries are POSTs, with the session and its CSRF token', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/`);
    await page.waitForSelector('#tree .node', { timeout: 20_000 });
    expect(await page.textContent('#status')).not.toContain('IMV_');
  });
});
