// Every page in English and Simplified Chinese in a real browser: picked by ?lang=, by the browser's
// languages or by Accept-Language, and switched back to English from the header.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localeDates } from '../../web/src/chart-locale.js';
import type { DashboardHook } from '../../web/src/dashboard/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { openWorld } from '../helpers/world-page.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverseDashboard?: Readonly<DashboardHook> };
declare const localStorage: { removeItem(key: string): void };
declare const navigator: object;

let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** Forgets the language a previous test chose in this browser. */
async function forgetChoice(page: Page): Promise<void> {
  await page.goto(`${p.url}/healthz`);
  await page.evaluate(() => localStorage.removeItem('imverse.lang'));
}

/** Picks a language in the header's switcher and waits for the page to come back in it. */
async function switchTo(page: Page, locale: string): Promise<void> {
  await Promise.all([page.waitForURL(`**lang=${locale}**`), page.selectOption('header select.lang', locale)]);
  await page.waitForFunction((want) => document.documentElement.lang === want, locale);
}
declare const document: { documentElement: { lang: string } };

describe('chart time axes', () => {
  // uPlot's own tick templates (a 1 h, 7 d and 1 year window, and seconds): each line in the locale's words.
  // Some ICU versions put a narrow no-break space before AM: any space reads as one here.
  const at = new Date(2026, 10, 25, 9, 5, 7);
  const ticks = (locale: string) =>
    ['{h}:{mm}{aa}\n{M}/{D}', '{M}/{D}\n{YYYY}', '{MMM}\n{YYYY}', ':{ss}'].map((template) =>
      localeDates(locale)(template)(at).replace(/[^\S\n]/g, ' '),
    );

  it('writes month names, dates and hours the page locale’s way', () => {
    expect(ticks('en')).toEqual(['9:05 AM\n11/25', '11/25\n2026', 'Nov\n2026', ':07']);
    expect(ticks('zh-CN')).toEqual(['9:05\n11/25', '11/25\n2026年', '11月\n2026年', ':07']);
  });
});

describe('languages', () => {
  it('opens the 3D world in Chinese with ?lang=zh-CN and switches back to English', async () => {
    const plantName = 'ACME Drives';
    const { page, failures } = await openWorld(browser, `${p.url}/world?lang=zh-CN`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#hint')).toContain('拖动旋转视角');
    expect(await page.getAttribute('#search', 'placeholder')).toBe('按名称或标识符查找孪生体…');
    expect(await page.textContent('#legend')).toContain('运行');
    // The plant's own names stay as the plant spells them.
    expect(await page.textContent('#plant-name')).toBe(plantName);
    expect(await page.title()).toBe(`${plantName} – Imverse 三维世界`);

    await switchTo(page, 'en');
    await page.waitForFunction(() => (globalThis as { __imverse?: { ready?: boolean } }).__imverse?.ready);
    expect(await page.textContent('#hint')).toContain('Drag to orbit');
    expect(await page.textContent('#legend')).toContain('running');
    expect(failures).toEqual([]);
    await page.close();
  });

  it('shows the dashboard in the browser’s language, and remembers a switch to English', async () => {
    const page = await browser.newPage();
    await forgetChoice(page);
    await page.addInitScript(() =>
      Object.defineProperty(navigator, 'languages', { get: () => ['zh-CN', 'zh'] }),
    );
    await page.goto(`${p.url}/dashboard`);
    await page.waitForFunction(() => window.__imverseDashboard?.ready === true, null, { timeout: 20_000 });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#tiles [data-kpi="oee"] .label')).toBe('设备综合效率 (OEE)');
    expect(await page.textContent('#status')).toContain('更新于');
    expect(await page.textContent('header nav')).toContain('三维世界');
    // The station tables show the cycles performance is measured against, in Chinese.
    const station = page.locator('#lines section.line table.stations').first();
    expect(await station.locator('thead').textContent()).toContain('理想节拍');
    expect(await station.locator('td[data-col="idealCycleTime"] .ideal').first().textContent()).toMatch(
      /^\d+(\.\d+)? 秒$/,
    );
    // The throughput chart's legend names the time and writes the hovered one the Chinese way.
    const chart = page.locator('#throughput-chart');
    expect(await chart.locator('.u-legend .u-series:first-child .u-label').textContent()).toBe('时间');
    const plot = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
    await expect
      .poll(() => chart.locator('.u-legend .u-series:first-child .u-value').textContent())
      .toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 /);

    // The choice is remembered: it outweighs the browser's languages on the next visit.
    await switchTo(page, 'en');
    await page.goto(`${p.url}/dashboard`);
    await page.waitForFunction(() => window.__imverseDashboard?.ready === true, null, { timeout: 20_000 });
    expect(await page.textContent('#tiles [data-kpi="oee"] .label')).toBe('OEE');
    expect(await page.textContent('#status')).toContain('Updated');
    await page.close();
  });

  it('serves the start page in the language Accept-Language asks for', async () => {
    const page = await browser.newPage();
    await forgetChoice(page);
    await page.setExtraHTTPHeaders({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    await page.goto(`${p.url}/`);
    await expect.poll(() => page.textContent('#status')).toMatch(/\d+ 个孪生体/);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#tree-pane h3')).toBe('工厂');
    expect(await page.textContent('#status')).toContain('演示模式');
    await expect.poll(() => page.textContent('#tree')).toContain('ACME Drives');

    await switchTo(page, 'en');
    await expect.poll(() => page.textContent('#status')).toMatch(/\d+ twins/);
    expect(await page.textContent('#tree-pane h3')).toBe('Plant');
    await page.close();
  });
});
