// Launches Debian's Chromium headless for end-to-end tests (.ci/run installs it when missing).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.IMVERSE_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserOptions {
  /**
   * The world page's welcome card, shown once per browser, would cover part of the 3D view: tests
   * start as a returning visitor unless they test the card itself.
   */
  readonly firstVisit?: boolean;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is needed for browser tests and is not at ${CHROMIUM}: apt-get install -y chromium`,
    );
  }
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'imverse-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  if (!options.firstVisit) await context.addInitScript("localStorage.setItem('imverse.welcomed', '1')");
  return context;
}
