import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SqliteHistoryStore, type SqliteHistoryStoreOptions } from './sqlite-store.js';
import { prng, runHistoryStoreContract } from './store.contract.js';
import type { HistoryStore } from './store.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-history-'));
  dirs.push(dir);
  return join(dir, 'history.sqlite');
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const files = new WeakMap<HistoryStore, string>();
function factory(options: SqliteHistoryStoreOptions) {
  return async (reopen?: HistoryStore): Promise<HistoryStore> => {
    const file = reopen === undefined ? tempFile() : files.get(reopen)!;
    const store = new SqliteHistoryStore(file, options);
    files.set(store, file);
    return store;
  };
}

runHistoryStoreContract('SQLite', factory({ compactEveryMs: 0 }));
// Tiny chunks, so the contract runs across compaction: merges, late points, chunk summaries.
runHistoryStoreContract('SQLite, compacting every 8 points', factory({ chunkPoints: 8, compactEveryMs: 0 }));

const T0 = Date.UTC(2026, 0, 1);
const k = { twin: 'P/m', field: 'temp' };
const count = (store: SqliteHistoryStore, table: string) =>
  store.db
    .prepare(`SELECT ${table === 'chunks' ? 'coalesce(sum(count), 0)' : 'count(*)'} FROM ${table}`)
    .pluck()
    .get();

