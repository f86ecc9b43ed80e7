// Viewer process for bench/live-latency.ts: opens N live WebSockets subscribed as the 3D world page
// subscribes (every telemetry and update event), counts the events each gets, and reports them.
import WebSocket from 'ws';

const [url, countArg, secondsArg] = process.argv.slice(2);
const count = Number(countArg);
const seconds = Number(secondsArg);
const received = new Array<number>(count).fill(0);

const sockets = await Promise.all(
  Array.from({ length: count }, (_, i) => {
    const ws = new WebSocket(url!);
    return new Promise<WebSocket>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        const filter = { types: ['io.imverse.twin.telemetry', 'io.imverse.twin.updated'] };
        ws.send(JSON.stringify({ type: 'subscribe', id: 'world', filter }));
      });
      ws.on('message', (data) => {
        // Parse as the page does: the cost of reading a message is part of keeping up.
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type === 'subscribed') resolve(ws);
        else if (message.type === 'event') received[i]!++;
      });
    });
  }),
);
process.send!({ ready: true });
await new Promise((resolve) => process.once('message', resolve));
received.fill(0);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const snapshot = { received: [...received] };
for (const ws of sockets) ws.terminate();
process.send!(snapshot, () => process.exit(0));
