// /api/v1/studies against a real platform, with the test line model standing in for the plant simulation.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { FIXTURE_LINE } from './fixtures/study-model.js';

let p: TestPlatform;
let reader: string;

beforeAll(async () => {
  process.env.IMVERSE_STUDY_MODEL_MODULE = new URL('./fixtures/study-model.ts', import.meta.url).href;
  p = await startTestPlatform();
  const created = await p.api('/api/v1/tokens', { method: 'POST', json: { name: 'viewer', role: 'reader' } });
  reader = ((await created.json()) as { token: string }).token;
});
afterAll(async () => {
  await p?.close();
  delete process.env.IMVERSE_STUDY_MODEL_MODULE;
});

interface SseEvent {
  event: string;
  data: { status: string; progress: { done: number; total: number } | null; error?: { code: string } };
}

/** Opens a Server-Sent Events stream; `events()` reads it to its end (the server ends it after the final event). */
async function openEvents(path: string): Promise<{ events: () => Promise<SseEvent[]> }> {
  const res = await p.api(path, { signal: AbortSignal.timeout(60_000) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return {
    events: async () =>
      (await res.text())
        .split('\n\n')
        .filter((block) => block.trim() !== '')
        .map((block) => {
          const event = /^event: (.+)$/m.exec(block)![1]!;
          const data = JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as SseEvent['data'];
          return { event, data };
        }),
  };
}

async function readEvents(path: string): Promise<SseEvent[]> {
  return (await openEvents(path)).events();
}

const STUDY = {
  name: 'Faster welding <b>now</b>',
  plant: FIXTURE_LINE,
  plantFile: 'line.json',
  horizon: '12h',
  warmup: '1h',
  replications: 4,
  seed: 3,
  scenarios: { 'faster-weld': { stations: { weld: { processing: 60 } } } },
};

describe('studies API', () => {
  it('runs a study: 202 with its location, progress to done, then its result and report', async () => {
    const posted = await p.api('/api/v1/studies', { method: 'POST', json: STUDY });
    expect(posted.status).toBe(202);
    const study = (await posted.json()) as { id: string; status: string; name: string };
    expect(posted.headers.get('location')).toBe(`/api/v1/studies/${study.id}`);
    expect(study.name).toBe('Faster welding <b>now</b>');
    expect(['queued', 'running']).toContain(study.status);

    const events = await readEvents(`/api/v1/studies/${study.id}/progress`);
    const final = events.at(-1)!;
    expect(final.event).toBe('done');
    expect(final.data.progress).toEqual(expect.objectContaining({ done: 8, total: 8 }));
    const progress = events.filter((e) => e.event === 'progress' && e.data.progress !== null);
    const done = progress.map((e) => e.data.progress!.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const record = (await (await p.api(`/api/v1/studies/${study.id}`)).json()) as any;
    expect(record).toMatchObject({ id: study.id, status: 'done', plant: 'line.json' });
    expect(record.definition).toMatchObject({ horizon: 43_200, warmup: 3600, replications: 4, seed: 3 });
    expect(record.result.scenarios.map((s: { name: string }) => s.name)).toEqual(['base', 'faster-weld']);
    expect(record.result.scenarios[0].metrics.throughput).toMatchObject({ n: 4 });
    expect(record.result.scenarios[0].bottleneck.station).toBe('weld');
    expect(record.result.comparisons[0]).toMatchObject({ base: 'base', alternative: 'faster-weld' });

    const report = await p.api(`/api/v1/studies/${study.id}/report`, { token: reader });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/html/);
    expect(report.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await report.text();
    expect(html).toContain('<svg');
    expect(html).toContain('Faster welding &lt;b&gt;now&lt;/b&gt;');

    // A finished study's stream answers its final state at once.
    expect((await readEvents(`/api/v1/studies/${study.id}/progress`)).map((e) => e.event)).toEqual(['done']);

    const list = (await (await p.api('/api/v1/studies', { token: reader })).json()) as any;
    expect(list.value).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: study.id, status: 'done' })]),
    );
    expect(list.value[0].result).toBeUndefined();
    expect(existsSync(join(p.dataDir, 'studies.sqlite'))).toBe(true);
  });

  it('refuses a bad study or plant with a problem naming the field', async () => {
    const bad = await p.api('/api/v1/studies', {
      method: 'POST',
      json: { ...STUDY, horizon: '10x', replications: 0, scenarios: { base: {} } },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await bad.json()) as any;
    expect(problem.code).toBe('IMV_STUDY_INVALID');
    expect(problem.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      '/horizon',
      '/replications',
      '/scenarios/base',
    ]);

    const badPlant = await p.api('/api/v1/studies', {
      method: 'POST',
      json: { ...STUDY, plant: '{ not json' },
    });
    expect(badPlant.status).toBe(400);
    expect(await badPlant.json()).toMatchObject({
      code: 'IMV_STUDY_INVALID',
      issues: [expect.objectContaining({ file: 'line.json', line: 1 })],
    });

    const badScenario = await p.api('/api/v1/studies', {
      method: 'POST',
      json: { ...STUDY, scenarios: { broken: { fail: true } } },
    });
    expect(badScenario.status).toBe(500);
    expect(await badScenario.json()).toMatchObject({ code: 'IMV_STUDY_RUN_FAILED' });

    const notJson = await p.api('/api/v1/studies', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(((await notJson.json()) as any).code).toBe('IMV_REQUEST_INVALID_JSON');
  });

  it('lets a reader look but not start or cancel a study', async () => {
    const posted = await p.api('/api/v1/studies', { method: 'POST', json: STUDY, token: reader });
    expect(posted.status).toBe(403);
    expect(((await posted.json()) as any).code).toBe('IMV_AUTH_FORBIDDEN');
    expect((await p.api('/api/v1/studies', { token: null })).status).toBe(401);
    const deleted = await p.api('/api/v1/studies/whatever', { method: 'DELETE', token: reader });
    expect(deleted.status).toBe(403);
  });

  it('cancels a running study on DELETE: its stream ends "cancelled", then it is gone', async () => {
    const posted = await p.api('/api/v1/studies', {
      method: 'POST',
      json: { ...STUDY, horizon: '2d', replications: 1000 },
    });
    const { id } = (await posted.json()) as { id: string };
    const early = await p.api(`/api/v1/studies/${id}/report`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as any).code).toBe('IMV_STUDY_NOT_FINISHED');

    // The stream is open (its headers are in) before the DELETE, so it sees the cancellation.
    const stream = await openEvents(`/api/v1/studies/${id}/progress`);
    const deleted = await p.api(`/api/v1/studies/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await stream.events()).at(-1)!.event).toBe('cancelled');

    for (const path of [
      `/api/v1/studies/${id}`,
      `/api/v1/studies/${id}/report`,
      `/api/v1/studies/${id}/progress`,
    ]) {
      const res = await p.api(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as any).code).toBe('IMV_STUDY_NOT_FOUND');
    }
    expect((await p.api(`/api/v1/studies/${id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
