// Collaborative layout design in two independent browsers on one draft: a move made in one is drawn in
// the other, concurrent edits of different or the same equipment both survive, and a saved version
// compares with the plant.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldScene } from '../../src/core/wire.js';
import type { ImverseHook } from '../../web/src/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createUser, signIn } from '../helpers/people.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside page.evaluate only.
declare const window: { __imverse?: Readonly<ImverseHook> };
declare const document: any;

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const DRAFT = 'e2e-plan';
const STATION = '88.100.1/line-1/st-01';
const OTHER = '88.100.1/line-2/st-01';
const SAME = '88.100.1/line-1/st-02';
const MACHINE = '88.100.1/line-1/st-01/cnc';
let p: TestPlatform;
/** A signed-in person's cookies for a browser context (signed in over HTTP, as the sign-in form does). */
function sessionCookies(client: { cookie: string }): Array<{ name: string; value: string; url: string }> {
  return client.cookie.split('; ').map((pair) => {
    const [name, value] = pair.split('=') as [string, string];
    return { name, value, url: p.url };
  });
}

let alice: BrowserContext;
let bob: BrowserContext;
let scene: WorldScene;

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  scene = (await (await p.api('/api/v1/world/scene')).json()) as WorldScene;
  [alice, bob] = await Promise.all([launchBrowser(), launchBrowser()]);
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await alice?.close();
  await bob?.close();
  await p?.close();
});

const base = (id: string) => scene.objects.find((o) => o.id === id)!.layout!;
type Design = NonNullable<ImverseHook['design']>;
const design = (page: Page): Promise<Design> => page.evaluate(() => window.__imverse!.design!);

/** Opens the world in design mode on the draft, with a twin selected by deep link. */
async function openDraft(
  browser: BrowserContext,
  twin: string,
  page?: Page,
): Promise<{ page: Page; failures: string[] }> {
  const tab = page ?? (await browser.newPage());
  const failures: string[] = [];
  tab.on('pageerror', (error) => failures.push(error.message));
  await tab.goto(`${p.url}/world?twin=${encodeURIComponent(twin)}&design=${DRAFT}`);
  await tab.waitForFunction(
    (id) => {
      const d = window.__imverse?.design;
      return (d?.synced && d.selected === id) || window.__imverse?.error;
    },
    twin,
    { timeout: 20_000 },
  );
  expect(await tab.evaluate(() => window.__imverse?.error)).toBeUndefined();
  return { page: tab, failures };
}

/** Types a value into a field of the design bar and commits it, as a person does. */
async function setField(page: Page, name: 'x' | 'y' | 'rotation', value: number): Promise<void> {
  const input = page.locator(`.design-bar input[name="${name}"]`);
  await input.fill(String(value));
  await input.press('Enter');
  await page.evaluate(() => document.activeElement?.blur());
}

async function drawn(page: Page, id: string, check: string): Promise<void> {
  await page.waitForFunction(
    ([id, check]) => {
      const layout = window.__imverse?.design?.layouts[id!];
      return layout !== undefined && new Function('l', `return ${check}`)(layout) === true;
    },
    [id, check] as const,
    { timeout: 10_000 },
  );
}

