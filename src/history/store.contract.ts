// The contract every HistoryStore adapter passes: `runHistoryStoreContract(name, makeStore)` in a test file.
// `makeStore()` gives a new, empty store; `makeStore(closed)` opens the storage of a closed store again.
import { afterEach, describe, expect, it } from 'vitest';
import type { Quality } from '../ingest/points.js';
import { seriesId, type Bucket, type HistoryPoint, type HistoryStore, type Sample } from './store.js';

export type HistoryStoreFactory = (reopen?: HistoryStore) => Promise<HistoryStore>;

const T0 = Date.UTC(2026, 0, 1);
const key = (twin: string, field: string) => ({ twin, field });
const pt = (twin: string, field: string, time: number, value: HistoryPoint['value'], quality?: Quality) =>
  quality === undefined ? { twin, field, time, value } : { twin, field, time, value, quality };

/** A seeded PRNG (mulberry32), so a failing random case replays from the seed in its name. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** What any store must answer, computed the obvious way from the points appended, in order. */
class Model {
  readonly series = new Map<string, Map<number, Sample>>();
  append(points: readonly HistoryPoint[]): void {
    for (const p of points) {
      const id = seriesId(p);
      if (!this.series.has(id)) this.series.set(id, new Map());
      this.series.get(id)!.set(p.time, { time: p.time, value: p.value, quality: p.quality ?? 'good' });
    }
  }
  range(id: string, from: number, to: number, limit = Infinity): Sample[] {
    return [...(this.series.get(id)?.values() ?? [])]
      .filter((s) => s.time >= from && s.time < to)
      .sort((a, b) => a.time - b.time)
      .slice(0, limit);
  }
  buckets(id: string, from: number, to: number, width: number): Bucket[] {
    const groups = new Map<number, Sample[]>();
    for (const s of this.range(id, from, to)) {
      const start = Math.floor(s.time / width) * width;
      if (!groups.has(start)) groups.set(start, []);
      groups.get(start)!.push(s);
    }
    return [...groups.entries()].map(([time, samples]) => {
      const numbers = samples.filter((s) => typeof s.value === 'number' && s.quality === 'good');
      const values = numbers.map((s) => s.value as number);
      const last = samples[samples.length - 1]!.value;
      if (values.length === 0) return { time, count: samples.length, last };
      const avg = values.reduce((a, b) => a + b, 0) / values.length;
      return { time, count: samples.length, min: Math.min(...values), max: Math.max(...values), avg, last };
    });
  }
}

function expectBuckets(actual: Bucket[], expected: Bucket[]): void {
  expect(actual.map((b) => [b.time, b.count, b.last, b.min, b.max])).toEqual(
    expected.map((b) => [b.time, b.count, b.last, b.min, b.max]),
  );
  actual.forEach((b, i) => {
    const avg = expected[i]!.avg;
    if (avg === undefined) expect(b.avg).toBeUndefined();
    else expect(b.avg).toBeCloseTo(avg, 6);
  });
}

