// The token cache holds valid tokens only, and a bounded number of them: a client sending made-up
// tokens cannot grow the server's memory. A token in use is looked up again every minute, so a
// revocation made by another process (the CLI) takes effect.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStore } from '../src/server/auth/TokenStore.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imverse-token-cache-'));
  file = join(dir, 'auth.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the token cache', () => {
  it('does not grow on bogus tokens, whatever their shape', () => {
    const store = new TokenStore(file);
    try {
      const { token } = store.create('real', 'viewer');
      expect(store.authenticate(token)?.name).toBe('real');
      for (let i = 0; i < 2000; i++) {
        // Shaped like a real token, like a real one with its secret changed, and free-form.
        expect(
          store.authenticate(
            `imv_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`,
          ),
        ).toBeUndefined();
        expect(
          store.authenticate(`${token.slice(0, -4)}${randomBytes(3).toString('base64url')}`),
        ).toBeUndefined();
        expect(store.authenticate(randomBytes(40).toString('hex'))).toBeUndefined();
      }
      expect(store.cached).toBe(1);
    } finally {
      store.close();
    }
  });

  it('holds at most its limit of valid tokens, and each still authenticates', () => {
    const store = new TokenStore(file, 3);
    try {
      const tokens = Array.from({ length: 10 }, (_, i) => store.create(`t${i}`, 'viewer').token);
      for (const [i, token] of tokens.entries()) expect(store.authenticate(token)?.name).toBe(`t${i}`);
      expect(store.cached).toBe(3);
      for (const [i, token] of tokens.entries()) expect(store.authenticate(token)?.name).toBe(`t${i}`);
      expect(store.cached).toBe(3);
    } finally {
      store.close();
    }
  });

  it('forgets a token revoked here at once, and one revoked by another process within a minute', () => {
    const server = new TokenStore(file);
    const cli = new TokenStore(file);
    try {
      const now = Date.now();
      const here = server.create('revoked here', 'viewer');
      const elsewhere = server.create('revoked elsewhere', 'viewer');
      expect(server.authenticate(here.token, now)).toBeDefined();
      expect(server.authenticate(elsewhere.token, now)).toBeDefined();

      server.revoke(here.info.id);
      expect(server.authenticate(here.token, now)).toBeUndefined();

      cli.revoke(elsewhere.info.id);
      expect(server.authenticate(elsewhere.token, now + 60_000)).toBeUndefined();
      expect(server.cached).toBe(0);
    } finally {
      server.close();
      cli.close();
    }
  });
});
