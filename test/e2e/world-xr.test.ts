// WebXR in a real browser with the iwer emulated headset (Meta Quest 3): Enter VR starts a session that
// draws frames; the emulated controller selects a twin (its inspector shows on a 3D panel, updated live)
// and teleports by pointing at the floor; Exit VR ends the session and the page draws as before.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldScene } from '../../src/core/wire.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

interface EmulatedController {
  position: { set(x: number, y: number, z: number): void };
  quaternion: { set(x: number, y: number, z: number, w: number): void };
  updateButtonValue(id: string, value: number): void;
}
declare const window: {
  __imverse?: Readonly<ImverseHook>;
  __iwer: { activeSession?: unknown; controllers: { right: EmulatedController } };
};
declare const document: { querySelector(selector: string): { click(): void; textContent: string } | null };

const IWER = readFileSync(createRequire(import.meta.url).resolve('iwer/build/iwer.min.js'), 'utf8');
/** Installed before the page's own scripts, so three finds the emulated navigator.xr. */
const INSTALL_IWER = `${IWER}
;(() => {
  // iwer 2.5 copies an offset space's XRRigidTransform as if it were a matrix (all NaN): hand it the
  // transform's matrix, as a browser's runtime would use it. Teleporting relies on offset spaces.
  const offset = IWER.XRReferenceSpace.prototype.getOffsetReferenceSpace;
  IWER.XRReferenceSpace.prototype.getOffsetReferenceSpace = function (transform) {
    return offset.call(this, transform instanceof IWER.XRRigidTransform ? transform.matrix : transform);
  };
  // One eye is enough to test with, and halves the software renderer's work per frame.
  const device = new IWER.XRDevice(IWER.metaQuest3, { stereoEnabled: false });
  // Chromium has a native navigator.xr (with no headset behind it): replace it.
  device.installRuntime({ forceInstall: true });
  window.__iwer = device;
})();`;

const STATION = '88.100.1/line-2/st-01';
let p: TestPlatform;
let browser: BrowserContext;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true, virtualPlant: true, virtualPlantSpeed: 300 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** The quaternion (x, y, z, w) turning a controller's forward (-z) to point along `d`. */
function aimAlong(d: readonly [number, number, number]): [number, number, number, number] {
  const length = Math.hypot(...d);
  const [x, y, z] = d.map((v) => v / length) as [number, number, number];
  // q = (a × b, 1 + a · b) normalised, with a = (0, 0, -1).
  const q: [number, number, number, number] = [y, -x, 0, 1 - z];
  const n = Math.hypot(...q);
  return q.map((v) => v / n) as [number, number, number, number];
}

/**
 * Points the emulated right controller along `aim` from `position` (local-floor metres), waits until the
 * page's ray points at a `target` (a twin or the floor), then pulls and releases the trigger once the
 * page has acted on it. Frames are slow in a software renderer: every step waits for the page, not a clock.
 */
async function pull(
  page: Page,
  pose: { position: [number, number, number]; aim: [number, number, number] },
  target: 'twin' | 'floor',
  done: () => boolean,
): Promise<void> {
  const quaternion = aimAlong(pose.aim);
  await page.evaluate(
    ({ position, quaternion }) => {
      const right = window.__iwer.controllers.right;
      right.position.set(...position);
      right.quaternion.set(...quaternion);
    },
    { position: pose.position, quaternion },
  );
  await page.waitForFunction((kind) => window.__imverse?.xr?.aim?.[kind] !== undefined, target, {
    timeout: 30_000,
  });
  await page.evaluate(() => window.__iwer.controllers.right.updateButtonValue('trigger', 1));
  await page.waitForFunction(done, null, { timeout: 30_000 });
  await page.evaluate(() => window.__iwer.controllers.right.updateButtonValue('trigger', 0));
}