describe('collaborative layout design', () => {
  let a: Page;
  let b: Page;
  const failures: string[] = [];

  it('shows both people in one draft, and a move made in one appears in the other', async () => {
    const [opened, other] = await Promise.all([openDraft(alice, STATION), openDraft(bob, STATION)]);
    a = opened.page;
    b = other.page;
    failures.push(...opened.failures, ...other.failures);
    await a.waitForFunction(() => window.__imverse!.design!.people.length === 1);
    await b.waitForFunction(() => window.__imverse!.design!.people.length === 1);
    const me = await design(a);
    expect(me).toMatchObject({ active: true, draft: DRAFT, canEdit: true, changes: 0 });
    expect(await a.locator('.design-bar').isVisible()).toBe(true);

    const x = base(STATION).x + 5;
    await setField(a, 'x', x);
    await drawn(b, STATION, `l.x === ${x}`);
    const seen = await design(b);
    expect(seen.changes).toBe(1);
    expect(seen.lastRemoteChange?.ids).toContain(STATION);
    expect(seen.layouts[STATION]).toMatchObject({ x, y: base(STATION).y });
    expect(await b.locator('.design-changes').textContent()).toBe('1 change');
  });

  it('keeps a move in one browser and a turn in the other, of different equipment', async () => {
    await openDraft(bob, OTHER, b);
    const y = base(OTHER).y - 3;
    await Promise.all([
      (async () => {
        await a.keyboard.press('r');
      })(),
      setField(b, 'y', y),
    ]);
    const turned = (base(STATION).rotation + 15) % 360;
    for (const page of [a, b]) {
      await drawn(page, STATION, `l.rotation === ${turned} && l.x === ${base(STATION).x + 5}`);
      await drawn(page, OTHER, `l.y === ${y}`);
    }
  });

  it('keeps a move and a turn of the same, untouched machine made at once', async () => {
    await Promise.all([openDraft(alice, SAME, a), openDraft(bob, SAME, b)]);
    const x = base(SAME).x - 4;
    const turned = (base(SAME).rotation + 360 - 15) % 360;
    await Promise.all([a.keyboard.press('Shift+R'), setField(b, 'x', x)]);
    for (const page of [a, b]) await drawn(page, SAME, `l.x === ${x} && l.rotation === ${turned}`);
    expect((await design(a)).changes).toBe(3);
  });

  it('saves a version, and its comparison with the plant shows the moves', async () => {
    await a.locator('.design-bar input[name="version"]').fill('E2E plan');
    await a.locator('.design-bar button[name="save"]').click();
    await a.waitForFunction(() => window.__imverse!.design!.versions.includes('E2E plan'), null, {
      timeout: 10_000,
    });
    await a.locator('.design-version', { hasText: 'E2E plan' }).locator('button[name="compare"]').click();
    await a.waitForFunction(() => window.__imverse!.design!.comparison?.version === 'E2E plan');
    const comparison = (await design(a)).comparison!;
    expect(comparison).toMatchObject({ moved: 3, rotated: 2, added: 0, removed: 0 });
    expect(comparison.distance).toBeCloseTo(12, 3);
    const summary = await a.locator('.design-result').textContent();
    expect(summary).toContain('Moved');
    expect(summary).toContain('by 5.0 m');
    await a.screenshot({ path: `${SHOTS}world-design.png` });
  });

  it('drags the selected machine across the floor without orbiting the view', async () => {
    await openDraft(alice, MACHINE, a);
    // The deep link flies the camera to the machine: wait until it has landed.
    let before = (await design(a)).selectedScreen!;
    for (let settled = 0; settled < 3;) {
      await a.waitForTimeout(250);
      const now = (await design(a)).selectedScreen!;
      settled = Math.hypot(now.x - before.x, now.y - before.y) < 0.5 ? settled + 1 : 0;
      before = now;
    }
    await a.mouse.move(before.x, before.y);
    await a.mouse.down();
    await a.mouse.move(before.x + 60, before.y + 40, { steps: 8 });
    await a.mouse.up();
    const after = await design(a);
    const moved = after.layouts[MACHINE]!;
    expect(Math.hypot(moved.x - base(MACHINE).x, moved.y - base(MACHINE).y)).toBeGreaterThan(0.4);
    // Snapped to the 0.5 m grid, and still under the pointer: the camera stayed where it was.
    expect((moved.x * 2) % 1).toBe(0);
    expect((moved.y * 2) % 1).toBe(0);
    expect(
      Math.hypot(after.selectedScreen!.x - (before.x + 60), after.selectedScreen!.y - (before.y + 40)),
    ).toBeLessThan(40);
    await drawn(b, MACHINE, `l.x === ${moved.x} && l.y === ${moved.y}`);
  });

  it('lets a reader watch the draft but not edit it', async () => {
    await createUser(p, 'visitor', 'correct horse battery', 'viewer');
    await bob.addCookies(sessionCookies(await signIn(p, 'visitor', 'correct horse battery')));
    const viewer = await bob.newPage();
    await openDraft(bob, STATION, viewer);
    const hook = await design(viewer);
    expect(hook).toMatchObject({ canEdit: false, changes: 4 });
    expect(await viewer.locator('.design-bar button[name="save"]').isDisabled()).toBe(true);
    expect(await viewer.locator('.design-bar input[name="x"]').isDisabled()).toBe(true);
    await viewer.keyboard.press('r');
    // Alice still edits the machine she dragged: the viewer sees it.
    const y = Math.round(base(MACHINE).y) + 2;
    await setField(a, 'y', y);
    await drawn(viewer, MACHINE, `l.y === ${y}`);
    expect((await design(viewer)).layouts[STATION]!.rotation).toBe((base(STATION).rotation + 15) % 360);
    await viewer.close();
    await bob.clearCookies();
  });

  it('runs a study of a saved version for a writer, and links to it', async () => {
    expect(await a.locator('.design-version button[name="study"]').first().isDisabled()).toBe(true);
    await createUser(p, 'planner', 'correct horse battery', 'admin');
    await bob.addCookies(sessionCookies(await signIn(p, 'planner', 'correct horse battery')));
    const writer = await bob.newPage();
    await openDraft(bob, STATION, writer);
    await writer.waitForFunction(() => window.__imverse!.design!.versions.includes('E2E plan'));
    await writer.locator('.design-version', { hasText: 'E2E plan' }).locator('button[name="study"]').click();
    await writer.waitForFunction(() => window.__imverse!.design!.study !== undefined, null, {
      timeout: 10_000,
    });
    const { study } = await design(writer);
    const link = writer.locator('.design-result a', { hasText: 'study' });
    expect(await link.getAttribute('href')).toBe(`/api/v1/studies/${study!.id}`);
    const record = (await (await p.api(`/api/v1/studies/${study!.id}`)).json()) as { name: string };
    expect(record.name).toBe('layout E2E plan');
    await p.api(`/api/v1/studies/${study!.id}`, { method: 'DELETE' });
    await writer.close();
    await bob.clearCookies();
  });

  it('puts the plant back as it is when leaving design mode', async () => {
    await a.locator('.design-toggle').click();
    const hook = await design(a);
    expect(hook).toMatchObject({ active: false, changes: 0 });
    expect(await a.locator('.design-bar').isVisible()).toBe(false);
    expect(failures).toEqual([]);
  });
});
