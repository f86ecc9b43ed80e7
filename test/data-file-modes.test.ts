// The data directory and its files are the owner's alone (0700 and 0600), whatever the umask: they
// hold the plant's data and the digests of every token and device password.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from './helpers/platform.js';

let parent: string;
beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'imverse-modes-'));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** Every entry under `dir` (itself included) with its permission bits, e.g. `twins.sqlite 600`. */
function modes(dir: string, name = '.'): string[] {
  const mode = `${name} ${(statSync(dir).mode & 0o777).toString(8)}`;
  if (!statSync(dir).isDirectory()) return [mode];
  return [mode, ...readdirSync(dir).flatMap((entry) => modes(join(dir, entry), join(name, entry)))];
}

/** Runs `work` with a permissive umask, so that nothing is private merely because the umask made it so. */
async function withUmask<T>(mask: number, work: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

describe('data file modes', () => {
  it('creates a new data directory 0700 with every file 0600, write-ahead logs included', async () => {
    const dataDir = join(parent, 'fresh');
    await withUmask(0o000, async () => {
      const p = await startTestPlatform({ dataDir, demo: true });
      try {
        // Writes to every store that has a write-ahead log: tokens, twins, history.
        expect(
          (await p.api('/api/v1/tokens', { method: 'POST', json: { name: 'x', role: 'viewer' } })).status,
        ).toBe(201);
        const found = modes(dataDir);
        expect(found).toContain('. 700');
        expect(found).toContain('twins.sqlite 600');
        expect(found).toContain('auth.sqlite 600');
        expect(found.some((entry) => entry.startsWith('auth.sqlite-wal '))).toBe(true);
        expect(found.filter((entry) => !/ (600|700)$/.test(entry))).toEqual([]);
      } finally {
        await p.close();
      }
      // After a clean stop too (SQLite folds the logs in and rewrites what is left).
      expect(modes(dataDir).filter((entry) => !/ (600|700)$/.test(entry))).toEqual([]);
    });
  });

  it('takes others’ access away from an existing data directory on start', async () => {
    const dataDir = join(parent, 'loose');
    mkdirSync(join(dataDir, 'world-models'), { recursive: true });
    writeFileSync(join(dataDir, 'world-models', 'press.glb'), 'glTF');
    chmodSync(join(dataDir, 'world-models', 'press.glb'), 0o644);
    chmodSync(join(dataDir, 'world-models'), 0o755);
    chmodSync(dataDir, 0o755);
    const p = await startTestPlatform({ dataDir });
    try {
      expect(modes(dataDir)).toEqual(
        expect.arrayContaining(['. 700', 'world-models 700', join('world-models', 'press.glb') + ' 600']),
      );
      expect(modes(dataDir).filter((entry) => !/ (600|700)$/.test(entry))).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
