// A publisher process for bench/ingest-mqtt.ts: QoS 1 batches of timestamped JSON points with a window
// of messages in flight; prints how many points the broker acknowledged.
import mqtt from 'mqtt';

const [url, username, password, twinsArg, seconds, windowArg, rateArg, seed] = process.argv.slice(2);
const twins = twinsArg!.split(',');
const window = Number(windowArg);
/** Messages per second for this publisher; 0 = as fast as acknowledgements allow. */
const rate = Number(rateArg);
const POINTS_PER_FIELD = 20;
const FIELDS = ['temperature', 'vibration', 'power', 'cycleTime', 'spindleSpeed'];

const client = await mqtt.connectAsync(url!, { username, password, protocolVersion: 4, reconnectPeriod: 0 });
let acked = 0;
let sent = 0;
let inFlight = 0;
const deadline = Date.now() + Number(seconds) * 1000;
let base = Date.now() - 10 * 86_400_000 + Number(seed) * 3_600_000;

await new Promise<void>((resolve) => {
  const pump = () => {
    while (
      inFlight < window &&
      Date.now() < deadline &&
      (rate === 0 || sent < ((Date.now() - start) / 1000) * rate)
    ) {
      const twin = twins[sent % twins.length]!;
      // Rate-limited runs stamp points with the send time (the newest one exactly), so the receiver can
      // measure latency; full-speed runs write consecutive milliseconds of history.
      const now = Date.now();
      const points = Array.from({ length: POINTS_PER_FIELD }, (_, i) => {
        const point: Record<string, number> = {
          ts: rate === 0 ? base + i : now - (POINTS_PER_FIELD - 1 - i),
        };
        for (const field of FIELDS) point[field] = 40 + ((sent + i) % 100) / 10;
        return point;
      });
      base += POINTS_PER_FIELD;
      sent++;
      inFlight++;
      client.publish(`bench/${twin}/telemetry`, JSON.stringify(points), { qos: 1 }, (error) => {
        inFlight--;
        if (!error) acked += POINTS_PER_FIELD * FIELDS.length;
        pump();
      });
    }
    if (Date.now() >= deadline && inFlight === 0) resolve();
    else if (rate !== 0 && inFlight < window) setTimeout(pump, 5);
  };
  const start = Date.now();
  pump();
});
await client.endAsync();
process.stdout.write(`${acked}\n`);
