// Time travel in the 3D world, in a real browser against the virtual plant at 300×: scrub back to an
// earlier moment and see that moment's states, replay at 100× and see changes painted, return to live;
// and the inspector's history chart over a chosen range.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldStatesAnswer } from '../../src/core/wire-timeline.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { openWorld } from '../helpers/world-page.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverse?: Readonly<ImverseHook> };
declare const document: any;
declare const Event: any;

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
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

const statesAt = async (at?: number): Promise<WorldStatesAnswer> =>
  (await (
    await p.api(`/api/v1/world/states${at === undefined ? '' : `?at=${at}`}`)
  ).json()) as WorldStatesAnswer;
/** The world page with its timeline ready; slow to start on a loaded machine. */
const TIMELINE = { feature: 'timeline', timeoutMs: 45_000 } as const;
const isStation = (id: string) => /\/line-\d+\/st-\d+$/.test(id);
const timeline = (page: Page) => page.evaluate(() => window.__imverse!.timeline!);

describe('3D world timeline', () => {
  it('replays an earlier state, plays it forward at 100× and returns to live', async () => {
    // Let the plant run, note a moment T1, and wait until some station has moved on from its state then.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const t1 = Date.now() - 500;
    const then = await statesAt(t1);
    let station: string | undefined;
    await expect
      .poll(
        async () => {
          const now = await statesAt();
          station = Object.keys(then.states).find(
            (id) => isStation(id) && now.states[id]?.state !== then.states[id]?.state,
          );
          return station;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeDefined();
    const id = station!;

    const { page, failures } = await openWorld(
      browser,
      `${p.url}/world?twin=${encodeURIComponent(id)}`,
      TIMELINE,
    );
    await page.waitForSelector('#detail[data-live]');
    const stateCell = page.locator('td[data-field="state"]');
    const treeDot = page.locator(`#tree .node[data-id="${id}"] .dot`);
    expect(await timeline(page)).toMatchObject({ mode: 'live', open: false });
    expect(await page.isHidden('.timeline-banner')).toBe(true);

    await page.getByRole('button', { name: '◷ Timeline' }).click();
    await expect.poll(async () => (await timeline(page)).start).not.toBeNull();
    const opened = await timeline(page);
    expect(opened.open).toBe(true);
    expect(opened.start!).toBeLessThanOrEqual(t1);
    expect(await page.isVisible('.timeline-slider')).toBe(true);

    // Scrub to T1, as a drag of the slider ends there.
    await page.evaluate(
      ([at, start]) => {
        const slider = document.querySelector('.timeline-slider');
        const end = Date.now();
        slider.value = String(Math.round(((at - start) / (end - start)) * Number(slider.max)));
        slider.dispatchEvent(new Event('input'));
      },
      [t1, opened.start!] as const,
    );
    await expect
      .poll(async () => (await timeline(page)).statesPainted, { timeout: 20_000 })
      .toBeGreaterThan(0);
    const shown = await timeline(page);
    expect(shown.mode).toBe('replay');
    expect(Math.abs(shown.time - t1)).toBeLessThan(1000);
    const expected = (await statesAt(shown.time)).states[id]?.state;
    expect(expected).toBeDefined();
    await expect.poll(() => stateCell.textContent()).toBe(expected);
    expect(await treeDot.getAttribute('title')).toBe(expected);
    expect(await page.textContent('.timeline-banner')).toMatch(/^Replaying \d\d:\d\d:\d\d — not live$/);
    expect(await page.isVisible('.timeline-banner')).toBe(true);
    expect(await page.textContent('.timeline-when')).toMatch(/ago\)$/);
    await page.screenshot({ path: `${SHOTS}world-timeline.png` });
    // The plant moves on at 300× meanwhile; the past stays on screen.
    await page.waitForTimeout(2500);
    expect(await stateCell.textContent()).toBe(expected);
    expect(await treeDot.getAttribute('title')).toBe(expected);

    // Play at 100×: the clock moves and the changes after T1 are painted, loaded in a few chunks.
    await page.getByRole('button', { name: '100×' }).click();
    await page.getByRole('button', { name: '▶ Play' }).click();
    await expect
      .poll(async () => (await timeline(page)).changesPainted, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const playing = await timeline(page);
    expect(playing.speed).toBe(100);
    expect(playing.time).toBeGreaterThan(shown.time);
    expect(playing.requests).toBeGreaterThan(0);
    expect(playing.requests).toBeLessThan(10);

    // Live: the present again, painted by live events.
    await page.getByRole('button', { name: '● Live' }).click();
    const live = await timeline(page);
    expect(live).toMatchObject({ mode: 'live', playing: false });
    expect(await page.isHidden('.timeline-banner')).toBe(true);
    await expect
      .poll(
        async () => {
          const twin = (await (await p.api(`/api/v1/twins/${encodeURIComponent(id)}`)).json()) as {
            state: string;
          };
          return (await stateCell.textContent()) === twin.state;
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBe(true);
    const before = await page.evaluate(() => window.__imverse!.lastLiveUpdate ?? 0);
    await expect
      .poll(() => page.evaluate(() => window.__imverse!.lastLiveUpdate ?? 0), { timeout: 30_000 })
      .toBeGreaterThan(before);
    expect(failures).toEqual([]);
  }, 180_000);

  it('charts a field’s history over a chosen range in the inspector', async () => {
    const station = Object.keys((await statesAt()).states).find(isStation)!;
    const { page, failures } = await openWorld(
      browser,
      `${p.url}/world?twin=${encodeURIComponent(station)}`,
      TIMELINE,
    );
    await page.waitForSelector('#detail[data-live]');
    // The live sparkline first, as before.
    await expect.poll(() => page.isVisible('canvas.sparkline')).toBe(true);
    expect(await page.isHidden('.history-chart')).toBe(true);
    await page.selectOption('select.history-range', '15m');
    const chartState = () => page.getAttribute('.history-chart', 'data-state');
    await expect.poll(chartState, { timeout: 30_000 }).toBe('drawn');
    expect(Number(await page.getAttribute('.history-chart', 'data-points'))).toBeGreaterThan(0);
    expect(await page.locator('.history-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.isHidden('canvas.sparkline')).toBe(true);
    await page.screenshot({ path: `${SHOTS}world-history-chart.png` });
    await page.selectOption('select.history-range', '7d');
    await expect.poll(chartState, { timeout: 30_000 }).toBe('drawn');
    await page.selectOption('select.history-range', 'recent');
    expect(await page.isHidden('.history-chart')).toBe(true);
    expect(await page.isVisible('canvas.sparkline')).toBe(true);
    expect(failures).toEqual([]);
  }, 150_000);
});
