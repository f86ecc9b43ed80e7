// The 3D scene endpoint at scale: a generated plant of N equipment objects (workshops → lines →
// stations → machines, every station and machine placed), then GET /api/v1/world/scene over HTTP on
// loopback, p50/p99 over --runs requests, and the JSON size. `npm run bench -- world-scene [--objects 10000]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { startPlatform } from '../src/server/platform.js';
import { loadScene } from '../src/world/scene-source.js';
import { argValue, ms, summarize } from './_stats.js';
import { plant } from './_world-plant.js';

const objects = Number(argValue('objects', '10000'));
const runs = Number(argValue('runs', '50'));
const dataDir = mkdtempSync(join(tmpdir(), 'imverse-bench-world-'));
const platform = await startPlatform(
  { ...DEFAULT_CONFIG, dataDir, port: 0, mqttPort: 0, virtualPlant: false, demo: false },
  pino({ level: 'silent' }),
);
try {
  const input = plant(objects);
  const imported = await platform.core.graph.importTwins(input);
  console.log(
    `plant: ${imported.twins} twins (${objects} equipment), ${imported.relationships} relationships`,
  );

  const headers = { authorization: `Bearer ${platform.adminToken}` };
  const get = async () => {
    const res = await fetch(`${platform.url}/api/v1/world/scene`, { headers });
    if (res.status !== 200) throw new Error(`scene answered ${res.status}`);
    return res;
  };
  const first = await get();
  const bytes = Buffer.byteLength(await first.text());
  const etag = first.headers.get('etag')!;
  for (let i = 0; i < 5; i++) await (await get()).text(); // warm-up

  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await (await get()).text();
    samples.push(performance.now() - started);
  }
  const http = summarize(samples);

  // Where the time goes, in process: the bulk reads and generation, then the JSON text.
  const inProcess: number[] = [];
  const stringify: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const scene = await loadScene(platform.core.graph);
    const generated = performance.now();
    JSON.stringify(scene);
    inProcess.push(generated - started);
    stringify.push(performance.now() - generated);
  }
  const load = summarize(inProcess);
  const text = summarize(stringify);

  const revalidate: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = await fetch(`${platform.url}/api/v1/world/scene`, {
      headers: { ...headers, 'if-none-match': etag },
    });
    await res.text();
    if (res.status !== 304) throw new Error(`revalidation answered ${res.status}`);
    revalidate.push(performance.now() - started);
  }
  const notModified = summarize(revalidate);

  console.log(`bulk reads + generation (in process): p50 ${ms(load.p50)}, p99 ${ms(load.p99)}`);
  console.log(`JSON.stringify: p50 ${ms(text.p50)}, p99 ${ms(text.p99)}`);
  console.log(`revalidation (If-None-Match → 304): p50 ${ms(notModified.p50)}, p99 ${ms(notModified.p99)}`);
  console.log(
    `GET /api/v1/world/scene over loopback (${runs} runs): p50 ${ms(http.p50)}, p99 ${ms(http.p99)}`,
  );
  console.log(
    `world-scene: ${objects} objects in ${http.p99.toFixed(1)} ms (p99), ${(bytes / 1024).toFixed(0)} KiB`,
  );
} finally {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
}
