// API tokens that expire: asked for by duration or time (API and CLI); once expired, a token is
// answered exactly as an unknown one, even while it is remembered from earlier requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenCreateCommand, tokenListCommand } from '../src/cli/token.js';
import { TokenStore } from '../src/server/auth/TokenStore.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const DAY_MS = 86_400_000;
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => p?.close());

async function create(body: object): Promise<Response> {
  return p.api('/api/v1/tokens', { method: 'POST', json: { name: 'expiring', role: 'viewer', ...body } });
}

describe('token expiry through the API', () => {
  it('sets an expiry from expiresIn or expires, and shows it in the list', async () => {
    const before = Date.now();
    const byDuration = (await (await create({ expiresIn: '90d' })).json()) as { id: string; expires: string };
    const expiresAt = Date.parse(byDuration.expires);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 90 * DAY_MS);

    const byTime = await create({ expires: '2999-01-31T00:00:00Z' });
    expect(byTime.status).toBe(201);
    const { id } = (await byTime.json()) as { id: string };
    const list = (await (await p.api('/api/v1/tokens')).json()) as {
      value: Array<{ id: string; name: string; expires?: string }>;
    };
    expect(list.value.find((t) => t.id === id)).toMatchObject({ expires: '2999-01-31T00:00:00.000Z' });
    expect(list.value.find((t) => t.name === 'admin (first start)')).not.toHaveProperty('expires');
  });

  it.each([
    [{ expiresIn: 'soon' }, '/expiresIn'],
    [{ expiresIn: '0d' }, '/expiresIn'],
    [{ expiresIn: '-1h' }, '/expiresIn'],
    [{ expires: 'tomorrow' }, '/expires'],
    [{ expires: '2999-01-31' }, '/expires'],
    [{ expires: '2001-01-01T00:00:00Z' }, '/expires'],
    [{ expiresIn: '1d', expires: '2999-01-31T00:00:00Z' }, '/expires'],
  ])('refuses %j', async (body, path) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'IMV_REQUEST_INVALID', path });
  });

  it('answers an expired token as it answers an unknown one', async () => {
    // Made by another process on the same file (as the CLI does), already past its expiry.
    const store = new TokenStore(join(p.dataDir, 'auth.sqlite'));
    const { token } = store.create('expired', 'viewer', undefined, new Date(Date.now() - 1000));
    store.close();
    const unknown = `imv_000000000000_${'A'.repeat(32)}`;
    const answers = [];
    for (const presented of [token, unknown]) {
      const res = await p.api('/api/v1/twins', { token: presented });
      const { status, code, detail } = (await res.json()) as Record<string, unknown>;
      answers.push({ status, code, detail });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 401, code: 'IMV_AUTH_REQUIRED' });
  });
});

describe('token expiry in the store', () => {
  it('stops a remembered token at its expiry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-tokens-'));
    const store = new TokenStore(join(dir, 'auth.sqlite'));
    try {
      const now = Date.now();
      const { token } = store.create('short', 'engineer', undefined, new Date(now + 5000));
      expect(store.authenticate(token, now)?.role).toBe('engineer');
      expect(store.authenticate(token, now + 4999)?.role).toBe('engineer');
      expect(store.authenticate(token, now + 5000)).toBeUndefined();
      expect(store.authenticate(token, now + 5001)).toBeUndefined();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('token expiry on the command line', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'imverse-tokens-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** What a command prints. */
  async function printed(command: () => Promise<void>): Promise<string> {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await command();
      return log.mock.calls.map((call) => call.join(' ')).join('\n');
    } finally {
      log.mockRestore();
    }
  }

  it('creates a token with --expires-in and lists its expiry', async () => {
    const created = await printed(() =>
      tokenCreateCommand({ role: 'viewer', name: 'grafana', expiresIn: '30d', data: dataDir }),
    );
    const id = /created viewer token ([0-9a-f]{12}) for "grafana", valid until (\S+):/.exec(created);
    expect(id).not.toBeNull();
    expect(Date.parse(id![2]!)).toBeGreaterThan(Date.now() + 29 * DAY_MS);
    const listed = await printed(() => tokenListCommand({ data: dataDir }));
    expect(listed).toContain(`${id![1]}  viewer  "grafana"`);
    expect(listed).toContain(`expires ${id![2]}`);
    expect(listed).toContain('never used');
  });

  it('refuses an expiry it cannot read, naming the flag', async () => {
    await expect(
      tokenCreateCommand({ role: 'viewer', name: 'x', expiresIn: 'a while', data: dataDir }),
    ).rejects.toMatchObject({
      code: 'IMV_REQUEST_INVALID',
      message: expect.stringContaining('--expires-in "a while" is not a duration'),
    });
  });
});
