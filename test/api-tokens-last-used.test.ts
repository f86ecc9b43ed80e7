// The token list shows when each token was last used, recorded at most once a minute per token so
// that authenticating stays a memory lookup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore, type TokenInfo } from '../src/server/auth/TokenStore.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => p?.close());

async function listed(id: string): Promise<TokenInfo | undefined> {
  const list = (await (await p.api('/api/v1/tokens')).json()) as { value: TokenInfo[] };
  return list.value.find((token) => token.id === id);
}

describe('last-used time', () => {
  it('is absent until a token is used, then shown in the list', async () => {
    const res = await p.api('/api/v1/tokens', { method: 'POST', json: { name: 'mes', role: 'viewer' } });
    const { id, token } = (await res.json()) as { id: string; token: string };
    expect(await listed(id)).not.toHaveProperty('lastUsed');

    const before = Date.now();
    expect((await p.api('/api/v1/twins', { token })).status).toBe(200);
    const used = await listed(id);
    expect(Date.parse(used!.lastUsed!)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(used!.lastUsed!)).toBeLessThanOrEqual(Date.now());
  });

  it('is written at most once a minute per token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-last-used-'));
    const store = new TokenStore(join(dir, 'auth.sqlite'));
    const lastUsed = (id: string) => store.list().find((token) => token.id === id)?.lastUsed;
    try {
      const { token, info } = store.create('busy', 'viewer');
      const start = Date.parse('2030-01-01T00:00:00Z');
      store.authenticate(token, start);
      expect(lastUsed(info.id)).toBe('2030-01-01T00:00:00.000Z');
      for (let s = 1; s < 60; s++) store.authenticate(token, start + s * 1000);
      expect(lastUsed(info.id)).toBe('2030-01-01T00:00:00.000Z');
      store.authenticate(token, start + 60_000);
      expect(lastUsed(info.id)).toBe('2030-01-01T00:01:00.000Z');

      // A restart (a new store on the same file) does not write it again within the minute either.
      const restarted = new TokenStore(join(dir, 'auth.sqlite'));
      restarted.authenticate(token, start + 90_000);
      restarted.close();
      expect(lastUsed(info.id)).toBe('2030-01-01T00:01:00.000Z');
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
