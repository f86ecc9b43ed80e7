// A viewer that stops reading loses events rather than the server's memory, and is told so.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  await p.api('/api/v1/twins/P%2Fbig', {
    method: 'PUT',
    json: { $metadata: { $model: 'dtmi:test:Machine;1' } },
  });
});
afterAll(async () => p.close());

describe('live stream backpressure', () => {
  it('drops events for a stalled viewer, then tells it how many it missed', async () => {
    const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/v1/live?access_token=${p.token}`);
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'subscribe', id: 's', filter: { twins: ['P/big'] } }));
    await expect.poll(() => messages.length).toBe(1);

    // Stop reading: the server's send buffer for this viewer fills up past its 8 MiB limit.
    (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 40; i++) {
      const res = await p.api('/api/v1/twins/P%2Fbig', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'add', path: '/name', value: `${i}${big}` }]),
      });
      expect(res.status).toBe(200);
    }
    const metrics = await (await p.api('/metrics')).text();
    expect(Number(/imverse_live_events_dropped_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);

    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await expect
      .poll(() => messages.filter((m) => m.type === 'event').length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    // One more change once it has caught up: the notice of the gap comes before it.
    await expect.poll(() => ws.bufferedAmount).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await p.api('/api/v1/twins/P%2Fbig', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/name', value: 'small' }]),
    });
    await expect
      .poll(() => messages.some((m) => m.type === 'error' && m.code === 'IMV_LIVE_EVENTS_DROPPED'), {
        timeout: 10_000,
      })
      .toBe(true);
    const notice = messages.findIndex((m) => m.code === 'IMV_LIVE_EVENTS_DROPPED');
    expect(messages[notice + 1]).toMatchObject({
      type: 'event',
      event: { data: { twin: { name: 'small' } } },
    });
    ws.close();
  });
});
