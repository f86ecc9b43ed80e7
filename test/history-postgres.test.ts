// The PostgreSQL history adapter against a real server: the shared contract (each store in a schema
// of its own), then what only this adapter does: day partitions and retention dropping them.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresHistoryStore } from '../src/history/postgres-store.js';
import { runHistoryStoreContract } from '../src/history/store.contract.js';
import { seriesId, type HistoryStore } from '../src/history/store.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

let server: TestPostgres | undefined;
let admin: pg.Pool;
beforeAll(async () => {
  server = await startPostgres();
  admin = new pg.Pool({ connectionString: server.connectionString });
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

let schemas = 0;
const schemaOf = new WeakMap<HistoryStore, string>();
async function makeStore(reopen?: HistoryStore): Promise<HistoryStore> {
  const schema = reopen === undefined ? `contract_${++schemas}` : schemaOf.get(reopen)!;
  const store = await PostgresHistoryStore.open({ connectionString: server!.connectionString, schema });
  schemaOf.set(store, schema);
  return store;
}

runHistoryStoreContract('PostgreSQL', makeStore);

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('PostgresHistoryStore partitions', () => {
  it('creates one partition per day on demand and drops whole partitions past retention', async () => {
    const store = await PostgresHistoryStore.open({ pool: admin, schema: 'partitions' });
    try {
      expect(await store.partitions()).toEqual([]);
      // Five days, one point an hour, for two fields of one twin.
      const points = Array.from({ length: 5 * 24 }, (_, i) => [
        { twin: 'P/m', field: 'temp', time: T0 + i * 3_600_000, value: i },
        { twin: 'P/m', field: 'state', time: T0 + i * 3_600_000, value: i % 2 === 0 ? 'run' : 'idle' },
      ]).flat();
      await store.append(points);
      expect(await store.partitions()).toEqual(
        [0, 1, 2, 3, 4].map((d) => ({
          name: `samples_2026010${d + 1}`,
          from: T0 + d * DAY,
          to: T0 + (d + 1) * DAY,
        })),
      );
      const rowsIn = async (name: string) =>
        Number((await admin.query(`SELECT count(*) AS n FROM partitions.${name}`)).rows[0].n);
      expect(await rowsIn('samples_20260103')).toBe(48);

      // Keep 2.5 days: days 1 and 2 go whole, day 3 loses its first 12 hours row by row.
      await store.setRetention({ twin: 'P/m', field: '*' }, 2.5 * DAY);
      expect(await store.enforceRetention(T0 + 5 * DAY)).toBe(2 * 48 + 24);
      expect((await store.partitions()).map((p) => p.name)).toEqual([
        'samples_20260103',
        'samples_20260104',
        'samples_20260105',
      ]);
      expect(await rowsIn('samples_20260103')).toBe(24);
      const temps = await store.range({ twin: 'P/m', field: 'temp' }, -Infinity, Infinity);
      expect(temps[0]).toEqual({ time: T0 + 2.5 * DAY, value: 60, quality: 'good' });
      expect(temps).toHaveLength(60);

      // A series without a rule keeps a partition alive; a dropped day is created again when needed.
      await store.append([
        { twin: 'P/n', field: 'x', time: T0 + 3 * DAY, value: 1 },
        { twin: 'P/m', field: 'temp', time: T0, value: -1 },
      ]);
      expect(await store.enforceRetention(T0 + 10 * DAY)).toBe(1 + 24 + 48 + 48);
      expect((await store.partitions()).map((p) => p.name)).toEqual(['samples_20260104']);
      expect(await store.range({ twin: 'P/n', field: 'x' }, -Infinity, Infinity)).toHaveLength(1);
      expect(await store.range({ twin: 'P/m', field: 'temp' }, -Infinity, Infinity)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('names partitions of days outside years 1000-9999 by their day number', async () => {
    const store = await PostgresHistoryStore.open({ pool: admin, schema: 'far_days' });
    try {
      await store.append([
        { twin: 'P/m', field: 'v', time: -1, value: 1 },
        { twin: 'P/m', field: 'v', time: 2 ** 53 - 1, value: 2 },
      ]);
      const names = (await store.partitions()).map((p) => p.name);
      expect(names).toEqual(['samples_19691231', 'samples_d104249991']);
      expect(
        (await store.range({ twin: 'P/m', field: 'v' }, -Infinity, Infinity)).map((s) => s.value),
      ).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  });
});

describe('PostgresHistoryStore', () => {
  const k = { twin: 'P/m', field: 'v' };

  it('applies appends in call order, even when the caller does not wait between them', async () => {
    const store = await PostgresHistoryStore.open({ pool: admin, schema: 'order' });
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.append([{ ...k, time: T0, value: i }])));
      expect(await store.range(k, -Infinity, Infinity)).toEqual([{ time: T0, value: 19, quality: 'good' }]);
      expect((await store.latest([k])).get(seriesId(k))?.value).toBe(19);
    } finally {
      await store.close();
    }
  });

  it('shares a schema between stores: each sees the series and samples of the other', async () => {
    const a = await PostgresHistoryStore.open({ pool: admin, schema: 'shared' });
    const b = await PostgresHistoryStore.open({ pool: admin, schema: 'shared' });
    try {
      await a.append([{ ...k, time: T0, value: 1 }]);
      expect((await b.latest([k])).get(seriesId(k))).toEqual({ time: T0, value: 1, quality: 'good' });
      await b.append([{ ...k, time: T0 + DAY, value: 2 }]);
      expect((await a.range(k, -Infinity, Infinity)).map((s) => s.value)).toEqual([1, 2]);
      expect((await a.latest([k])).get(seriesId(k))?.value).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('aggregates NaN and values near the double range like the SQLite store, but without overflow', async () => {
    const store = await PostgresHistoryStore.open({ pool: admin, schema: 'extremes' });
    try {
      await store.append([
        { ...k, time: 0, value: 1 },
        { ...k, time: 1, value: NaN },
        { ...k, time: 1000, value: 1.7e308 },
        { ...k, time: 1001, value: 1.7e308 },
      ]);
      const [nan, huge] = await store.buckets(k, 0, 2000, 1000);
      expect(nan).toEqual({ time: 0, count: 2, min: NaN, max: NaN, avg: NaN, last: NaN });
      // A float8 sum overflows here; the store answers the exact mean (JavaScript's sum gives Infinity).
      expect(huge).toEqual({ time: 1000, count: 2, min: 1.7e308, max: 1.7e308, avg: 1.7e308, last: 1.7e308 });
    } finally {
      await store.close();
    }
  });

  it('refuses text with NUL characters, which PostgreSQL cannot store', async () => {
    const store = await PostgresHistoryStore.open({ pool: admin, schema: 'nul' });
    try {
      await expect(store.append([{ ...k, time: T0, value: 'a\u0000b' }])).rejects.toMatchObject({
        code: 'IMV_REQUEST_INVALID',
        path: '/0/value',
      });
      expect(await store.fields('P/m')).toEqual([]);
      const nul = { twin: 'P/m', field: 'v\u0000' };
      expect(await store.range(nul, -Infinity, Infinity)).toEqual([]);
      expect(await store.buckets(nul, 0, 1000, 10)).toEqual([]);
      expect((await store.latest([nul, k])).size).toBe(0);
      await expect(store.setRetention(nul, 1000)).rejects.toMatchObject({ code: 'IMV_REQUEST_INVALID' });
    } finally {
      await store.close();
    }
  });
});

describe('docs/history.md, PostgreSQL', () => {
  it('runs the example as written', async () => {
    const doc = readFileSync(new URL('../docs/history.md', import.meta.url), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('\n## PostgreSQL')))![1]!;
    const url = "'postgres://imverse@db.plant.local/imverse'";
    expect(example).toContain(url);
    // The example's code is plain JavaScript once its import is given as a parameter.
    const code = example.replace(/^import .*$/m, '').replace(url, JSON.stringify(server!.connectionString));
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (...args: unknown[]) => Promise<void>;
    await new AsyncFunction('PostgresHistoryStore', code)(PostgresHistoryStore);
    const store = await PostgresHistoryStore.open({ pool: admin });
    try {
      expect(await store.fields('88.100.1/line-2/press-07')).toEqual(['temp']);
    } finally {
      await store.close();
    }
  });
});