describe('SqliteHistoryStore compaction', () => {
  it('moves every point into chunks exactly once, bit for bit', async () => {
    const store = new SqliteHistoryStore(tempFile(), { chunkPoints: 100, compactEveryMs: 0 });
    const random = prng(7);
    const payload = new Float64Array(new BigUint64Array([0x7ff4_0000_0000_beefn]).buffer)[0]!;
    const specials = [-0, Infinity, -Infinity, 5e-324, payload];
    const times = Array.from({ length: 5000 }, (_, i) => T0 + i * 1000 + Math.floor(random() * 10));
    const values = times.map((_, i) =>
      i % 97 === 0 ? specials[i % specials.length]! : Math.round(random() * 1e4) / 100,
    );
    const order = times.map((_, i) => i).sort(() => random() - 0.5);
    for (let b = 0; b < order.length; b += 250) {
      await store.append(order.slice(b, b + 250).map((i) => ({ ...k, time: times[i]!, value: values[i]! })));
    }
    store.compact({ all: true });
    // Only the newest batch stays in the log: it carries the sequence numbers across a reopen.
    expect(count(store, 'log')).toBe(1);
    expect(count(store, 'chunks')).toBe(5000);
    const back = await store.range(k, -Infinity, Infinity);
    expect(back.map((s) => s.time)).toEqual(times);
    back.forEach((s, i) =>
      expect(Object.is(s.value, values[i]) || (Number.isNaN(s.value) && Number.isNaN(values[i]))).toBe(true),
    );
    await store.close();
  });

  it('merges late and repeated points into existing chunks without duplicates', async () => {
    const store = new SqliteHistoryStore(tempFile(), { chunkPoints: 50, compactEveryMs: 0 });
    await store.append(Array.from({ length: 500 }, (_, i) => ({ ...k, time: T0 + i * 1000, value: i })));
    store.compact({ all: true });
    const chunksBefore = store.db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    // Late: rewrite some times, fill a gap between two seconds, turn one into a string and back.
    await store.append([
      { ...k, time: T0 + 10_000, value: -10 },
      { ...k, time: T0 + 10_500, value: 10.5 },
      { ...k, time: T0 + 20_000, value: 'offline', quality: 'bad' },
      { ...k, time: T0 + 499_000, value: -499 },
    ]);
    store.compact({ all: true });
    expect(count(store, 'chunks')).toBe(500);
    expect(count(store, 'plain')).toBe(1);
    await store.append([{ ...k, time: T0 + 20_000, value: 20 }]);
    store.compact({ all: true });
    expect(count(store, 'chunks')).toBe(501);
    expect(count(store, 'plain')).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM chunks').pluck().get()).toBeLessThanOrEqual(
      chunksBefore + 1,
    );
    const back = await store.range(k, -Infinity, Infinity);
    expect(back).toHaveLength(501);
    expect(new Set(back.map((s) => s.time)).size).toBe(501);
    const at = (t: number) => back.find((s) => s.time === T0 + t)?.value;
    expect([at(10_000), at(10_500), at(20_000), at(499_000), at(30_000)]).toEqual([-10, 10.5, 20, -499, 30]);
    await store.close();
  });

  it('compacts in the background what is due, and truncates the log behind it', async () => {
    const file = tempFile();
    const writer = new SqliteHistoryStore(file, { chunkPoints: 1000, compactEveryMs: 0 });
    const series = Array.from({ length: 50 }, (_, i) => `P/s${i}`);
    for (let second = 0; second < 30; second++) {
      await writer.append(
        series.map((twin) => ({ twin, field: 'v', time: T0 + second * 1000, value: second })),
      );
    }
    expect(count(writer, 'chunks')).toBe(0);
    await writer.close();
    // Reopened with smaller chunks, every series is due at once; only the timer runs.
    const store = new SqliteHistoryStore(file, { chunkPoints: 20, compactEveryMs: 5, compactBudget: 100 });
    await vi.waitFor(() => expect(count(store, 'chunks')).toBe(1500), { timeout: 5000 });
    expect(count(store, 'log')).toBe(1);
    expect(
      (await store.range({ twin: 'P/s7', field: 'v' }, -Infinity, Infinity)).map((s) => s.value),
    ).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await store.close();
  });

  it('compacts series that pin an overlong log even when they are not due', async () => {
    const store = new SqliteHistoryStore(tempFile(), { chunkPoints: 1000, logRows: 100, compactEveryMs: 0 });
    for (let second = 0; second < 20; second++) {
      await store.append(
        Array.from({ length: 20 }, (_, i) => ({
          twin: `P/s${i}`,
          field: 'v',
          time: T0 + second * 1000,
          value: i,
        })),
      );
    }
    expect(count(store, 'chunks')).toBeGreaterThan(250);
    expect((await store.range({ twin: 'P/s3', field: 'v' }, -Infinity, Infinity)).length).toBe(20);
    await store.close();
  });

  it('picks up pending rows after a reopen and compacts them', async () => {
    const file = tempFile();
    const first = new SqliteHistoryStore(file, { chunkPoints: 100, compactEveryMs: 0 });
    await first.append(Array.from({ length: 80 }, (_, i) => ({ ...k, time: T0 + i, value: i })));
    await first.close();
    const second = new SqliteHistoryStore(file, { chunkPoints: 100, compactEveryMs: 0 });
    await second.append(Array.from({ length: 30 }, (_, i) => ({ ...k, time: T0 + 80 + i, value: 80 + i })));
    // Due now: compacted right after the append, between turns of the event loop.
    await vi.waitFor(() => expect(count(second, 'chunks')).toBe(110), { timeout: 5000 });
    expect(count(second, 'log')).toBe(1);
    second.reclaimSpace();
    await second.close();
    const third = new SqliteHistoryStore(file, { chunkPoints: 100, compactEveryMs: 0 });
    await third.append([{ ...k, time: T0 + 110, value: 110 }]);
    expect((await third.range(k, -Infinity, Infinity)).map((s) => s.value)).toEqual(
      Array.from({ length: 111 }, (_, i) => i),
    );
    expect([...(await third.latest([k])).values()].map((s) => s.value)).toEqual([110]);
    await third.close();
  });

  it('takes over a store written with the older one-row-per-point log', async () => {
    const file = tempFile();
    const old = new SqliteHistoryStore(file, { compactEveryMs: 0 });
    await old.append([{ ...k, time: T0, value: 1 }]);
    await old.close();
    // What that version left behind: a `recent` row log (one compacted row, two pending) and `latest`.
    const db = new Database(file);
    db.exec(`
      CREATE TABLE recent (seq INTEGER PRIMARY KEY AUTOINCREMENT, series INTEGER NOT NULL, time INTEGER NOT NULL, value, flags INTEGER NOT NULL);
      CREATE TABLE latest (series INTEGER PRIMARY KEY, time INTEGER NOT NULL, value, flags INTEGER NOT NULL);
      DELETE FROM log;
      UPDATE series SET flushed_seq = 5;
      INSERT INTO recent (seq, series, time, value, flags) VALUES (5, 1, ${T0 - 1000}, 0, 0), (6, 1, ${T0 + 1000}, 2, 0), (7, 1, ${T0 + 2000}, 'jam', 2);`);
    db.close();
    const store = new SqliteHistoryStore(file, { compactEveryMs: 0 });
    expect(
      store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('recent', 'latest')").pluck().get(),
    ).toBe(0);
    await store.append([{ ...k, time: T0 + 3000, value: 3 }]);
    expect(store.db.prepare('SELECT first_seq FROM log').pluck().get()).toBe(8);
    expect((await store.range(k, -Infinity, Infinity)).map((s) => s.value)).toEqual([2, 'jam', 3]);
    await store.close();
  });

  it('keeps what append acknowledged when the process is killed', () => {
    const file = tempFile();
    const script = `
      import { SqliteHistoryStore } from ${JSON.stringify(new URL('./sqlite-store.ts', import.meta.url).pathname)};
      const store = new SqliteHistoryStore(${JSON.stringify(file)}, { chunkPoints: 100 });
      for (let b = 0; b < 20; b++) {
        await store.append(Array.from({ length: 50 }, (_, i) => ({ twin: 'P/m', field: 'temp', time: ${T0} + b * 50 + i, value: i })));
      }
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(child.signal).toBe('SIGKILL');
    const store = new SqliteHistoryStore(file, { compactEveryMs: 0 });
    return store.range(k, -Infinity, Infinity).then(async (samples) => {
      expect(samples).toHaveLength(1000);
      await store.close();
    });
  });
});
