// The administration page (/admin) in a real browser, on a platform that is not a demo: an
// administrator creates a partner in a group and shares a line with that group, the partner then
// reads that line but is told it may not manage anything, a refused policy shows its code and path,
// and an API token is created (its secret shown once) and revoked.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/access/roles.js';
import { ROLE_NAMES } from '../../src/core/wire-admin.js';
import type { AdminHook } from '../../web/src/admin/hook-shape.js';
import { launchBrowser } from '../helpers/browser.js';
import { createUser, signIn } from '../helpers/people.js';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from '../helpers/platform.js';

// Page globals as seen from Node (the root tsconfig has no DOM library): used inside the page only.
declare const window: { __imverseAdmin?: Readonly<AdminHook>; cspViolations?: string[] };
declare const document: {
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (event: { violatedDirective: string }) => void,
  ): void;
};

const PASSWORD = 'correct horse battery';
const LINE = '88.100.1/line-1';
let p: TestPlatform;
let adminBrowser: BrowserContext;
let partnerBrowser: BrowserContext | undefined;
let admin: Page;
const failures: string[] = [];

/** Every Content-Security-Policy refusal the page meets, kept for the test to check. */
async function watchCsp(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    window.cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective));
  });
}

/** Opens /admin, which sends the browser to /signin first, signs in, and waits for the page to load. */
async function openAdmin(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(`${p.url}/admin`);
  expect(new URL(page.url()).pathname).toBe('/signin');
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/admin$/), page.click('button[type=submit]')]);
  await page.waitForFunction(
    () => window.__imverseAdmin?.ready === true || window.__imverseAdmin?.error,
    null,
    {
      timeout: 20_000,
    },
  );
  expect(await page.evaluate(() => window.__imverseAdmin?.error)).toBeUndefined();
  return page;
}

/** The text of an element once it is shown. */
async function visibleText(page: Page, selector: string): Promise<string> {
  const node = page.locator(selector);
  await node.waitFor({ state: 'visible', timeout: 10_000 });
  return node.innerText();
}

/** Waits until an element shows `text` (the page redraws after each answer). */
async function shows(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).waitFor({ state: 'visible', timeout: 10_000 });
}

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const twins = [
    { $dtId: LINE, $metadata: { $model: 'dtmi:test:Line;1' } },
    { $dtId: '88.100.1/line-2', $metadata: { $model: 'dtmi:test:Line;1' } },
  ];
  expect((await p.api('/api/v1/import', { method: 'POST', json: { twins, relationships: [] } })).status).toBe(
    200,
  );
  await createUser(p, 'ada', PASSWORD, 'admin', { displayName: 'Ada' });
  adminBrowser = await launchBrowser();
  await watchCsp(adminBrowser);
  admin = await openAdmin(adminBrowser, 'ada');
}, 60_000);
afterAll(async () => {
  await partnerBrowser?.close();
  await adminBrowser?.close();
  await p?.close();
});

