// Time-series history at scale: ingest rate through `append`, bytes per point on disk after
// compaction, one-day 1-minute bucket queries and the latest value of every series.
// `npm run bench -- history [--series 10000] [--points 100000000] [--deep 20] [--dir DIR] [--keep]`.
// Data: one sample per series per second (regular 1 s timestamps), each series a random walk of
// two-decimal values (steps of about ±0.05, like a temperature or pressure sensor).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../src/history/sqlite-store.js';
import type { HistoryPoint } from '../src/history/store.js';
import { random, Walks, T0, DAY } from './_history-data.js';
import { argValue, mib, ms, summarize } from './_stats.js';

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

const series = Number(argValue('series', '10000'));
const points = Number(argValue('points', '100000000'));
const deep = Number(argValue('deep', '20'));
/** Seconds of data per append call: one call carries one sample of every series per second. */
const batchSeconds = Number(argValue('batch-seconds', '1'));
const chunkPoints = Number(argValue('chunk-points', '720'));
const dir = argValue('dir', '') || mkdtempSync(join(tmpdir(), 'imverse-bench-history-'));
const file = join(dir, 'history.sqlite');
const twin = (i: number) => `88.100.1/plant/sensor-${i}`;
const seconds = Math.ceil(points / series);

try {
  console.log(`history benchmark: ${series} series × ${seconds} s = ${series * seconds} points in ${dir}`);
  const store = new SqliteHistoryStore(file, { chunkPoints });
  const walks = new Walks(series);
  let peakRss = 0;
  const started = performance.now();
  for (let s = 0; s < seconds; s += batchSeconds) {
    const batch: HistoryPoint[] = [];
    for (let b = s; b < Math.min(seconds, s + batchSeconds); b++) {
      for (let i = 0; i < series; i++) {
        batch.push({ twin: twin(i), field: 'temperature', time: T0 + b * 1000, value: walks.step(i) });
      }
    }
    await store.append(batch);
    if (s % (500 * batchSeconds) === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const elapsed = (performance.now() - started) / 1000;
      process.stderr.write(`  ${s * series} points, ${((s * series) / elapsed).toFixed(0)} points/s\r`);
    }
  }
  process.stderr.write('\n');
  const ingestSeconds = (performance.now() - started) / 1000;
  const loaded = seconds * series;
  const drainStarted = performance.now();
  const drained = store.compact({ all: true });
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = dirSize(dir);
  const freePages = store.db.pragma('freelist_count', { simple: true }) as number;
  store.reclaimSpace();
  const bytesReclaimed = dirSize(dir);
  console.log(
    `ingest: ${loaded} points in ${ingestSeconds.toFixed(1)} s = ${(loaded / ingestSeconds).toFixed(0)} points/s ` +
      `(batches of ${series * batchSeconds}, compaction inline); peak RSS ${mib(peakRss)}`,
  );
  console.log(`compaction to completion: ${drained} points moved in ${drainSeconds.toFixed(1)} s`);
  console.log(
    `on disk: ${mib(bytes)} = ${(bytes / loaded).toFixed(2)} bytes/point after checkpoint (${freePages} free pages); ` +
      `${mib(bytesReclaimed)} = ${(bytesReclaimed / loaded).toFixed(2)} bytes/point after reclaimSpace()`,
  );

  // A few series with a whole day each, so the one-day query has a full day to read.
  const deepWalks = new Walks(deep);
  for (let s = 0; s < DAY / 1000; s += 600) {
    const batch: HistoryPoint[] = [];
    for (let d = 0; d < deep; d++) {
      for (let k = 0; k < 600; k++) {
        batch.push({
          twin: `88.100.1/plant/deep-${d}`,
          field: 'temperature',
          time: T0 + (s + k) * 1000,
          value: deepWalks.step(d),
        });
      }
    }
    await store.append(batch);
  }
  store.compact({ all: true });
  await store.close();

  // Queries on a freshly opened store.
  const reader = new SqliteHistoryStore(file, { compactEveryMs: 0 });
  const pick = random(99);
  const dayQuery = async (name: (i: number) => string, count: number) => {
    const samples: number[] = [];
    let buckets = 0;
    for (let q = 0; q < 200; q++) {
      const key = { twin: name(Math.floor(pick() * count)), field: 'temperature' };
      const t = performance.now();
      buckets += (await reader.buckets(key, T0, T0 + DAY, 60_000)).length;
      samples.push(performance.now() - t);
    }
    return { ...summarize(samples), buckets: buckets / 200 };
  };
  const wide = await dayQuery(twin, series);
  const full = await dayQuery((d) => `88.100.1/plant/deep-${d}`, deep);
  const keys = Array.from({ length: series }, (_, i) => ({ twin: twin(i), field: 'temperature' }));
  const latestSamples: number[] = [];
  for (let run = 0; run < 50; run++) {
    const t = performance.now();
    const latest = await reader.latest(keys);
    latestSamples.push(performance.now() - t);
    if (latest.size !== series) throw new Error(`latest returned ${latest.size} of ${series}`);
  }
  const latest = summarize(latestSamples);
  await reader.close();
  console.log(
    `1-day 1-minute buckets, ${series} loaded series (${wide.buckets.toFixed(0)} buckets each, ${seconds} s of data): p50 ${ms(wide.p50)}, p99 ${ms(wide.p99)}`,
  );
  console.log(
    `1-day 1-minute buckets, ${deep} series with a full day (86400 points, ${full.buckets.toFixed(0)} buckets): p50 ${ms(full.p50)}, p99 ${ms(full.p99)}`,
  );
  console.log(`latest of all ${series} series: p50 ${ms(latest.p50)}, p99 ${ms(latest.p99)}`);
  console.log(
    `RESULT points=${loaded} ingest=${(loaded / ingestSeconds).toFixed(0)}/s bytes_per_point=${(bytes / loaded).toFixed(2)} ` +
      `(reclaimed ${(bytesReclaimed / loaded).toFixed(2)}) day_buckets_p99=${full.p99.toFixed(2)}ms latest_${series}_p99=${latest.p99.toFixed(2)}ms`,
  );
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
