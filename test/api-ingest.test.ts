// Values from gateways over HTTP: into twin state and history, refused points dead-lettered, live events.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const M = 'P/m1';
const t0 = Date.parse('2026-11-25T08:00:00.000Z');

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const put = await p.api('/api/v1/twins/P%2Fm1', {
    method: 'PUT',
    json: { $metadata: { $model: 'dtmi:test:Machine;1' }, name: 'Saw', state: 'running' },
  });
  expect(put.status).toBe(201);
});
afterAll(async () => p.close());

const ingest = (points: unknown[]) => p.api('/api/v1/ingest', { method: 'POST', json: { points } });

describe('HTTP ingest', () => {
  it('accepts good points, refuses bad ones by index and code, and dead-letters them', async () => {
    const res = await ingest([
      { twin: M, field: 'temperature', time: t0, value: 20.5 },
      { twin: M, field: 'temperature', time: t0 + 1000, value: 21 },
      { twin: M, field: 'temperature', time: new Date(t0 + 2000).toISOString(), value: 21.5 },
      { twin: M, field: 'temperature', time: t0, value: 'NaN' },
      { twin: 'P/ghost', field: 'temperature', time: t0, value: 1 },
      { twin: M, field: 'colour', time: t0, value: 1 },
      { twin: M, field: 'temperature', time: Date.now() + 3_600_000, value: 1 },
      { twin: M, field: 'state', time: t0, value: 'exploded' },
      { field: 'temperature', value: 1 },
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; code: string }> };
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [3, 'IMV_INGEST_VALUE_INVALID'],
      [4, 'IMV_INGEST_TWIN_UNKNOWN'],
      [5, 'IMV_INGEST_FIELD_UNKNOWN'],
      [6, 'IMV_INGEST_TIMESTAMP_INVALID'],
      [7, 'IMV_INGEST_VALUE_INVALID'],
      [8, 'IMV_INGEST_PAYLOAD_MALFORMED'],
    ]);
    const letters = (await (await p.api('/api/v1/ingest/dead-letters?source=http')).json()) as {
      value: Array<{ code: string; reason: string; payload: string }>;
    };
    expect(letters.value.map((l) => l.code).sort()).toEqual(
      [
        'IMV_INGEST_FIELD_UNKNOWN',
        'IMV_INGEST_PAYLOAD_MALFORMED',
        'IMV_INGEST_TIMESTAMP_INVALID',
        'IMV_INGEST_TWIN_UNKNOWN',
        'IMV_INGEST_VALUE_INVALID',
        'IMV_INGEST_VALUE_INVALID',
      ].sort(),
    );
    const stats = (await (await p.api('/api/v1/ingest/stats')).json()) as any;
    expect(stats.sources.http.accepted).toBe(3);
    expect(stats.sources.http.rejected.IMV_INGEST_VALUE_INVALID).toBe(2);
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toContain('imverse_ingest_points{source="http",outcome="accepted"} 3');
    expect(metrics).toContain('imverse_ingest_rejected{source="http",code="IMV_INGEST_VALUE_INVALID"} 2');
  });

  it('shows the newest value in twin state, with its source time, without a new version', async () => {
    const twin = (await (await p.api('/api/v1/twins/P%2Fm1')).json()) as any;
    expect(twin.temperature).toBe(21.5);
    expect(twin.$metadata.temperature.sourceTime).toBe(new Date(t0 + 2000).toISOString());
    expect(twin.$etag).toBe('W/"1"');
  });

  it('answers history as raw samples, buckets, latest values and CSV', async () => {
    const from = t0 - 1000;
    const to = t0 + 60_000;
    const raw = (await (
      await p.api(`/api/v1/twins/P%2Fm1/telemetry?field=temperature&from=${from}&to=${to}`)
    ).json()) as any;
    expect(raw.series[0].samples.map((s: any) => [s.time - t0, s.value])).toEqual([
      [0, 20.5],
      [1000, 21],
      [2000, 21.5],
    ]);
    const buckets = (await (
      await p.api(`/api/v1/twins/P%2Fm1/telemetry?field=temperature&from=${from}&to=${to}&bucket=1m`)
    ).json()) as any;
    expect(buckets.series[0].buckets).toEqual([
      expect.objectContaining({ time: t0, count: 3, min: 20.5, max: 21.5, avg: 21, last: 21.5 }),
    ]);
    const latest = (await (
      await p.api('/api/v1/twins/P%2Fm1/telemetry/latest?fields=temperature')
    ).json()) as any;
    expect(latest.latest.temperature).toMatchObject({ time: t0 + 2000, value: 21.5 });
    const csv = await (
      await p.api(`/api/v1/twins/P%2Fm1/telemetry?field=temperature&from=${from}&to=${to}&format=csv`)
    ).text();
    expect(csv.split('\n').slice(0, 2)).toEqual([
      'field,time,value,quality',
      'temperature,2026-11-25T08:00:00.000Z,20.5,good',
    ]);
    const fields = (await (await p.api('/api/v1/twins/P%2Fm1/telemetry')).json()) as any;
    expect(fields.fields).toContain('temperature');
  });

  it('removes history past the retention set for a field', async () => {
    const old = Date.now() - 3 * 86_400_000;
    await ingest([
      { twin: M, field: 'speed', time: old, value: 1 },
      { twin: M, field: 'speed', time: Date.now() - 1000, value: 2 },
    ]);
    const set = await p.api('/api/v1/twins/P%2Fm1/telemetry/retention', {
      method: 'PUT',
      json: { field: 'speed', days: 1 },
    });
    expect(await set.json()).toEqual({ twin: M, field: 'speed', days: 1 });
    await p.platform.core.history.enforceRetention(Date.now());
    const res = await p.api(`/api/v1/twins/P%2Fm1/telemetry?field=speed&from=${old - 1}&to=${Date.now()}`);
    expect(((await res.json()) as any).series[0].samples.map((s: any) => s.value)).toEqual([2]);
  });

  it('takes NDJSON, refusing unreadable lines', async () => {
    const res = await p.api('/api/v1/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `{"twin":"${M}","field":"speed","time":${t0},"value":2}\nnot json\n{"twin":"${M}","field":"speed","time":${t0 + 1},"value":3}\n`,
    });
    expect(await res.json()).toEqual({
      accepted: 2,
      rejected: [{ index: 1, code: 'IMV_INGEST_PAYLOAD_MALFORMED', reason: expect.any(String) }],
    });
  });

  it('streams the values to live subscribers of the twin', async () => {
    const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/v1/live?access_token=${p.token}`);
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'subscribe', id: 's', filter: { twins: [M] } }));
    await expect.poll(() => messages.length).toBe(1);
    await ingest([{ twin: M, field: 'temperature', time: t0 + 5000, value: 30 }]);
    await expect.poll(() => messages.length).toBe(2);
    expect(messages[1]).toMatchObject({
      type: 'event',
      event: {
        type: 'io.imverse.twin.telemetry',
        subject: M,
        data: { values: [{ field: 'temperature', value: 30 }] },
      },
    });
    ws.close();
  });

  it('refuses a body that is no batch, and readers', async () => {
    const bad = await p.api('/api/v1/ingest', { method: 'POST', json: { hello: 1 } });
    expect(bad.status).toBe(400);
    const token = (
      (await (
        await p.api('/api/v1/tokens', { method: 'POST', json: { name: 'r', role: 'reader' } })
      ).json()) as any
    ).token;
    expect((await p.api('/api/v1/ingest', { method: 'POST', json: { points: [] }, token })).status).toBe(403);
  });
});
