// Viewer process for bench/fanout.ts: opens N live WebSockets, each subscribed to one twin's
// telemetry, and reports how many events each received and their delivery delays.
import WebSocket from 'ws';

const [url, token, countArg, twinsArg, secondsArg] = process.argv.slice(2);
const count = Number(countArg);
const twins = twinsArg!.split(',');
const seconds = Number(secondsArg);
const received = new Array<number>(count).fill(0);
const delays: number[] = [];

const sockets = await Promise.all(
  Array.from({ length: count }, (_, i) => {
    const ws = new WebSocket(`${url}?access_token=${token}`);
    return new Promise<WebSocket>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        const filter = { twins: [twins[i % twins.length]], types: ['io.imverse.twin.telemetry'] };
        ws.send(JSON.stringify({ type: 'subscribe', id: 's', filter }));
      });
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as {
          type: string;
          event?: { data: { values: { time: number }[] } };
        };
        if (message.type === 'subscribed') resolve(ws);
        if (message.type === 'event') {
          received[i]!++;
          delays.push(Date.now() - message.event!.data.values[0]!.time);
        }
      });
    });
  }),
);
process.send!({ ready: true });
await new Promise((resolve) => process.once('message', resolve));
received.fill(0);
delays.length = 0;
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const snapshot = { received: [...received], delays: delays.slice() };
for (const ws of sockets) ws.terminate();
process.send!(snapshot, () => process.exit(0));