describe('WebXR', () => {
  it('enters VR, selects a twin and teleports with the controller, and exits', async () => {
    const scene = (await (await p.api('/api/v1/world/scene')).json()) as WorldScene;
    const station = scene.objects.find((o) => o.id === STATION)!;
    const layout = station.layout!;

    const page = await browser.newPage();
    // The emulated headset draws at the page's size in a software renderer: keep frames cheap.
    await page.setViewportSize({ width: 960, height: 600 });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.addInitScript(INSTALL_IWER);
    await page.goto(`${p.url}/world?twin=${encodeURIComponent(STATION)}`);
    await page.waitForFunction(() => window.__imverse?.xr?.ready === true, null, { timeout: 20_000 });
    expect(await page.evaluate(() => window.__imverse!.xr!.supported)).toEqual({ vr: true, ar: true });
    const enter = page.locator('[data-xr="immersive-vr"]');
    expect(await enter.textContent()).toBe('Enter VR');

    await enter.click();
    await page.waitForFunction(() => window.__imverse?.xr?.presenting === true, null, { timeout: 30_000 });
    await expect
      .poll(() => page.evaluate(() => window.__imverse!.xr!.frames), { timeout: 30_000 })
      .toBeGreaterThan(10);
    expect(await enter.textContent()).toBe('Exit VR');
    // Standing in front of (south of) the selected station.
    const start = (await page.evaluate(() => window.__imverse!.xr!.standing))!;
    expect(start.x).toBeCloseTo(layout.x, 3);
    expect(start.y).toBeCloseTo(layout.y - layout.depth / 2 - 2, 3);

    // Point at the station's middle from chest height: its twin (or its machine inside) is selected.
    const toCentre: [number, number, number] = [
      0,
      layout.z + layout.height / 2 - 1.4,
      -(layout.depth / 2 + 2),
    ];
    await pull(
      page,
      { position: [0, 1.4, 0], aim: toCentre },
      'twin',
      () => !!window.__imverse?.xr?.panelTwin,
    );
    await expect
      .poll(() => page.evaluate(() => window.__imverse!.xr!.panelTwin), { timeout: 30_000 })
      .toMatch(new RegExp(`^${STATION}`));
    const panelTwin = (await page.evaluate(() => window.__imverse!.xr!.panelTwin))!;
    expect(await page.evaluate(() => window.__imverse!.selected)).toBe(panelTwin);
    await expect.poll(() => page.evaluate(() => window.__imverse!.xr!.panelLines[1])).toBe(panelTwin);
    // A machine has no state of its own: the panel shows its station's.
    expect((await page.evaluate(() => window.__imverse!.xr!.panelLines))[2]).toMatch(
      /^(station )?state: (running|idle|blocked|starved|down|maintenance|setup|offline)$/,
    );
    const draws = await page.evaluate(() => window.__imverse!.xr!.panelDraws);
    // The virtual plant runs 300× real time: the panel's values change and it is redrawn.
    await expect
      .poll(() => page.evaluate(() => window.__imverse!.xr!.panelDraws), { timeout: 20_000 })
      .toBeGreaterThan(draws);
    await page.screenshot({ path: new URL('./__screenshots__/world-xr.png', import.meta.url).pathname });

    // Point 60° down at the floor ahead: the viewer moves there (1.4 m / tan 60° ≈ 0.81 m north).
    await pull(
      page,
      { position: [0, 1.4, 0], aim: [0, -Math.sqrt(3), -1] },
      'floor',
      () => window.__imverse?.xr?.teleports === 1,
    );
    const moved = (await page.evaluate(() => window.__imverse!.xr!.standing))!;
    expect(moved.x).toBeCloseTo(start.x, 1);
    expect(moved.y - start.y).toBeCloseTo(1.4 / Math.sqrt(3), 1);

    await page.evaluate(() => document.querySelector('[data-xr="immersive-vr"]')!.click());
    await page.waitForFunction(() => window.__imverse?.xr?.presenting === false, null, { timeout: 30_000 });
    expect(await page.evaluate(() => window.__iwer.activeSession)).toBeUndefined();
    expect(await enter.textContent()).toBe('Enter VR');
    expect(await page.evaluate(() => window.__imverse!.drawCalls)).toBeGreaterThan(0);

    // AR starts the same way, and its button is the one that ends it.
    await page.locator('[data-xr="immersive-ar"]').click();
    await page.waitForFunction(() => window.__imverse?.xr?.presenting === true, null, { timeout: 30_000 });
    expect(await page.evaluate(() => window.__imverse!.xr!.mode)).toBe('immersive-ar');
    expect(await page.evaluate(() => window.__imverse!.xr!.sessions)).toBe(2);
    expect(await page.locator('[data-xr="immersive-ar"]').textContent()).toBe('Exit AR');
    await page.evaluate(() => document.querySelector('[data-xr="immersive-ar"]')!.click());
    await page.waitForFunction(() => window.__imverse?.xr?.presenting === false, null, { timeout: 30_000 });
    expect(failures).toEqual([]);
  }, 120_000);

  it('shows no XR buttons where the browser has no immersive WebXR', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/world`);
    await page.waitForFunction(() => window.__imverse?.xr?.ready === true, null, { timeout: 20_000 });
    expect(await page.evaluate(() => window.__imverse!.xr!.supported)).toEqual({ vr: false, ar: false });
    expect(await page.locator('[data-xr]').count()).toBe(0);
  });
});
