import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteTwinStore } from './sqlite-store.js';
import { draft, runTwinStoreContract } from './store.contract.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-store-'));
  dirs.push(dir);
  return join(dir, 'twins.sqlite');
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

runTwinStoreContract('SQLite', async () => new SqliteTwinStore(tempFile()));

describe('SqliteTwinStore', () => {
  it('keeps the property index in step with the twin through updates and deletes', async () => {
    const store = new SqliteTwinStore(tempFile());
    await store.insertTwin(draft('P/a', { status: 'running', speed: 3, on: true, layout: { x: 1.5 } }));
    const index = () => store.db.prepare('SELECT name, value FROM twin_props ORDER BY name').all();
    expect(index()).toEqual([
      { name: 'layout.x', value: 1.5 },
      { name: 'on', value: 1 },
      { name: 'speed', value: 3 },
      { name: 'status', value: 'running' },
    ]);
    await store.replaceTwin(draft('P/a', { status: 'down', speed: 3 }), 1);
    expect(index()).toEqual([
      { name: 'speed', value: 3 },
      { name: 'status', value: 'down' },
    ]);
    const at = '2026-01-01T00:00:00.000Z';
    await store.applyFieldUpdates(
      [
        {
          twin: 'P/a',
          fields: [
            { field: 'speed', value: 4, sourceTime: at },
            { field: 'pose', value: { x: 2, y: 'up' }, sourceTime: at },
          ],
        },
      ],
      at,
    );
    expect(index()).toEqual([
      { name: 'pose.x', value: 2 },
      { name: 'pose.y', value: 'up' },
      { name: 'speed', value: 4 },
      { name: 'status', value: 'down' },
    ]);
    await store.applyFieldUpdates(
      [{ twin: 'P/a', fields: [{ field: 'pose', value: { x: 3 }, sourceTime: at }] }],
      at,
    );
    expect(index()).toContainEqual({ name: 'pose.x', value: 3 });
    expect(index()).not.toContainEqual({ name: 'pose.y', value: 'up' });
    await store.deleteTwin('P/a');
    expect(index()).toEqual([]);
    await store.close();
  });

  it('keeps committed twins when reopened', async () => {
    const file = tempFile();
    const first = new SqliteTwinStore(file);
    await first.insertTwin(draft('P/a', { name: 'kept' }));
    await first.close();
    const second = new SqliteTwinStore(file);
    expect((await second.getTwin('P/a'))?.doc.name).toBe('kept');
    await second.close();
  });
});
