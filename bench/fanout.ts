// How many live viewers one server process holds at 10 updates/s each: viewer processes open
// WebSockets to /api/v1/live, each subscribed to one twin; the ingest pipeline updates every twin
// 10 times a second. A level passes when every viewer gets ≥ 95% of its updates with p99 delay ≤ 1 s.
// `npm run bench -- fanout [--levels 1000,2000,3000,4000,5000] [--seconds 10] [--twins 100] [--processes 2]`
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { startPlatform } from '../src/server/platform.js';
import { argValue, ms, summarize } from './_stats.js';

const levels = argValue('levels', '1000,2000,3000,4000,5000').split(',').map(Number);
const seconds = Number(argValue('seconds', '10'));
const twinCount = Number(argValue('twins', '100'));
const processes = Number(argValue('processes', '2'));
const RATE = 10;

const dir = mkdtempSync(join(tmpdir(), 'imverse-bench-fanout-'));
const platform = await startPlatform(
  { ...DEFAULT_CONFIG, dataDir: dir, port: 0, mqtt: false, virtualPlant: false },
  pino({ level: 'warn' }),
);
const twins = Array.from({ length: twinCount }, (_, i) => `88.100.1/m-${i}`);
await platform.core.graph.importTwins({
  twins: twins.map((id) => ({ id, model: 'dtmi:imverse:Machine;1', properties: {} })),
  relationships: [],
});
const url = `${platform.url.replace('http', 'ws')}/api/v1/live`;

let best = 0;
try {
  for (const level of levels) {
    const children = Array.from({ length: processes }, () =>
      fork(
        new URL('./_live-viewers.ts', import.meta.url).pathname,
        [url, platform.adminToken!, String(Math.ceil(level / processes)), twins.join(','), String(seconds)],
        { execArgv: ['--import', 'tsx'], env: { ...process.env, UV_THREADPOOL_SIZE: '4' } },
      ),
    );
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
    const results = children.map(
      (child) =>
        new Promise<{ received: number[]; delays: number[] }>((resolve) =>
          child.once('message', resolve as never),
        ),
    );
    children.forEach((child) => child.send('go'));
    // Every twin gets a new temperature RATE times a second, through the same pipeline devices use.
    const stop = Date.now() + seconds * 1000 + 500;
    let tick = 0;
    while (Date.now() < stop) {
      const time = Date.now();
      await platform.core.ingest.ingest({
        source: 'bench',
        points: twins.map((twin) => ({ twin, field: 'temperature', time, value: 40 + (tick % 10) })),
      });
      tick++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, time + 1000 / RATE - Date.now())));
    }
    const outcome = await Promise.all(results);
    const received = outcome.flatMap((o) => o.received);
    const delays = summarize(outcome.flatMap((o) => o.delays));
    const expected = seconds * RATE;
    const worst = Math.min(...received) / expected;
    const pass = worst >= 0.95 && delays.p99 <= 1000;
    if (pass) best = Math.max(best, received.length);
    console.log(
      `${received.length} viewers × ${RATE} updates/s: worst viewer got ${(worst * 100).toFixed(0)}% ` +
        `(median ${((summarize(received).p50 / expected) * 100).toFixed(0)}%), delay p50 ${ms(delays.p50)} p99 ${ms(delays.p99)} — ${pass ? 'held' : 'not held'}`,
    );
    if (!pass) break;
  }
  console.log(`fanout: ${best} viewers held at ${RATE} updates/s each`);
} finally {
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
}
