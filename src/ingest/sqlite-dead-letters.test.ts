import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDeadLetterStore } from './sqlite-dead-letters.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteDeadLetterStore', () => {
  it('lists by the prefix of each letter’s twin, whatever its case; letters without a twin only unfiltered', () => {
    const store = new SqliteDeadLetterStore(':memory:');
    store.add([
      { source: 'http', code: 'C', reason: 'r', payload: '1', twin: 'acme/m1' },
      { source: 'http', code: 'C', reason: 'r', payload: '2', twin: '88.200.2/m1' },
      { source: 'mqtt', code: 'C', reason: 'r', payload: '3', topic: 'nowhere' },
      { source: 'http', code: 'C', reason: 'r', payload: '4', twin: 'not an identifier' },
    ]);
    const payloads = (prefixes?: string[]) =>
      store.list({ limit: 10, ...(prefixes ? { prefixes } : {}) }).map((l) => l.payload);
    expect(payloads(['ACME'])).toEqual(['1']);
    expect(payloads(['acme', '88.200.2'])).toEqual(['2', '1']);
    expect(payloads([])).toEqual([]);
    expect(payloads()).toEqual(['4', '3', '2', '1']);
    expect(store.list({ limit: 1 })[0]).toMatchObject({ twin: 'not an identifier' });
    store.close();
  });

  it('opens a file from before tenants: its letters are for unrestricted callers only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-letters-'));
    dirs.push(dir);
    const file = join(dir, 'dead-letters.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE dead_letters (
      id INTEGER PRIMARY KEY, time TEXT NOT NULL, source TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
      topic TEXT, payload TEXT NOT NULL, encoding TEXT NOT NULL)`);
    old.exec("INSERT INTO dead_letters VALUES (1, 't', 'http', 'C', 'r', NULL, 'old', 'utf8')");
    old.close();
    const store = new SqliteDeadLetterStore(file);
    expect(store.list({ limit: 10, prefixes: ['88.100.1'] })).toEqual([]);
    expect(store.list({ limit: 10 }).map((l) => l.payload)).toEqual(['old']);
    store.close();
  });
});
