// The in-process ingest pipeline, from decoded batches to durable history and twin state.
// `npm run bench -- ingest-core [--points 5000000] [--twins 1000] [--batch 10000] [--inflight 8]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Point } from '../src/ingest/points.js';
import { openCore } from '../src/server/platform.js';
import { argValue } from './_stats.js';

const total = Number(argValue('points', '5000000'));
const twinCount = Number(argValue('twins', '1000'));
const batchSize = Number(argValue('batch', '10000'));
const inflight = Number(argValue('inflight', '8'));
const FIELDS = ['temperature', 'vibration', 'power', 'cycleTime', 'spindleSpeed'];

const dir = mkdtempSync(join(tmpdir(), 'imverse-bench-ingest-'));
const core = await openCore({ dataDir: dir, sqliteSynchronous: 'normal' });
try {
  const twins = Array.from({ length: twinCount }, (_, i) => `88.100.1/m-${i}`);
  await core.graph.importTwins({
    twins: twins.map((id) => ({ id, model: 'dtmi:imverse:Machine;1', properties: {} })),
    relationships: [],
  });
  // Each twin reports every field once a second; batches hold consecutive seconds of the whole plant.
  const perSecond = twinCount * FIELDS.length;
  const start = Date.now() - Math.ceil(total / perSecond) * 1000 - 60_000;
  const batchAt = (n: number): Point[] => {
    const points: Point[] = new Array(batchSize);
    for (let k = 0; k < batchSize; k++) {
      const index = n * batchSize + k;
      const slot = index % perSecond;
      points[k] = {
        twin: twins[Math.floor(slot / FIELDS.length)]!,
        field: FIELDS[slot % FIELDS.length]!,
        time: start + Math.floor(index / perSecond) * 1000,
        value: Math.round((40 + Math.sin(index / 1000) * 5) * 100) / 100,
      };
    }
    return points;
  };
  const batches = Math.ceil(total / batchSize);
  const prepared = Array.from({ length: Math.min(batches, 64) }, (_, n) => batchAt(n));
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < batches) {
      const n = next++;
      const points = n < prepared.length ? prepared[n]! : batchAt(n);
      const result = await core.ingest.ingest({ source: 'bench', points });
      accepted += result.accepted;
      if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `ingest-core: ${accepted} points over ${twinCount} twins × ${FIELDS.length} fields in ${seconds.toFixed(1)} s`,
  );
  console.log(`ingest-core: ${Math.round(accepted / seconds)} points/s durable in history and twin state`);
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
