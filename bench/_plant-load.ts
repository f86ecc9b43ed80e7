// Load process for bench/live-latency.ts: publishes machine readings (3 fields a message, QoS 1) to
// the demo plant's telemetry topics at a set number of points per second; prints the points acknowledged.
import mqtt from 'mqtt';

const [url, username, password, topicsArg, pointsPerSecondArg, secondsArg] = process.argv.slice(2);
const topics = topicsArg!.split(',');
const messagesPerSecond = Number(pointsPerSecondArg) / 3;
const client = await mqtt.connectAsync(url!, { username, password, protocolVersion: 4, reconnectPeriod: 0 });
const start = Date.now();
const deadline = start + Number(secondsArg) * 1000;
let sent = 0;
let acked = 0;
while (Date.now() < deadline) {
  const due = Math.floor(((Date.now() - start) / 1000) * messagesPerSecond);
  for (; sent < due; sent++) {
    const reading = {
      temperature: 40 + (sent % 97) / 10,
      vibration: 2 + (sent % 13) / 10,
      power: 7 + (sent % 7),
    };
    client.publish(
      topics[sent % topics.length]!,
      JSON.stringify({ ...reading, ts: Date.now() }),
      { qos: 1 },
      (error) => {
        if (!error) acked += 3;
      },
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await client.endAsync();
process.stdout.write(String(acked));