describe('GET /admin', () => {
  it('sends a visitor who is not signed in to /signin', async () => {
    const res = await fetch(`${p.url}/admin`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fadmin');
  });

  it('serves the page with the pages’ Content-Security-Policy: no inline script', async () => {
    const ada = await signIn(p, 'ada', PASSWORD);
    const res = await ada.fetch('/admin');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain('/world/assets/admin-');
  });

  it('offers the roles the server knows', () => {
    expect([...ROLE_NAMES]).toEqual([...ROLES]);
  });
});

describe('an administrator on /admin', () => {
  it('sees every section, itself listed', async () => {
    expect(await admin.evaluate(() => window.__imverseAdmin?.may)).toEqual({
      users: { read: true, write: true },
      policies: { read: true, write: true },
      tokens: { read: true, write: true },
    });
    expect(await admin.locator('#denied').isHidden()).toBe(true);
    expect(await visibleText(admin, '#users tr[data-user="ada"]')).toContain('Ada');
  });

  it('creates a partner in the group suppliers and shares a line with that group', async () => {
    await admin.fill('#user-form input[name=name]', 'sam');
    await admin.fill('#user-form input[name=displayName]', 'Sam Supplier');
    await admin.selectOption('#user-form select[name=role]', 'partner');
    await admin.fill('#user-form input[name=groups]', 'suppliers');
    await admin.fill('#user-form input[name=password]', PASSWORD);
    await admin.click('#user-submit');
    await shows(admin, '#users tr[data-user="sam"]', 'partner');
    expect(await visibleText(admin, '#users tr[data-user="sam"]')).toContain('suppliers');
    await shows(admin, '#group-list tr[data-group="suppliers"]', 'sam');

    await admin.fill('#policy-form input[name=id]', 'supplier-line-1');
    await admin.fill('#policy-form input[name=subject]', 'group:suppliers');
    await admin.fill('#policy-form input[name=resource]', `twin:/${LINE}`);
    await admin.click('#share-add');
    expect(JSON.parse(await admin.inputValue('#policy-form textarea[name=document]'))).toEqual({
      entries: {
        'share-1': { subjects: ['group:suppliers'], resources: { [`twin:/${LINE}`]: { grant: ['read'] } } },
      },
    });
    await admin.click('#policy-save');
    await shows(admin, '#policy-done', 'supplier-line-1');
    await shows(admin, '#policy-list tr[data-policy="supplier-line-1"]', 'group:suppliers');
    await shows(admin, '#group-list tr[data-group="suppliers"]', 'supplier-line-1');

    await admin.click('#policy-list tr[data-policy="supplier-line-1"] button[data-action=view]');
    const shown = JSON.parse(await visibleText(admin, '#policy-shown pre')) as { id: string };
    expect(shown.id).toBe('supplier-line-1');

    const stored = await p.api('/api/v1/policies/supplier-line-1');
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { policy: unknown }).policy).toEqual(shown);
  });

  it('shows a refused policy’s code and the path of the mistake, and stores nothing', async () => {
    await admin.click('#policy-new');
    await admin.fill('#policy-form input[name=id]', 'broken');
    await admin.fill(
      '#policy-form textarea[name=document]',
      '{ "entries": { "e": { "subjects": ["everyone"], "resources": {} } } }',
    );
    await admin.click('#policy-save');
    await shows(admin, '#policy-problem', 'IMV_POLICY_INVALID');
    expect(await visibleText(admin, '#policy-problem')).toContain('/entries/e/subjects/0');
    expect((await p.api('/api/v1/policies/broken')).status).toBe(404);
  });

  it('creates an API token, shows its secret once, and revokes it', async () => {
    await admin.fill('#token-form input[name=name]', 'MES gateway');
    await admin.selectOption('#token-form select[name=role]', 'viewer');
    await admin.fill('#token-form input[name=expiresIn]', '90d');
    await admin.click('#token-form button[type=submit]');
    await shows(admin, '#token-secret code', 'imv_');
    const secret = await visibleText(admin, '#token-secret code');
    expect(secret).toMatch(/^imv_/);
    expect((await p.api('/api/v1/me', { token: secret })).status).toBe(200);

    const row = admin.locator('#token-list tr', { hasText: 'MES gateway' });
    await row.waitFor({ timeout: 10_000 });
    admin.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button[data-action=revoke]').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await p.api('/api/v1/me', { token: secret })).status).toBe(401);
  });

  it('met no Content-Security-Policy refusal and no script error', async () => {
    expect(await admin.evaluate(() => window.cspViolations)).toEqual([]);
    expect(failures).toEqual([]);
  });
});

describe('the partner sam', () => {
  it('reads the shared line, and is told on /admin that it may not manage anything', async () => {
    partnerBrowser = await launchBrowser();
    const page = await openAdmin(partnerBrowser, 'sam');
    const access = (resource: string) =>
      page.evaluate(async (r) => {
        const res = await fetch(`/api/v1/access?resource=${encodeURIComponent(r)}`);
        return (await res.json()) as { read: boolean; write: boolean };
      }, resource);
    expect(await access(`twin:/${LINE}`)).toMatchObject({ read: true, write: false });
    expect(await access('twin:/88.100.1/line-2')).toMatchObject({ read: false });

    await shows(page, '#denied', 'may not manage');
    for (const section of ['#people', '#groups', '#policies', '#tokens']) {
      expect(await page.locator(section).isHidden()).toBe(true);
    }
    expect(failures).toEqual([]);
  });
});
