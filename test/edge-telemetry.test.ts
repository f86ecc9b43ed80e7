// History answers are bounded: a repeated field name is read once, a request names at most
// telemetryMaxFields fields and an answer holds at most telemetryMaxPoints samples or buckets and
// telemetryMaxBytes of values; CSV exports never hand a spreadsheet a formula.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const t0 = Date.now() - 10 * 60_000;
const telemetry = (query: string) => p.api(`/api/v1/twins/P%2Fm1/telemetry?${query}`);
const codeOf = async (res: Response) => ({
  status: res.status,
  code: ((await res.json()) as { code?: string }).code,
});

beforeAll(async () => {
  p = await startTestPlatform({ telemetryMaxFields: 4, telemetryMaxPoints: 50, telemetryMaxBytes: 2000 });
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const put = await p.api('/api/v1/twins/P%2Fm1', {
    method: 'PUT',
    json: { $metadata: { $model: 'dtmi:test:Machine;1' }, name: 'Saw' },
  });
  expect(put.status).toBe(201);
  const points = [
    ...Array.from({ length: 30 }, (_, i) => ({
      twin: 'P/m1',
      field: 'temperature',
      time: t0 + i * 1000,
      value: i - 5,
    })),
    ...Array.from({ length: 30 }, (_, i) => ({
      twin: 'P/m1',
      field: 'speed',
      time: t0 + i * 1000,
      value: i,
    })),
    ...['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\tx', 'plain'].map((value, i) => ({
      twin: 'P/m1',
      field: 'name',
      time: t0 + i * 1000,
      value,
    })),
  ];
  const res = await p.api('/api/v1/ingest', { method: 'POST', json: { points } });
  expect(((await res.json()) as { accepted: number }).accepted).toBe(points.length);
});
afterAll(async () => p?.close());

describe('telemetry answers', () => {
  it('read a field named many times once', async () => {
    const res = await telemetry(`field=${Array(500).fill('temperature').join(',')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { series: { field: string; samples: unknown[] }[] };
    expect(body.series.map((s) => [s.field, s.samples.length])).toEqual([['temperature', 30]]);
    const latest = await p.api(
      `/api/v1/twins/P%2Fm1/telemetry/latest?fields=${Array(500).fill('speed').join(',')}`,
    );
    expect(Object.keys(((await latest.json()) as { latest: object }).latest)).toEqual(['speed']);
  });

  it('refuse more distinct fields than telemetryMaxFields', async () => {
    const five = 'field=a,b,c,d,e';
    expect(await codeOf(await telemetry(five))).toEqual({
      status: 400,
      code: 'IMV_TELEMETRY_FIELDS_TOO_MANY',
    });
    const latest = await p.api('/api/v1/twins/P%2Fm1/telemetry/latest?fields=a,b,c,d,e');
    expect(await codeOf(latest)).toEqual({ status: 400, code: 'IMV_TELEMETRY_FIELDS_TOO_MANY' });
  });

  it('refuse an answer of more samples, buckets or bytes than the limits, and serve a smaller one', async () => {
    expect(await codeOf(await telemetry('field=temperature,speed'))).toEqual({
      status: 400,
      code: 'IMV_TELEMETRY_TOO_LARGE',
    });
    expect((await telemetry('field=temperature,speed&limit=20')).status).toBe(200);
    // An hour in one-second buckets could be 3600 buckets, whatever the data: refused before reading.
    expect(await codeOf(await telemetry('field=temperature&bucket=1s'))).toEqual({
      status: 400,
      code: 'IMV_TELEMETRY_TOO_LARGE',
    });
    expect((await telemetry('field=temperature&bucket=5m')).status).toBe(200);
  });

  it('refuse an answer whose values exceed telemetryMaxBytes', async () => {
    const long = 'x'.repeat(400);
    const points = Array.from({ length: 8 }, (_, i) => ({
      twin: 'P/m1',
      field: 'name',
      time: t0 + 100_000 + i,
      value: long,
    }));
    expect((await p.api('/api/v1/ingest', { method: 'POST', json: { points } })).status).toBe(200);
    expect(await codeOf(await telemetry('field=name'))).toEqual({
      status: 400,
      code: 'IMV_TELEMETRY_TOO_LARGE',
    });
    expect((await telemetry(`field=name&to=${t0 + 100_000}`)).status).toBe(200);
  });

  it('keep the world timeline’s field list distinct too', async () => {
    const res = await p.api(`/api/v1/world/states?fields=${Array(500).fill('temperature').join(',')}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { fields: string[] }).fields).toEqual(['temperature']);
  });
});

describe('CSV export', () => {
  it('neutralises text that a spreadsheet would run as a formula, and keeps numbers numbers', async () => {
    const csv = await (await telemetry(`field=name,temperature&to=${t0 + 100_000}&format=csv`)).text();
    const rows = csv.trim().split('\n');
    const names = rows
      .filter((row) => row.startsWith('name,'))
      .map((row) => row.split(',').slice(2).join(','));
    expect(names).toEqual([
      `"'=HYPERLINK(""http://evil"",""x"")",good`,
      "'+1+1,good",
      "'-2+3,good",
      "'@SUM(A1),good",
      "'\tx,good",
      'plain,good',
    ]);
    const temperatures = rows.filter((row) => row.startsWith('temperature,')).map((row) => row.split(',')[2]);
    expect(temperatures.slice(0, 3)).toEqual(['-5', '-4', '-3']);
  });
});
