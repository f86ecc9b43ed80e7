// The PostgreSQL history adapter at scale: append rate, bytes per point in the database, one-day
// 1-minute bucket queries and the latest value of every series. Starts its own PostgreSQL (as the
// tests do) unless --url names one.
// `npm run bench -- history-postgres [--series 10000] [--points 10000000] [--deep 5] [--url URL]`
import pg from 'pg';
import { PostgresHistoryStore } from '../src/history/postgres-store.js';
import type { HistoryPoint } from '../src/history/store.js';
import { startPostgres, type TestPostgres } from '../test/helpers/postgres.js';
import { DAY, random, T0, Walks } from './_history-data.js';
import { argValue, mib, ms, summarize } from './_stats.js';

const series = Number(argValue('series', '10000'));
const points = Number(argValue('points', '10000000'));
const deep = Number(argValue('deep', '5'));
const url = argValue('url', '');
const twin = (i: number) => `88.100.1/plant/sensor-${i}`;
const seconds = Math.ceil(points / series);

let server: TestPostgres | undefined;
if (url === '') server = await startPostgres();
const pool = new pg.Pool({ connectionString: url || server!.connectionString });
const store = await PostgresHistoryStore.open({ pool, schema: 'bench_history' });
try {
  console.log(`history-postgres benchmark: ${series} series × ${seconds} s = ${series * seconds} points`);
  const walks = new Walks(series);
  const started = performance.now();
  for (let s = 0; s < seconds; s++) {
    const batch: HistoryPoint[] = new Array(series);
    for (let i = 0; i < series; i++) {
      batch[i] = { twin: twin(i), field: 'temperature', time: T0 + s * 1000, value: walks.step(i) };
    }
    await store.append(batch);
    if (s % 50 === 0) {
      const elapsed = (performance.now() - started) / 1000;
      process.stderr.write(`  ${s * series} points, ${((s * series) / elapsed).toFixed(0)} points/s\r`);
    }
  }
  process.stderr.write('\n');
  const loaded = seconds * series;
  const ingestSeconds = (performance.now() - started) / 1000;

  const deepWalks = new Walks(deep);
  for (let s = 0; s < DAY / 1000; s += 600) {
    const batch: HistoryPoint[] = [];
    for (let d = 0; d < deep; d++) {
      for (let k = 0; k < 600; k++) {
        const time = T0 + (s + k) * 1000;
        batch.push({
          twin: `88.100.1/plant/deep-${d}`,
          field: 'temperature',
          time,
          value: deepWalks.step(d),
        });
      }
    }
    await store.append(batch);
  }
  await pool.query('VACUUM ANALYZE');
  const size = Number(
    (
      await pool.query<{ bytes: string }>(
        `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'bench_history' AND c.relkind IN ('r', 'p')`,
      )
    ).rows[0]!.bytes,
  );
  const stored = loaded + deep * (DAY / 1000);

  const pick = random(99);
  const day: number[] = [];
  for (let q = 0; q < 100; q++) {
    const key = { twin: `88.100.1/plant/deep-${Math.floor(pick() * deep)}`, field: 'temperature' };
    const t = performance.now();
    await store.buckets(key, T0, T0 + DAY, 60_000);
    day.push(performance.now() - t);
  }
  const keys = Array.from({ length: series }, (_, i) => ({ twin: twin(i), field: 'temperature' }));
  const latest: number[] = [];
  for (let run = 0; run < 30; run++) {
    const t = performance.now();
    const found = await store.latest(keys);
    latest.push(performance.now() - t);
    if (found.size !== series) throw new Error(`latest returned ${found.size} of ${series}`);
  }
  const dayStats = summarize(day);
  const latestStats = summarize(latest);
  console.log(`append: ${loaded} points in ${ingestSeconds.toFixed(1)} s (batches of ${series})`);
  console.log(
    `in the database: ${mib(size)} = ${(size / stored).toFixed(1)} bytes/point (tables and indexes)`,
  );
  console.log(`1-day 1-minute buckets over 86400 points: p50 ${ms(dayStats.p50)}, p99 ${ms(dayStats.p99)}`);
  console.log(`latest of all ${series} series: p50 ${ms(latestStats.p50)}, p99 ${ms(latestStats.p99)}`);
  console.log(
    `history-postgres: ${(loaded / ingestSeconds).toFixed(0)} points/s appended, ${(size / stored).toFixed(1)} bytes/point, ` +
      `day buckets p99 ${ms(dayStats.p99)}, latest ${series} p99 ${ms(latestStats.p99)}`,
  );
} finally {
  await store.close();
  await pool.end();
  await server?.stop();
}
