import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WalCheckpointer } from './wal-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'imverse-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WalCheckpointer', () => {
  it('keeps the write-ahead log from growing while the writer never checkpoints itself', async () => {
    const file = join(dir, 'hot.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x BLOB)');
    const errors: string[] = [];
    const checkpointer = new WalCheckpointer([db], (message) => errors.push(message), 5);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const blob = new Uint8Array(64 * 1024);
    // 32 MiB in 512 commits; with nobody checkpointing, the log would hold all of it.
    for (let i = 0; i < 512; i++) {
      insert.run(blob);
      if (i % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await vi.waitFor(() => {
      insert.run(blob); // a write after a complete checkpoint starts the log from its beginning again
      expect(statSync(`${file}-wal`).size).toBeLessThan(16 * 1024 * 1024);
    });
    await checkpointer.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(errors).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBeGreaterThan(512);
    db.close();
  });
});
