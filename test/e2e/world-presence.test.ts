// Presence in the 3D world with two real, independent browsers on one demo platform: each sees the
// other as an avatar and in "Here now", an avatar moves when its person's camera moves, Follow carries
// one camera along with the other's, and a pinned note appears for both at once and survives a reload.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlantPoint } from '../../src/core/wire-presence.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import type { PresenceHook } from '../../web/src/presence/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

declare const window: { __imverse?: Readonly<ImverseHook> };

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const STATION = '88.100.1/line-2/st-01';
/** Software WebGL on a shared machine draws a few frames a second: motion takes seconds to settle. */
const SLOW = { timeout: 30_000 };
let p: TestPlatform;
let browserA: BrowserContext;
let browserB: BrowserContext;
let a: Page;
let b: Page;
const failures: string[] = [];

async function openWorld(browser: BrowserContext): Promise<Page> {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(`${p.url}/world`);
  await ready(page);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (window.__imverse?.ready === true && window.__imverse.presence?.synced === true) ||
      window.__imverse?.error,
    null,
    { timeout: 20_000 },
  );
  expect(await page.evaluate(() => window.__imverse?.error)).toBeUndefined();
  expect(await page.evaluate(() => window.__imverse?.featureErrors ?? [])).toEqual([]);
}

const presence = (page: Page): Promise<PresenceHook> => page.evaluate(() => window.__imverse!.presence!);

const near = (x: PlantPoint | undefined, y: PlantPoint | undefined, metres: number): boolean =>
  !!x && !!y && Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]) <= metres;

/** Drags across the middle of the 3D view: the camera orbits, as a person moves it. */
async function orbit(page: Page, dx: number): Promise<void> {
  const box = (await page.locator('#viewport canvas').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + 20, { steps: 8 });
  await page.mouse.up();
}

/**
 * The page's camera once it has stopped moving (a flight or the orbit's damping has ended). The shared
 * CI machine draws software WebGL at a few frames a second, so this waits on the page, not on a clock.
 */
async function settledCamera(page: Page): Promise<NonNullable<PresenceHook['camera']>> {
  let last = '';
  await expect
    .poll(
      async () => {
        const now = JSON.stringify((await presence(page)).camera);
        const same = now === last;
        last = now;
        return same;
      },
      { timeout: 20_000, interval: 700 },
    )
    .toBe(true);
  return (await presence(page)).camera!;
}

async function findStation(page: Page): Promise<void> {
  await page.fill('#search', STATION);
  await page.locator(`#results .node[data-id="${STATION}"]`).click();
  await expect.poll(() => page.evaluate(() => window.__imverse?.selected)).toBe(STATION);
}

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  mkdirSync(SHOTS, { recursive: true });
  browserA = await launchBrowser();
  browserB = await launchBrowser();
  a = await openWorld(browserA);
  b = await openWorld(browserB);
});
afterAll(async () => {
  await browserA?.close();
  await browserB?.close();
  await p?.close();
});

