// The Content-Security-Policy breaks no page: each one loads in Chromium without a single violation.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside the page only.
declare const window: { __imverse?: { ready?: boolean; presence?: { ready?: boolean } } };
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (event: { violatedDirective: string; blockedURI: string }) => void,
  ): void;
};

let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  browser = await launchBrowser();
  // Every refusal the policy makes, as the page sees it.
  await browser.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
});
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** Whether an element's text matches, in the page (a function: the policy refuses a string's eval). */
const shows = (selector: string, text: string) =>
  [
    ([s, t]: string[]) => new RegExp(t!).test(document.querySelector(s!)?.textContent ?? ''),
    [selector, text],
  ] as const;

describe('Content-Security-Policy in the browser', () => {
  it.each([
    // What shows that the page's own scripts ran: the start page's inline one (its nonce), the world's
    // bundle with its live stream and presence room (WebSockets), the dashboard's, Swagger UI's.
    ['/', shows('#status', '\\d{3} twins')],
    ['/world', [() => window.__imverse?.ready === true && window.__imverse?.presence?.ready === true, []]],
    ['/dashboard', shows('#tiles', '\\S')],
    ['/docs/', shows('.information-container', 'Imverse API')],
  ] as const)('%s loads and runs with no violation', async (path, [ready, args]) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    await page.goto(`${p.url}${path}`);
    await page.waitForFunction(ready as (args: readonly string[]) => boolean, args, { timeout: 20_000 });
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
