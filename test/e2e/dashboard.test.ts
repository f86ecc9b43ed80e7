// The plant dashboard in a real browser: tiles showing the API's numbers, charts drawn, a range
// picked, a line opened in the 3D world, and the token prompt outside demo mode.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorldKpis } from '../../src/core/wire-dashboard.js';
import { formatSeconds, TILES } from '../../web/src/dashboard/format.js';
import type { DashboardHook } from '../../web/src/dashboard/hook-shape.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { createUser } from '../helpers/people.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverseDashboard?: Readonly<DashboardHook>; __imverse?: Readonly<ImverseHook> };
declare const document: any;

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true, virtualPlant: true, virtualPlantSpeed: 300 });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
// Each open dashboard follows the live feed of a plant running 300× real time: close them after each test.
const opened: Page[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((page) => page.close()));
});
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** Opens the dashboard and records each KPI answer the page receives, newest last. */
async function openDashboard(
  path = '/dashboard',
): Promise<{ page: Page; answers: WorldKpis[]; failures: string[] }> {
  const page = await browser.newPage();
  opened.push(page);
  const failures: string[] = [];
  const answers: WorldKpis[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('response', async (response) => {
    if (!response.url().includes('/api/v1/world/kpis') || response.status() !== 200) return;
    // A page closed while an answer arrives has nothing to record.
    const body = await response.json().catch(() => undefined);
    if (body !== undefined) answers.push(body as WorldKpis);
  });
  await page.goto(`${p.url}${path}`);
  await page.waitForFunction(() => window.__imverseDashboard?.ready === true, null, { timeout: 20_000 });
  return { page, answers, failures };
}

/** Pixels of a canvas drawn in one of these colours (#rrggbb), give or take antialiasing. */
async function pixelsInColours(page: Page, selector: string, colours: readonly string[]): Promise<number> {
  return page.evaluate(
    ({ selector, colours }) => {
      const rgb = colours.map(
        (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number],
      );
      const canvas = document.querySelector(selector);
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let hits = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        const near = rgb.some(
          ([r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40,
        );
        if (near) hits++;
      }
      return hits;
    },
    { selector, colours },
  );
}

const LINE_COLOURS = ['#4fb3ff', '#f5a524', '#3ecf8e', '#d97cff'];

describe('dashboard', () => {
  it('shows the plant KPIs the API computes, a table per line and both charts', async () => {
    // At 300× the lines finish units within seconds: wait until the plant has output to show.
    await expect
      .poll(async () => ((await (await p.api('/api/v1/world/kpis')).json()) as WorldKpis).plant.output, {
        timeout: 20_000,
        interval: 500,
      })
      .toBeGreaterThan(0);
    const { page, answers, failures } = await openDashboard();
    // The hook and the tiles read in one go: the page cannot refresh in between.
    const { hook, texts, cycles } = await page.evaluate(() => ({
      hook: window.__imverseDashboard!,
      texts: Object.fromEntries(
        [...document.querySelectorAll('#tiles [data-kpi]')].map((tile: any) => [
          tile.dataset.kpi,
          tile.querySelector('.value').textContent,
        ]),
      ) as Record<string, string>,
      cycles: Object.fromEntries(
        [...document.querySelectorAll('#lines tbody tr')].map((row: any) => {
          const cell = row.querySelector('[data-col="idealCycleTime"]');
          const nominal = cell.querySelector('.nominal')?.textContent ?? null;
          return [
            row.dataset.twin,
            { ideal: cell.querySelector('.ideal').textContent, nominal, title: cell.title },
          ];
        }),
      ) as Record<string, { ideal: string; nominal: string | null; title: string }>,
    }));
    await expect.poll(() => answers.some((a) => a.computedAt === hook.computedAt)).toBe(true);
    const shown = answers.find((a) => a.computedAt === hook.computedAt)!;
    expect(hook.range).toBe('1h');
    expect(hook.window).toEqual({ from: shown.from, to: shown.to, bucket: shown.bucket });
    expect(shown.to - shown.from).toBe(3_600_000);

    // Each tile shows the number the API sent, written as the page writes it.
    const plant = shown.plant as unknown as Record<string, number | null>;
    for (const tile of TILES) {
      expect(hook.tiles[tile.key]).toBe(plant[tile.key]);
      expect(texts[tile.key]).toBe(tile.format(plant[tile.key]));
    }
    expect(plant.output).toBeGreaterThan(0);
    expect(texts.throughput).toMatch(/^[\d,.]+$/);

    // The same window asked again gives the same plant (counts that were still arriving aside).
    const again = (await (
      await p.api(`/api/v1/world/kpis?from=${shown.from}&to=${shown.to}`)
    ).json()) as WorldKpis;
    expect(again.lines.map((l) => l.id)).toEqual(shown.lines.map((l) => l.id));
    expect(again.plant.stations).toBe(shown.plant.stations);
    expect(again.plant.output).toBeGreaterThanOrEqual(shown.plant.output);

    // A section per line, each line and station linking into the 3D world.
    expect(await page.locator('#lines section.line').count()).toBe(shown.lines.length);
    for (const line of shown.lines) {
      const section = page.locator(`#lines section[data-line="${line.id}"]`);
      expect(await section.locator('h2 a').getAttribute('href')).toBe(
        `/world?twin=${encodeURIComponent(line.id)}`,
      );
      expect(await section.locator('tbody tr').count()).toBe(line.stations.length);
    }
    // Each station's ideal cycle; where it beat its nominal cycle, that one struck through and why.
    for (const station of shown.lines.flatMap((l) => l.stations)) {
      const { nominalCycleTime: nominal, idealCycleTime: ideal } = station;
      const cell = cycles[station.id]!;
      if (ideal === null || nominal === null || ideal >= nominal) {
        expect(cell).toEqual({
          ideal: ideal === null ? '–' : `${formatSeconds(ideal)} s`,
          nominal: null,
          title: '',
        });
      } else {
        const either = (value: number) => [1, 3].map((digits) => `${formatSeconds(value, 'en', digits)} s`);
        expect(either(ideal)).toContain(cell.ideal);
        expect(either(nominal)).toContain(cell.nominal);
        expect(cell.title).toMatch(/^Ran faster than nominal/);
      }
    }

    // Both charts are drawn: the throughput points and the OEE bars in the lines' colours.
    expect(await page.locator('#throughput-chart canvas').count()).toBe(1);
    await expect.poll(() => pixelsInColours(page, '#oee-chart canvas', LINE_COLOURS)).toBeGreaterThan(500);
    await expect
      .poll(() => pixelsInColours(page, '#throughput-chart canvas', LINE_COLOURS))
      .toBeGreaterThan(20);

    // It refreshes by itself.
    const refreshes = hook.refreshes;
    await expect
      .poll(() => page.evaluate(() => window.__imverseDashboard!.refreshes), { timeout: 15_000 })
      .toBeGreaterThan(refreshes);
    await page.screenshot({ path: `${SHOTS}dashboard.png`, fullPage: true });
    expect(failures).toEqual([]);
  }, 60_000);

  it('reads the range picked, and keeps it in the address', async () => {
    const { page, answers, failures } = await openDashboard();
    await page.click('#ranges button[data-range="24h"]');
    await expect
      .poll(() => page.evaluate(() => window.__imverseDashboard!.window?.to ?? 0))
      .toBeGreaterThan(0);
    await expect
      .poll(() =>
        page.evaluate(() => {
          const w = window.__imverseDashboard!.window!;
          return w.to - w.from;
        }),
      )
      .toBe(24 * 3_600_000);
    expect(new URL(page.url()).searchParams.get('range')).toBe('24h');
    expect(await page.getAttribute('#ranges button[data-range="24h"]', 'aria-pressed')).toBe('true');
    expect(answers.at(-1)!.bucket).toBe(30 * 60_000);

    const reopened = await openDashboard('/dashboard?range=7d');
    expect(await reopened.page.evaluate(() => window.__imverseDashboard!.range)).toBe('7d');
    expect(failures).toEqual([]);
  });

  it('refreshes at once when the live feed shows a station going into maintenance', async () => {
    const { page, answers, failures } = await openDashboard();
    await page.waitForFunction(() => window.__imverseDashboard?.live === true, null, { timeout: 10_000 });
    expect(await page.textContent('#status')).toMatch(/live/);
    const station = answers
      .at(-1)!
      .lines.flatMap((l) => l.stations)
      .find((s) => !s.alarm)!;
    const res = await p.api(`/api/v1/twins/${encodeURIComponent(station.id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/state', value: 'maintenance' }]),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => page.evaluate(() => window.__imverseDashboard!.trigger), { timeout: 4000, interval: 100 })
      .toBe('live');
    expect(failures).toEqual([]);
  });

  it('opens a line in the 3D world from its link, selected', async () => {
    const { page, answers } = await openDashboard();
    const line = answers.at(-1)!.lines[0]!;
    await page.locator(`#lines section[data-line="${line.id}"] h2 a`).click();
    await page.waitForURL(/\/world\?twin=/);
    await page.waitForFunction(() => window.__imverse?.ready === true, null, { timeout: 20_000 });
    await expect.poll(() => page.evaluate(() => window.__imverse?.selected)).toBe(line.id);
  });

  it('sends a visitor to sign in outside demo mode, then shows the KPIs', async () => {
    const secured = await startTestPlatform();
    try {
      await createUser(secured, 'dana', 'correct horse battery', 'viewer');
      const page = await browser.newPage();
      opened.push(page);
      await page.goto(`${secured.url}/dashboard`);
      await page.waitForURL(/\/signin\?next=%2Fdashboard$/);
      await page.fill('#name', 'dana');
      await page.fill('#password', 'correct horse battery');
      await Promise.all([page.waitForURL(/\/dashboard$/), page.click('button[type=submit]')]);
      // An empty store has no lines, and says so.
      await page.waitForFunction(() => window.__imverseDashboard?.ready === true, null, { timeout: 20_000 });
      expect(await page.textContent('#lines')).toMatch(/No lines/);
      expect(await page.textContent('#tiles [data-kpi="oee"] .value')).toBe('–');
    } finally {
      await secured.close();
    }
  });
});
