// Devices over MQTT into twin state and durable history: several publisher processes on loopback send
// batched JSON with QoS 1 to the embedded broker. Reports accepted points/s at full speed, then the
// publish-to-bus latency at half that rate.
// `npm run bench -- ingest-mqtt [--publishers 3] [--seconds 10] [--window 32] [--twins 300]`
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { EVENT_TYPES, type TwinTelemetryData } from '../src/core/wire.js';
import { startPlatform } from '../src/server/platform.js';
import { DeviceStore } from '../src/server/auth/DeviceStore.js';
import { argValue, ms, summarize } from './_stats.js';

const publishers = Number(argValue('publishers', '3'));
const seconds = Number(argValue('seconds', '10'));
const window = Number(argValue('window', '32'));
const twinCount = Number(argValue('twins', '300'));
const root = new URL('..', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'imverse-bench-mqtt-'));
const mappingsFile = join(dir, 'mappings.json');
writeFileSync(
  mappingsFile,
  JSON.stringify({
    mappings: [{ topic: 'bench/{twin}/telemetry', twin: '88.100.1/{twin}', others: 'keep' }],
  }),
);
const devices = new DeviceStore(join(dir, 'auth.sqlite'));
const { secret } = devices.create('bench', ['bench/#']);
devices.close();
const running = await startPlatform(
  { ...DEFAULT_CONFIG, dataDir: dir, port: 0, mqttPort: 0, mappingsFile },
  pino({ level: 'warn' }),
);
try {
  const twins = Array.from({ length: twinCount }, (_, i) => `m-${i}`);
  await running.core.graph.importTwins({
    twins: twins.map((t) => ({ id: `88.100.1/${t}`, model: 'dtmi:imverse:Machine;1', properties: {} })),
    relationships: [],
  });
  const url = running.mqtt!.url;

  const run = async (rate: number): Promise<number> => {
    const children = Array.from({ length: publishers }, (_, p) => {
      const mine = twins.filter((_, i) => i % publishers === p).join(',');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/_mqtt-publisher.ts',
          url,
          'bench',
          secret,
          mine,
          String(seconds),
          String(window),
          String(rate),
          String(p),
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return new Promise<number>((resolve, reject) =>
        child.once('exit', (code) =>
          code === 0 ? resolve(Number(out.trim())) : reject(new Error(`publisher exited ${code}`)),
        ),
      );
    });
    const acked = await Promise.all(children);
    return acked.reduce((a, b) => a + b, 0);
  };

  const peakPoints = await run(0);
  // Each publisher publishes for `seconds` once connected.
  const peak = peakPoints / seconds;
  console.log(
    `peak: ${peakPoints} points acknowledged by ${publishers} publishers in ${seconds} s: ${Math.round(peak)} points/s`,
  );

  // Half the peak, in messages of 20 samples × 5 fields whose newest sample is stamped at send time.
  const latencies: number[] = [];
  const unsubscribe = running.core.bus.subscribe(
    (event) => {
      const now = Date.now();
      for (const value of (event.data as TwinTelemetryData).values)
        if (value.field === 'temperature') latencies.push(now - value.time);
    },
    { types: [EVENT_TYPES.twinTelemetry] },
  );
  const messagesPerSecond = peak / 2 / 100 / publishers;
  // How long the platform's event loop was held at a time: the part of the latency this process owns.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  await run(Math.max(1, Math.round(messagesPerSecond)));
  loop.disable();
  unsubscribe();
  const latency = summarize(latencies);
  console.log(
    `latency at half the peak rate (${Math.round(peak / 2)} points/s): publish-to-bus p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)} over ${latency.n} messages`,
  );
  console.log(
    `event-loop delay meanwhile: p50 ${ms(loop.percentile(50) / 1e6)}, p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}`,
  );
  console.log(
    `ingest-mqtt: ${Math.round(peak)} points/s accepted; p99 publish-to-bus ${ms(latency.p99)} at half rate`,
  );
} finally {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
}
