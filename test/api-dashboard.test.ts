// GET /api/v1/world/kpis on the live virtual plant: numbers that add up, tenants, auth and bad params.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldKpis } from '../src/core/wire-dashboard.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;

async function createToken(body: Record<string, unknown>): Promise<string> {
  const res = await p.api('/api/v1/tokens', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function kpis(query = '', token?: string | null): Promise<WorldKpis> {
  const res = await p.api(`/api/v1/world/kpis${query}`, token === undefined ? {} : { token });
  expect(res.status).toBe(200);
  return (await res.json()) as WorldKpis;
}

beforeAll(async () => {
  p = await startTestPlatform({ demo: true, virtualPlant: true, virtualPlantSpeed: 300 });
});
afterAll(async () => p?.close());

describe('GET /api/v1/world/kpis', () => {
  it('gives every line of the demo plant with its stations, and a plant total that adds up', async () => {
    // At 300× the lines finish units within seconds.
    await expect
      .poll(async () => (await kpis()).plant.output, { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(0);
    const result = await kpis();
    expect(result.lines.map((l) => l.id)).toEqual([
      '88.100.1/line-1',
      '88.100.1/line-2',
      '88.100.1/line-3',
      '88.100.1/line-4',
    ]);
    const stations = result.lines.flatMap((l) => l.stations);
    expect(result.plant.stations).toBe(stations.length);
    expect(stations.length).toBeGreaterThan(30);
    expect(result.plant.output).toBe(result.lines.reduce((n, l) => n + l.output, 0));
    const throughputs = result.lines.map((l) => l.throughput ?? 0);
    expect(result.plant.throughput).toBeCloseTo(
      throughputs.reduce((a, b) => a + b, 0),
      1,
    );
    expect(result.plant.alarmsNow).toBe(stations.filter((s) => s.alarm).length);
    for (const line of result.lines) {
      expect(Object.values(line.stateCounts).reduce((a, b) => a + b, 0)).toBe(line.stations.length);
      expect(line.alarms.now).toEqual(line.stations.filter((s) => s.alarm).map((s) => s.id));
    }
    for (const s of stations) {
      for (const share of [s.availability, s.performance, s.quality, s.oee]) {
        if (share !== null) expect(share).toBeGreaterThanOrEqual(0);
        if (share !== null) expect(share).toBeLessThanOrEqual(1);
      }
      if (s.alarm) expect(['down', 'maintenance']).toContain(s.state);
    }
    // Stations report states and counts: most have an availability and some an OEE by now.
    expect(stations.filter((s) => s.availability !== null).length).toBeGreaterThan(stations.length / 2);
    expect(result.plant.oee, JSON.stringify(result.plant)).not.toBeNull();
    expect(result.to - result.from).toBe(3_600_000);
    expect(result.series.time.length).toBeGreaterThan(0);
    for (const line of result.series.lines) expect(line.values).toHaveLength(result.series.time.length);
  });

  it('counts the output of a line as its goodCount history says', async () => {
    const history = async (id: string, from: number, to: number) => {
      const res = await p.api(
        `/api/v1/twins/${encodeURIComponent(id)}/telemetry?field=goodCount&from=${from - 86_400_000}&to=${to}`,
      );
      return ((await res.json()) as { series: { samples: { time: number; value: number }[] }[] }).series[0]!
        .samples;
    };
    // Values reach the history a moment after their time (more on a busy machine): compare only
    // when the line's history of the window reads the same before and after the KPIs.
    await expect
      .poll(
        async () => {
          const to = Date.now() - 2000;
          const from = to - 600_000;
          const id = '88.100.1/line-4';
          const first = await history(id, from, to);
          const line = (await kpis(`?from=${from}&to=${to}`)).lines.find((l) => l.id === id)!;
          const samples = await history(id, from, to);
          if (JSON.stringify(first) !== JSON.stringify(samples)) return 'still arriving';
          const before = samples.filter((s) => s.time < from).at(-1)?.value;
          const inside = samples.filter((s) => s.time >= from);
          if (inside.length < 2) return 'no output yet';
          // The line's counter only grows: output is its highest value minus the value before (or its first).
          const expected = Math.max(...inside.map((s) => s.value)) - (before ?? inside[0]!.value);
          return line.output === expected ? 'matches' : `output ${line.output}, history says ${expected}`;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('matches');
  });

  it('lets a reader read and limits a tenant token to its prefixes', async () => {
    const reader = await createToken({ name: 'dashboard reader', role: 'reader' });
    expect((await kpis('', reader)).lines).toHaveLength(4);
    const other = await createToken({ name: 'other tenant', role: 'reader', prefixes: ['88.200.2'] });
    const scoped = await kpis('', other);
    expect(scoped.lines).toEqual([]);
    expect(scoped.plant).toMatchObject({ stations: 0, output: 0, throughput: null, oee: null });
  });

  it('refuses a call without a token outside demo mode, and lets the local demo visitor read', async () => {
    expect((await kpis('', null)).lines).toHaveLength(4);
    const closed = await startTestPlatform();
    try {
      const anonymous = await closed.api('/api/v1/world/kpis', { token: null });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { code: string }).code).toBe('IMV_AUTH_REQUIRED');
      expect((await closed.api('/api/v1/world/kpis')).status).toBe(200);
    } finally {
      await closed.close();
    }
  });

  it.each([
    ['?from=yesterday', 'IMV_KPI_RANGE_INVALID', '/query/from'],
    ['?to=later', 'IMV_KPI_RANGE_INVALID', '/query/to'],
    ['?from=2000&to=1000', 'IMV_KPI_RANGE_INVALID', '/query/from'],
    [`?from=${Date.now() - 40 * 86_400_000}`, 'IMV_KPI_RANGE_INVALID', '/query/from'],
    ['?bucket=100ms', 'IMV_KPI_BUCKET_INVALID', '/query/bucket'],
    ['?bucket=1s', 'IMV_KPI_BUCKET_INVALID', '/query/bucket'],
  ])('answers %s with %s', async (query, code, path) => {
    const res = await p.api(`/api/v1/world/kpis${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code, path });
  });
});

describe('docs/dashboard.md', () => {
  // Its ```http examples: each request, and the response documented after it (else 200 expected).
  const doc = readFileSync(new URL('../docs/dashboard.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/^```http\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trim());
  const examples = blocks.flatMap((block, i) => {
    if (!block.startsWith('GET ')) return [];
    const next = blocks[i + 1];
    const response = next?.startsWith('HTTP/') ? next : undefined;
    return [
      {
        path: block.split('\n')[0]!.slice(4).trim(),
        status: response === undefined ? 200 : Number(response.split(' ')[1]),
        body: response === undefined ? undefined : (JSON.parse(response.split('\n\n')[1]!) as unknown),
      },
    ];
  });

  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(3));

  it.each(examples.map((e) => [e.path, e] as const))('runs %s as documented', async (_path, example) => {
    const res = await p.api(example.path);
    expect(res.status).toBe(example.status);
    if (example.body !== undefined) expect(await res.json()).toMatchObject(example.body as object);
  });
});
