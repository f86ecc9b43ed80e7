// Device publish → value painted in the 3D world page, while 100 viewers watch a plant taking 10k
// points/s: the demo plant's machines publish readings over MQTT (a load process), 99 viewers hold
// the world page's live subscription (a viewer process), and one real page in headless Chromium shows
// a machine whose temperature a probe changes every 100 ms. Latency is from just before the probe's
// MQTT publish to the animation frame after the inspector's cell shows the value.
// `npm run bench -- live-latency [--viewers 100] [--points 10000] [--seconds 20]`
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import type { WorldScene } from '../src/core/wire.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { DeviceStore } from '../src/server/auth/DeviceStore.js';
import { startPlatform } from '../src/server/platform.js';
import setupWebBundle from '../test/e2e/web-bundle.js';
import { launchBrowser } from '../test/helpers/browser.js';
import type { ImverseHook } from '../web/src/hook-shape.js';
import { argValue, ms, summarize } from './_stats.js';

declare const window: { __imverse?: ImverseHook; __painted?: Record<string, number> };
declare const document: { querySelector(selector: string): { textContent: string | null } };
declare const MutationObserver: new (callback: () => void) => {
  observe(target: unknown, options: object): void;
};
declare const requestAnimationFrame: (callback: () => void) => void;

const viewers = Number(argValue('viewers', '100'));
const pointsPerSecond = Number(argValue('points', '10000'));
const seconds = Number(argValue('seconds', '20'));
const root = new URL('..', import.meta.url).pathname;
await setupWebBundle();

const dir = mkdtempSync(join(tmpdir(), 'imverse-bench-live-latency-'));
const devices = new DeviceStore(join(dir, 'auth.sqlite'));
const { secret } = devices.create('bench-plant', ['plant/#']);
devices.close();
const platform = await startPlatform(
  { ...DEFAULT_CONFIG, dataDir: dir, port: 0, mqttPort: 0, demo: true, virtualPlant: false },
  pino({ level: 'warn' }),
);
const browser = await launchBrowser();
const children: Array<{ kill(): void }> = [];
try {
  const scene = (await (await fetch(`${platform.url}/api/v1/world/scene`)).json()) as WorldScene;
  // Machines are the assets under a station: 88.100.1/line/station/asset, topic plant/line/station/asset/telemetry.
  const machines = scene.objects
    .filter((o) => (o.kind === 'machine' || o.kind === 'robot') && o.id.split('/').length === 4)
    .map((o) => o.id);
  const probe = machines[0]!;
  const topicOf = (id: string): string => `plant/${id.split('/').slice(1).join('/')}/telemetry`;
  const loadTopics = machines.slice(1).map(topicOf);
  console.log(
    `demo plant: ${machines.length} machines; probe ${probe}; ${viewers} viewers; ${pointsPerSecond} points/s`,
  );

  const client = await mqtt.connectAsync(platform.mqtt!.url, {
    username: 'bench-plant',
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  // The inspector shows a row per field the twin has: give the probe machine its temperature first.
  await client.publishAsync(topicOf(probe), JSON.stringify({ temperature: 40 }), { qos: 1 });
  const page = await browser.newPage();
  await page.goto(`${platform.url}/world?twin=${encodeURIComponent(probe)}`);
  await page.waitForFunction(() => window.__imverse?.ready && window.__imverse.live, null, {
    timeout: 30_000,
  });
  await page.waitForSelector('#detail td[data-field="temperature"]', { timeout: 10_000 });
  await page.evaluate(() => {
    window.__painted = {};
    const cell = document.querySelector('#detail td[data-field="temperature"]');
    new MutationObserver(() => {
      const text = cell.textContent ?? '';
      if (!text.startsWith('9')) return; // probe values are 9000+; load values never reach the probe twin
      requestAnimationFrame(() => (window.__painted![text] = Date.now()));
    }).observe(cell, { childList: true, characterData: true, subtree: true });
  });

  const viewerCount = Math.max(0, viewers - 1);
  const viewerProcess = fork(
    new URL('./_world-viewers.ts', import.meta.url).pathname,
    [`${platform.url.replace('http', 'ws')}/api/v1/live`, String(viewerCount), String(seconds)],
    { execArgv: ['--import', 'tsx'] },
  );
  children.push(viewerProcess);
  await new Promise((resolve) => viewerProcess.once('message', resolve));
  const viewerResult = new Promise<{ received: number[] }>((resolve) =>
    viewerProcess.once('message', resolve as never),
  );

  const load = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/_plant-load.ts',
      platform.mqtt!.url,
      'bench-plant',
      secret,
      loadTopics.join(','),
      String(pointsPerSecond),
      String(seconds),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(load);
  let loadOut = '';
  load.stdout!.on('data', (chunk: Buffer) => (loadOut += chunk.toString()));
  const loadDone = new Promise<number>((resolve) => load.once('exit', () => resolve(Number(loadOut.trim()))));
  viewerProcess.send('go');

  const sentAt = new Map<string, number>();
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the load settle
  const stop = Date.now() + (seconds - 2) * 1000;
  for (let seq = 0; Date.now() < stop; seq++) {
    const value = 9000 + seq;
    sentAt.set(String(value), Date.now());
    await client.publishAsync(topicOf(probe), JSON.stringify({ temperature: value }), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await client.endAsync();
  const painted = await page.evaluate(() => window.__painted!);
  const latencies = [...sentAt].flatMap(([value, at]) => (painted[value] ? [painted[value]! - at] : []));
  const acked = await loadDone;
  const { received } = await viewerResult;

  const s = summarize(latencies);
  const perViewer = received.length ? received.reduce((a, b) => a + b, 0) / received.length / seconds : 0;
  const slowest = received.length ? Math.min(...received) / seconds : 0;
  console.log(`load: ${Math.round(acked / seconds)} points/s acknowledged by the broker`);
  console.log(
    `viewers: ${viewerCount} node viewers got ${perViewer.toFixed(0)} events/s on average, slowest ${slowest.toFixed(0)}/s`,
  );
  console.log(`probes: ${s.n} of ${sentAt.size} painted (${sentAt.size - s.n} missed)`);
  console.log(`publish → painted p50 ${ms(s.p50)} p99 ${ms(s.p99)} max ${ms(s.max)}`);
} finally {
  for (const child of children) child.kill();
  await browser.close();
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
}