describe('presence in the 3D world', { timeout: 150_000 }, () => {
  it('shows each person to the other as an avatar and in the "Here now" list', async () => {
    const [meA, meB] = [await presence(a), await presence(b)];
    expect(meA.name).toMatch(/^Visitor [0-9A-F]{4}$/);
    expect(meB.name).toMatch(/^Visitor [0-9A-F]{4}$/);
    expect(meA.name).not.toBe(meB.name);
    expect(meA.canCollaborate).toBe(true);

    // A walks up to a station: B sees A's avatar there, and what A looks at.
    await findStation(a);
    const cameraA = await settledCamera(a);
    await expect
      .poll(async () => (await presence(b)).people.find((x) => x.clientId === meA.clientId), {
        timeout: 10_000,
      })
      .toMatchObject({ name: meA.name, role: 'viewer', selected: STATION });
    await expect
      .poll(async () => {
        const seen = (await presence(b)).people.find((x) => x.clientId === meA.clientId);
        return near(seen?.drawnAt, cameraA.position, 0.05);
      }, SLOW)
      .toBe(true);
    const rowA = b.locator(`#presence-people .presence-person[data-client="${meA.clientId}"]`);
    await expect.poll(() => rowA.textContent()).toMatch(new RegExp(`${meA.name}.*viewer.*looking at`));
    expect(await b.textContent('#presence-people h3')).toBe('Here now (2)');
    await expect.poll(async () => (await presence(a)).people.map((x) => x.name)).toEqual([meB.name]);
    await b.screenshot({ path: `${SHOTS}world-presence.png` });

    // B renames itself; A sees the new name, and B keeps it after a reload.
    await b.fill('#presence-people .presence-name', 'Bea');
    await b.press('#presence-people .presence-name', 'Enter');
    await expect.poll(async () => (await presence(a)).people.map((x) => x.name)).toEqual(['Bea']);
    await b.reload();
    await ready(b);
    expect((await presence(b)).name).toBe('Bea');
    expect(await b.inputValue('#presence-people .presence-name')).toBe('Bea');
    await expect.poll(async () => (await presence(a)).people.map((x) => x.name)).toEqual(['Bea']);
  });

  it('moves the avatar when its person moves the camera', async () => {
    const { clientId } = await presence(a);
    const before = (await presence(a)).camera!.position;
    await orbit(a, 200);
    await expect.poll(async () => near((await presence(a)).camera!.position, before, 2), SLOW).toBe(false);
    // The orbit eases out for a while (damping runs per frame, and frames are slow here): poll until
    // B's view of A and the avatar drawn for A both catch up with where A's camera is.
    await expect
      .poll(async () => {
        const [own, seen] = [
          await presence(a),
          (await presence(b)).people.find((x) => x.clientId === clientId),
        ];
        return (
          near(seen?.position, own.camera!.position, 0.25) && near(seen?.drawnAt, own.camera!.position, 0.25)
        );
      }, SLOW)
      .toBe(true);
  });

  it('follows another person’s view until the follower moves the camera', async () => {
    const { clientId } = await presence(a);
    await b.locator(`.presence-person[data-client="${clientId}"] .presence-follow`).click();
    expect((await presence(b)).following).toBe(clientId);
    const camera = async (page: Page) => (await presence(page)).camera;
    await expect
      .poll(async () => {
        const [ca, cb] = [await camera(a), await camera(b)];
        return near(ca?.position, cb?.position, 0.5) && near(ca?.target, cb?.target, 0.5);
      }, SLOW)
      .toBe(true);
    // The followed avatar would sit in B's eye: it is hidden while B follows.
    expect((await presence(b)).people.find((x) => x.clientId === clientId)?.drawnAt).toBeUndefined();

    // A flies back to the whole plant, tens of metres away: B's camera goes along.
    const before = (await camera(a))!.position;
    await a.click('#home');
    await expect.poll(async () => near((await camera(a))!.position, before, 10), SLOW).toBe(false);
    await expect
      .poll(async () => near((await camera(b))?.position, (await camera(a))?.position, 0.5), SLOW)
      .toBe(true);
    expect(await b.textContent(`.presence-person[data-client="${clientId}"] .presence-follow`)).toBe(
      'Stop following',
    );

    // B takes the camera: following stops, and A's camera no longer carries B's.
    await orbit(b, 150);
    await expect.poll(async () => (await presence(b)).following).toBeNull();
    expect(await b.textContent(`.presence-person[data-client="${clientId}"] .presence-follow`)).toBe(
      'Follow',
    );
  });

  it('shares a pinned note at once, keeps it across a reload, and lets only its author delete it', async () => {
    await findStation(a);
    await settledCamera(a);
    await a.click('#toolbar .presence-pin-button');
    expect((await presence(a)).placing).toBe(true);
    const box = (await a.locator('#viewport canvas').boundingBox())!;
    await a.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await a.waitForSelector('#presence-card textarea');
    await a.fill('#presence-card textarea', 'Guard rail loose – check before the shift');
    await a.press('#presence-card textarea', 'Enter');
    await a.waitForSelector('#presence-card', { state: 'hidden' });

    const [note] = (await presence(a)).annotations;
    expect(note).toMatchObject({
      text: 'Guard rail loose – check before the shift',
      author: { name: (await presence(a)).name },
    });
    expect(note!.twin).toMatch(new RegExp(`^${STATION}`));
    expect((await presence(a)).pins).toBe(1);

    await expect.poll(async () => (await presence(b)).annotations.map((x) => x.id)).toEqual([note!.id]);
    expect((await presence(b)).pins).toBe(1);
    expect(await b.textContent('#presence-notes')).toContain('Guard rail loose');

    await b.reload();
    await ready(b);
    expect((await presence(b)).annotations.map((x) => x.text)).toEqual([note!.text]);
    expect((await presence(b)).pins).toBe(1);

    // B opens the note from the list: its machine is selected; B is not its author and cannot delete it.
    await b.click(`#presence-notes .presence-note[data-id="${note!.id}"]`);
    await expect.poll(() => b.evaluate(() => window.__imverse?.selected)).toBe(note!.twin);
    expect(await b.textContent('#presence-card')).toContain('Guard rail loose');
    expect(await b.locator('#presence-card .presence-delete').count()).toBe(0);

    // A, its author, deletes it: it goes for both.
    await a.click(`#presence-notes .presence-note[data-id="${note!.id}"]`);
    await a.click('#presence-card .presence-delete');
    await expect.poll(async () => (await presence(b)).annotations.length).toBe(0);
    expect((await presence(b)).pins).toBe(0);
    await expect.poll(() => b.isHidden('#presence-card')).toBe(true);
    expect(failures).toEqual([]);
  });
});
