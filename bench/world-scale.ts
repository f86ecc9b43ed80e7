// The 3D world in headless Chromium (software rendering: no GPU here): time to first render of the
// demo plant, then a generated plant of N equipment objects — instances, draw calls, time to first
// render, frame time while orbiting — and the page's bundle size (gzip).
// `npm run bench -- world-scale [--objects 10000]`
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { DEFAULT_CONFIG, type Config } from '../src/core/config.js';
import { startPlatform } from '../src/server/platform.js';
import { launchBrowser } from '../test/helpers/browser.js';
import setupWebBundle from '../test/e2e/web-bundle.js';
import type { ImverseHook } from '../web/src/hook-shape.js';
import { argValue, ms, summarize } from './_stats.js';
import { plant } from './_world-plant.js';

const objects = Number(argValue('objects', '10000'));
await setupWebBundle();

const assets = new URL('../dist/web/assets/', import.meta.url);
const gzip = readdirSync(assets)
  .filter((name) => name.endsWith('.js') || name.endsWith('.css'))
  .reduce((sum, name) => sum + gzipSync(readFileSync(new URL(name, assets))).length, 0);

async function world(
  overrides: Partial<Config>,
  load?: (p: Awaited<ReturnType<typeof startPlatform>>) => Promise<void>,
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'imverse-bench-world-scale-'));
  const platform = await startPlatform(
    { ...DEFAULT_CONFIG, dataDir, port: 0, mqttPort: 0, virtualPlant: false, ...overrides },
    pino({ level: 'silent' }),
  );
  await load?.(platform);
  return {
    url: `${platform.url}/world`,
    token: platform.adminToken!,
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds from navigation to the first rendered frame of the world. */
async function firstRender(page: Page, url: string): Promise<number> {
  await page.goto(url);
  // Strings: this runs in the page, whose globals the Node-side types here do not know.
  await page.waitForFunction('window.__imverse?.ready === true', null, { polling: 'raf', timeout: 120_000 });
  return page.evaluate(() => performance.now());
}

const browser = await launchBrowser();
try {
  // The demo plant, as a first-time visitor opens it (demo mode: no token needed).
  const demo = await world({ demo: true });
  const demoTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    const page = await browser.newPage();
    demoTimes.push(await firstRender(page, demo.url));
    await page.close();
  }
  await demo.close();
  const demoRender = summarize(demoTimes);
  console.log(`demo plant: first render p50 ${ms(demoRender.p50)}, max ${ms(demoRender.max)} over 5 loads`);

  const big = await world({ demo: false }, async (p) => {
    await p.core.graph.importTwins(plant(objects));
  });
  const page = await browser.newPage();
  await page.addInitScript(`localStorage.setItem('imverse.token', ${JSON.stringify(big.token)})`);
  const bigRender = await firstRender(page, big.url);
  const hook = (await page.evaluate('window.__imverse')) as ImverseHook;
  // Orbit for 3 s with the mouse and time the frames the page renders meanwhile: the time from one
  // rendered frame to the next (the page skips frames where nothing moved, which are not counted).
  const canvas = (await page.locator('canvas').first().boundingBox())!;
  const [cx, cy] = [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2];
  const frames = page.evaluate(`new Promise((resolve) => {
    const deltas = [];
    let lastFrame = window.__imverse.frames;
    let lastAt = performance.now();
    const end = lastAt + 3000;
    const step = (now) => {
      const frame = window.__imverse.frames;
      if (frame !== lastFrame) {
        deltas.push(now - lastAt);
        lastFrame = frame;
        lastAt = now;
      }
      if (now < end) requestAnimationFrame(step);
      else resolve(deltas);
    };
    requestAnimationFrame(step);
  })`) as Promise<number[]>;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(cx + Math.sin(i / 6) * 200, cy, { steps: 2 });
  await page.mouse.up();
  const frame = summarize((await frames).slice(1));
  await page.close();
  await big.close();
  const instances = Object.values(hook.instances).reduce((a, b) => a + b, 0);
  console.log(
    `${objects} equipment objects: ${instances} instances in ${hook.drawCalls} draw calls; first render ${ms(bigRender)}; ` +
      `frame time while orbiting p50 ${ms(frame.p50)}, p99 ${ms(frame.p99)} over ${frame.n} rendered frames (${hook.softwareRendering ? 'software rendering, no multisampling' : 'GPU'})`,
  );
  console.log(`bundle: ${(gzip / 1024).toFixed(0)} KiB gzip (JS and CSS of the first load)`);
  console.log(
    `world-scale: ${hook.drawCalls} draw calls for ${objects} objects; demo first render ${ms(demoRender.p50)}; ` +
      `${(gzip / 1024).toFixed(0)} KiB gzip`,
  );
} finally {
  await browser.close();
}
