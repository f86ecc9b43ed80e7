import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStudyDefinition } from '../../sim/study/index.js';
import { ALL_SCOPES, SqliteStudyStore } from './sqlite-study-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStudyStore', () => {
  it('keeps each study under its scope: a query of another scope finds nothing', () => {
    const store = new SqliteStudyStore(':memory:');
    const definition = parseStudyDefinition({ name: 'a' });
    store.insert('a', definition, 'plant.yaml', '88.100.1');
    store.insert('b', definition, 'plant.yaml', '88.200.2');
    expect(store.get('a', '88.100.1')?.id).toBe('a');
    expect(store.get('a', '88.200.2')).toBeUndefined();
    expect(store.get('a', ALL_SCOPES)?.id).toBe('a');
    expect(store.list(10, '88.200.2').map((s) => s.id)).toEqual(['b']);
    expect(store.list(10, ALL_SCOPES)).toHaveLength(2);
    expect([store.count('88.100.1'), store.count('*')]).toEqual([1, 0]);
    store.close();
  });

  it('opens a file from before scopes: its studies belong to the unrestricted scope', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-studies-'));
    dirs.push(dir);
    const file = join(dir, 'studies.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE studies (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
      plant TEXT NOT NULL, definition TEXT NOT NULL, progress TEXT, result TEXT, error TEXT)`);
    old
      .prepare("INSERT INTO studies VALUES ('old', 'old', 'done', 'x', 'x', 'p', ?, NULL, NULL, NULL)")
      .run(JSON.stringify(parseStudyDefinition({})));
    old.close();
    const store = new SqliteStudyStore(file);
    expect(store.get('old', '*')?.id).toBe('old');
    expect(store.get('old', '88.100.1')).toBeUndefined();
    store.close();
  });
});