export function runHistoryStoreContract(name: string, makeStore: HistoryStoreFactory): void {
  describe(`HistoryStore contract: ${name}`, () => {
    const open: HistoryStore[] = [];
    const fresh = async (reopen?: HistoryStore) => {
      const store = await makeStore(reopen);
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });

    it('returns appended samples of a series in time order, whatever the append order', async () => {
      const store = await fresh();
      const times = [5, 1, 4, 2, 3].map((s) => T0 + s * 1000);
      await store.append(times.map((t, i) => pt('P/m', 'temp', t, 20 + i / 4)));
      await store.append([pt('P/m', 'other', T0, 1), pt('P/n', 'temp', T0, 2)]);
      const samples = await store.range(key('P/m', 'temp'), T0, T0 + 10_000);
      expect(samples.map((s) => s.time)).toEqual([1, 2, 3, 4, 5].map((s) => T0 + s * 1000));
      expect(samples.map((s) => s.value)).toEqual([20.25, 20.75, 21, 20.5, 20]);
      expect(samples.every((s) => s.quality === 'good')).toBe(true);
    });

    it('takes from inclusive, to exclusive, and stops at the limit', async () => {
      const store = await fresh();
      await store.append(Array.from({ length: 50 }, (_, i) => pt('P/m', 'temp', T0 + i * 1000, i)));
      const k = key('P/m', 'temp');
      expect((await store.range(k, T0 + 10_000, T0 + 20_000)).map((s) => s.value)).toEqual(
        Array.from({ length: 10 }, (_, i) => 10 + i),
      );
      expect((await store.range(k, T0, T0 + 50_000, 3)).map((s) => s.value)).toEqual([0, 1, 2]);
      expect(await store.range(k, T0, T0 + 50_000, 0)).toEqual([]);
      expect(await store.range(k, T0 + 5000, T0 + 5000)).toEqual([]);
      expect(await store.range(k, -Infinity, Infinity)).toHaveLength(50);
    });

    it('keeps numbers exactly, including -0, ±Infinity, NaN and subnormals', async () => {
      const store = await fresh();
      const values = [-0, Infinity, -Infinity, NaN, 5e-324, 0.1 + 0.2, -1.7976931348623157e308, 42];
      await store.append(values.map((v, i) => pt('P/m', 'x', T0 + i, v)));
      const back = (await store.range(key('P/m', 'x'), T0, T0 + 100)).map((s) => s.value);
      back.forEach((v, i) => expect(Object.is(v, values[i])).toBe(true));
    });

    it('keeps the last write of a series and time, in one batch and across batches', async () => {
      const store = await fresh();
      await store.append([pt('P/m', 'temp', T0, 1), pt('P/m', 'temp', T0, 2), pt('P/m', 'temp', T0 + 1, 3)]);
      await store.append([pt('P/m', 'temp', T0 + 1, 'offline', 'bad')]);
      await store.append([pt('P/m', 'temp', T0, 4)]);
      expect(await store.range(key('P/m', 'temp'), T0, T0 + 10)).toEqual([
        { time: T0, value: 4, quality: 'good' },
        { time: T0 + 1, value: 'offline', quality: 'bad' },
      ]);
      const latest = await store.latest([key('P/m', 'temp')]);
      expect(latest.get(seriesId(key('P/m', 'temp')))).toEqual({
        time: T0 + 1,
        value: 'offline',
        quality: 'bad',
      });
    });

    it('answers the latest sample per series, leaving out unknown series', async () => {
      const store = await fresh();
      await store.append([
        pt('P/a', 'temp', T0 + 2000, 21),
        pt('P/a', 'temp', T0 + 1000, 20),
        pt('P/b', 'state', T0, 'running'),
      ]);
      await store.append([pt('P/a', 'temp', T0 + 500, 19)]); // late: older than the latest
      await store.append([pt('P/b', 'on', T0, true, 'uncertain')]);
      const keys = [key('P/a', 'temp'), key('P/b', 'state'), key('P/b', 'on'), key('P/c', 'temp')];
      const latest = await store.latest(keys);
      expect([...latest.entries()].sort()).toEqual(
        [
          [seriesId(keys[0]!), { time: T0 + 2000, value: 21, quality: 'good' }],
          [seriesId(keys[1]!), { time: T0, value: 'running', quality: 'good' }],
          [seriesId(keys[2]!), { time: T0, value: true, quality: 'uncertain' }],
        ].sort(),
      );
      const many = Array.from({ length: 100 }, (_, i) => pt(`P/t${i}`, 'v', T0 + i, i));
      await store.append(many);
      const all = await store.latest(many.map((p) => key(p.twin, p.field)));
      expect(all.size).toBe(100);
      expect(all.get(seriesId(key('P/t42', 'v')))?.value).toBe(42);
      expect((await store.latest([])).size).toBe(0);
    });

    it("answers each series' latest sample at or before a time, across later writes", async () => {
      const store = await fresh();
      const states = ['running', 'idle', 'down', 'running', 'blocked'];
      // Numbers enough to fill chunks in a compacting store, strings in the plain table.
      await store.append(Array.from({ length: 40 }, (_, i) => pt('P/a', 'temp', T0 + i * 1000, i)));
      await store.append(states.map((v, i) => pt('P/a', 'state', T0 + i * 10_000, v)));
      await store.append([pt('P/b', 'state', T0 + 5000, 'idle', 'uncertain')]);
      const keys = [key('P/a', 'temp'), key('P/a', 'state'), key('P/b', 'state'), key('P/c', 'state')];
      const at = async (time: number) => {
        const found = await store.latestAt(keys, time);
        return keys.map((k) => found.get(seriesId(k)));
      };
      expect(await at(T0 - 1)).toEqual([undefined, undefined, undefined, undefined]);
      expect(await at(T0 + 12_500)).toEqual([
        { time: T0 + 12_000, value: 12, quality: 'good' },
        { time: T0 + 10_000, value: 'idle', quality: 'good' },
        { time: T0 + 5000, value: 'idle', quality: 'uncertain' },
        undefined,
      ]);
      // At exactly a sample's time, that sample.
      expect((await at(T0 + 20_000))[1]?.value).toBe('down');
      expect((await at(T0 + 20_000))[0]?.value).toBe(20);
      expect((await at(Infinity))[0]).toEqual({ time: T0 + 39_000, value: 39, quality: 'good' });
      expect((await at(T0 + 999_999))[1]?.value).toBe('blocked');
      // A later write at the same time replaces the sample it answers.
      await store.append([pt('P/a', 'temp', T0 + 12_000, -1)]);
      expect((await at(T0 + 12_500))[0]?.value).toBe(-1);
      // Still right after reopening (a compacting store has moved the points on by then).
      const again = await fresh(store);
      const found = await again.latestAt(keys, T0 + 25_500);
      expect(found.get(seriesId(keys[0]!))?.value).toBe(25);
      expect(found.get(seriesId(keys[1]!))?.value).toBe('down');
      expect((await again.latestAt([], T0)).size).toBe(0);
      await expect(again.latestAt(keys, NaN)).rejects.toThrow(/time/);
    });

    it('reads several series in one time-ordered list, ties in the order of the keys', async () => {
      const store = await fresh();
      await store.append([
        pt('P/b', 'state', T0 + 2000, 'down'),
        pt('P/a', 'state', T0 + 2000, 'idle'),
        pt('P/a', 'state', T0, 'running'),
        pt('P/a', 'temp', T0 + 1000, 20),
        pt('P/b', 'state', T0 + 3000, 'running', 'bad'),
        pt('P/c', 'state', T0 + 1500, 'setup'), // not asked for
      ]);
      const keys = [key('P/a', 'state'), key('P/b', 'state'), key('P/a', 'temp'), key('P/x', 'state')];
      const all = await store.rangeMany(keys, T0, T0 + 10_000, 100);
      expect(all.map((p) => [p.twin, p.field, p.time - T0, p.value, p.quality])).toEqual([
        ['P/a', 'state', 0, 'running', 'good'],
        ['P/a', 'temp', 1000, 20, 'good'],
        ['P/a', 'state', 2000, 'idle', 'good'],
        ['P/b', 'state', 2000, 'down', 'good'],
        ['P/b', 'state', 3000, 'running', 'bad'],
      ]);
      expect((await store.rangeMany(keys, T0 + 1000, T0 + 3000, 100)).map((p) => p.time - T0)).toEqual([
        1000, 2000, 2000,
      ]);
      expect((await store.rangeMany(keys, T0, T0 + 10_000, 3)).map((p) => p.time - T0)).toEqual([
        0, 1000, 2000,
      ]);
      expect(await store.rangeMany(keys, T0, T0 + 10_000, 0)).toEqual([]);
      expect(await store.rangeMany([], T0, T0 + 10_000, 10)).toEqual([]);
      await expect(store.rangeMany(keys, T0 + 1, T0, 10)).rejects.toThrow(/after/);
    });

    it('stores strings and booleans and counts them in buckets without min, max or avg', async () => {
      const store = await fresh();
      const states = ['running', 'idle', 'down', 'running'];
      await store.append(states.map((s, i) => pt('P/m', 'state', T0 + i * 30_000, s)));
      await store.append([pt('P/m', 'door', T0, false), pt('P/m', 'door', T0 + 1, true)]);
      expect((await store.range(key('P/m', 'state'), T0, T0 + 120_000)).map((s) => s.value)).toEqual(states);
      expect((await store.range(key('P/m', 'door'), T0, T0 + 2)).map((s) => s.value)).toEqual([false, true]);
      expect(await store.buckets(key('P/m', 'state'), T0, T0 + 120_000, 60_000)).toEqual([
        { time: T0, count: 2, last: 'idle' },
        { time: T0 + 60_000, count: 2, last: 'running' },
      ]);
    });

    it('keeps the quality of each sample and leaves bad and uncertain numbers out of min, max and avg', async () => {
      const store = await fresh();
      await store.append([
        pt('P/m', 'temp', T0, 20),
        pt('P/m', 'temp', T0 + 1, -999, 'bad'),
        pt('P/m', 'temp', T0 + 2, 22, 'uncertain'),
        pt('P/m', 'temp', T0 + 3, 24, 'good'),
      ]);
      expect((await store.range(key('P/m', 'temp'), T0, T0 + 10)).map((s) => s.quality)).toEqual([
        'good',
        'bad',
        'uncertain',
        'good',
      ]);
      expect(await store.buckets(key('P/m', 'temp'), T0, T0 + 10, 10)).toEqual([
        { time: T0, count: 4, min: 20, max: 24, avg: 22, last: 24 },
      ]);
    });

    it('agrees with a naive computation on random data (seeded)', async () => {
      const seed = Number(process.env.HISTORY_SEED ?? Date.now() % 1_000_000);
      const context = `seed ${seed} (rerun with HISTORY_SEED=${seed})`;
      const random = prng(seed);
      const store = await fresh();
      const model = new Model();
      const ids = ['P/a|temp', 'P/a|state', 'P/b|temp'];
      const span = 3 * 3_600_000;
      let walk = 50;
      for (let batch = 0; batch < 60; batch++) {
        const points: HistoryPoint[] = [];
        for (let i = 0; i < 40; i++) {
          const [twin, field] = ids[Math.floor(random() * ids.length)]!.split('|') as [string, string];
          // Mostly in order, sometimes late, sometimes repeating a time exactly.
          const time = T0 + Math.floor(random() < 0.8 ? ((batch * 40 + i) / 2400) * span : random() * span);
          walk += (random() - 0.5) * 2;
          const roll = random();
          const value =
            field === 'state'
              ? ['running', 'idle', 'down'][Math.floor(random() * 3)]!
              : roll < 0.05
                ? 'offline'
                : Math.round(walk * 100) / 100;
          const quality: Quality | undefined = roll > 0.95 ? 'bad' : roll > 0.9 ? 'uncertain' : undefined;
          points.push(pt(twin, field, time, value, quality));
        }
        await store.append(points);
        model.append(points);
      }
      for (const id of ids) {
        const [twin, field] = id.split('|') as [string, string];
        const k = key(twin, field);
        const sid = seriesId(k);
        expect(await store.range(k, -Infinity, Infinity), context).toEqual(
          model.range(sid, -Infinity, Infinity),
        );
        for (let q = 0; q < 20; q++) {
          const from = T0 + Math.floor(random() * span) - 60_000;
          const to = from + Math.floor(random() * span);
          const limit = Math.floor(random() * 100);
          expect(await store.range(k, from, to, limit), context).toEqual(model.range(sid, from, to, limit));
          const width = [1000, 60_000, 600_000, 3_600_000, 86_400_000][q % 5]!;
          expectBuckets(await store.buckets(k, from, to, width), model.buckets(sid, from, to, width));
        }
        expectBuckets(
          await store.buckets(k, 0, T0 * 2, 86_400_000),
          model.buckets(sid, 0, T0 * 2, 86_400_000),
        );
      }
    });

    it('aligns buckets to multiples of the width since the epoch', async () => {
      const store = await fresh();
      await store.append([pt('P/m', 'v', 59_999, 1), pt('P/m', 'v', 60_000, 2), pt('P/m', 'v', 119_999, 4)]);
      expect(await store.buckets(key('P/m', 'v'), 30_000, 200_000, 60_000)).toEqual([
        { time: 0, count: 1, min: 1, max: 1, avg: 1, last: 1 },
        { time: 60_000, count: 2, min: 2, max: 4, avg: 3, last: 4 },
      ]);
    });

    it('lists the fields of a twin', async () => {
      const store = await fresh();
      await store.append([pt('P/m', 'temp', T0, 1), pt('P/m', 'state', T0, 'idle'), pt('P/n', 'x', T0, 1)]);
      expect(await store.fields('P/m')).toEqual(['state', 'temp']);
      expect(await store.fields('P/none')).toEqual([]);
    });

    it('removes points past their retention, per field and per twin', async () => {
      const store = await fresh();
      const hour = 3_600_000;
      const points = (twin: string, field: string) =>
        Array.from({ length: 48 }, (_, i) => pt(twin, field, T0 + i * hour, i));
      await store.append([...points('P/a', 'temp'), ...points('P/a', 'rpm'), ...points('P/b', 'temp')]);
      await store.append([pt('P/a', 'state', T0 + 10 * hour, 'idle')]);
      await store.setRetention({ twin: 'P/a', field: '*' }, 24 * hour);
      await store.setRetention({ twin: 'P/a', field: 'rpm' }, 12 * hour);
      const now = T0 + 48 * hour;
      const removed = await store.enforceRetention(now);
      expect(removed).toBe(24 + 36 + 1);
      const times = async (twin: string, field: string) =>
        (await store.range(key(twin, field), -Infinity, Infinity)).map((s) => (s.time - T0) / hour);
      expect(await times('P/a', 'temp')).toEqual(Array.from({ length: 24 }, (_, i) => 24 + i));
      expect(await times('P/a', 'rpm')).toEqual(Array.from({ length: 12 }, (_, i) => 36 + i));
      expect(await times('P/b', 'temp')).toHaveLength(48);
      expect((await store.latest([key('P/a', 'state')])).size).toBe(0);
      expect(await store.enforceRetention(now)).toBe(0);
      await store.setRetention({ twin: 'P/a', field: '*' }, Infinity);
      await store.setRetention({ twin: 'P/a', field: 'rpm' }, Infinity);
      expect(await store.enforceRetention(now + 100 * hour)).toBe(0);
    });

    it('keeps appended samples across close and reopen', async () => {
      const store = await fresh();
      const points = Array.from({ length: 100 }, (_, i) => pt('P/m', 'temp', T0 + i * 1000, i / 10));
      await store.append([...points, pt('P/m', 'state', T0, 'running')]);
      await store.setRetention({ twin: 'P/m', field: '*' }, 3_600_000);
      await store.close();
      const again = await fresh(store);
      expect((await again.range(key('P/m', 'temp'), -Infinity, Infinity)).map((s) => s.value)).toEqual(
        points.map((p) => p.value),
      );
      expect((await again.latest([key('P/m', 'state')])).get(seriesId(key('P/m', 'state')))?.value).toBe(
        'running',
      );
      expect(await again.fields('P/m')).toEqual(['state', 'temp']);
      await again.append([pt('P/m', 'temp', T0 + 100_000, 10)]);
      expect(await again.enforceRetention(T0 + 3_600_000 + 50_000)).toBe(51);
    });

    it('answers empty results for unknown series', async () => {
      const store = await fresh();
      expect(await store.range(key('P/x', 'y'), 0, 1e15)).toEqual([]);
      expect(await store.buckets(key('P/x', 'y'), 0, 1e15, 1000)).toEqual([]);
      expect((await store.latest([key('P/x', 'y')])).size).toBe(0);
      await store.append([]);
      expect(await store.enforceRetention(T0)).toBe(0);
    });

    it('refuses bad arguments with IMV_REQUEST_INVALID and writes nothing of a bad batch', async () => {
      const store = await fresh();
      const k = key('P/m', 'temp');
      const invalid = { code: 'IMV_REQUEST_INVALID' };
      await expect(store.range(k, 10, 5)).rejects.toMatchObject(invalid);
      await expect(store.range(k, NaN, 5)).rejects.toMatchObject(invalid);
      await expect(store.range(k, 0, 5, -1)).rejects.toMatchObject(invalid);
      await expect(store.range(k, 0, 5, 1.5)).rejects.toMatchObject(invalid);
      await expect(store.buckets(k, 10, 5, 1000)).rejects.toMatchObject(invalid);
      await expect(store.buckets(k, 0, 5, 0)).rejects.toMatchObject(invalid);
      await expect(store.buckets(k, 0, 5, -1000)).rejects.toMatchObject(invalid);
      await expect(store.buckets(k, 0, 5, NaN)).rejects.toMatchObject(invalid);
      await expect(store.setRetention({ twin: 'P/m', field: '*' }, 0)).rejects.toMatchObject(invalid);
      await expect(store.enforceRetention(NaN)).rejects.toMatchObject(invalid);
      const bad: unknown[] = [
        { twin: 'P/m', field: 'temp', time: 1.5, value: 1 },
        { twin: 'P/m', field: 'temp', time: NaN, value: 1 },
        { twin: '', field: 'temp', time: 1, value: 1 },
        { twin: 'P/m', field: '*', time: 1, value: 1 },
        { twin: 'P/m', field: 'temp', time: 1, value: { nested: true } },
        { twin: 'P/m', field: 'temp', time: 1, value: 1, quality: 'excellent' },
      ];
      for (const point of bad) {
        await expect(store.append([pt('P/m', 'temp', T0, 1), point as HistoryPoint])).rejects.toMatchObject(
          invalid,
        );
      }
      expect(await store.range(k, -Infinity, Infinity)).toEqual([]);
      expect(await store.fields('P/m')).toEqual([]);
    });
  });
}
