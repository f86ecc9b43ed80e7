// Opens the 3D world page in a browser for an end-to-end test and waits until it has drawn its first
// frame (and, when asked, until a feature is ready); page errors are collected for the test to check.
import type { BrowserContext, Page } from 'playwright-core';
import type { ImverseHook } from '../../web/src/hook-shape.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverse?: Readonly<ImverseHook> };

type Feature = 'timeline' | 'presence' | 'design' | 'xr' | 'models';

export async function openWorld(
  browser: BrowserContext,
  url: string,
  options: { feature?: Feature; timeoutMs?: number } = {},
): Promise<{ page: Page; failures: string[] }> {
  const timeout = options.timeoutMs ?? 30_000;
  const page = await browser.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => window.__imverse?.ready === true || window.__imverse?.error, null, {
    timeout,
  });
  const error = await page.evaluate(() => window.__imverse?.error);
  if (error !== undefined) throw new Error(`the world page could not start: ${error}`);
  if (options.feature) {
    await page.waitForFunction((name) => window.__imverse?.[name]?.ready === true, options.feature, {
      timeout,
    });
  }
  return { page, failures };
}
