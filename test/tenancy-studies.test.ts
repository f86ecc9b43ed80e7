// Studies per tenant: a token limited to prefixes sees and deletes only its scope's studies; the
// queue, the store and a study's size are bounded, and refused before any work starts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES, type ImverseEvent, type SecurityEventData } from '../src/core/wire.js';
import { parseStudyDefinition } from '../src/sim/study/index.js';
import { checkStudyModel } from '../src/server/studies/check-model.js';
import { PLANT_MODEL_MODULE } from '../src/server/studies/load-model.js';
import { checkStudySize, studyLimitsOf } from '../src/server/studies/study-limits.js';
import { DEMO_PLANT_FILE } from '../src/server/studies/study-routes.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { FIXTURE_LINE } from './fixtures/study-model.js';

const SMALL = { name: 'small', plant: FIXTURE_LINE, plantFile: 'line.json', horizon: '1h', replications: 2 };
/** Minutes of work on the fixture line: it stays queued or running for as long as a test needs it. */
const LONG = { ...SMALL, name: 'long', horizon: '3650d', warmup: '0s', replications: 10 };

interface Problem {
  code: string;
  path?: string;
  issues?: Array<{ path: string }>;
}

async function startWithTenants(
  limits: Parameters<typeof startTestPlatform>[0] = {},
): Promise<{ p: TestPlatform; tokens: Record<'acme' | 'globex' | 'initech' | 'reader', string> }> {
  process.env.IMVERSE_STUDY_MODEL_MODULE = new URL('./fixtures/study-model.ts', import.meta.url).href;
  const p = await startTestPlatform(limits);
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const res = await p.api('/api/v1/tokens', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  return {
    p,
    tokens: {
      acme: await create({ name: 'acme', role: 'writer', prefixes: ['88.100.1'] }),
      globex: await create({ name: 'globex', role: 'writer', prefixes: ['88.200.2'] }),
      initech: await create({ name: 'initech', role: 'writer', prefixes: ['88.300.3'] }),
      reader: await create({ name: 'everything reader', role: 'reader' }),
    },
  };
}

/** Submits a study; answers the status and the study's id or the problem. */
async function submit(
  p: TestPlatform,
  body: Record<string, unknown>,
  token?: string,
): Promise<{ status: number; id: string; problem: Problem }> {
  const res = await p.api('/api/v1/studies', { method: 'POST', json: body, ...(token ? { token } : {}) });
  const json = (await res.json()) as { id: string } & Problem;
  return { status: res.status, id: json.id, problem: json };
}

/** Reads the study's progress stream to its final event (the server ends it there). */
async function finished(p: TestPlatform, id: string, token?: string): Promise<string> {
  const res = await p.api(`/api/v1/studies/${id}/progress`, {
    signal: AbortSignal.timeout(60_000),
    ...(token ? { token } : {}),
  });
  expect(res.status).toBe(200);
  return /event: (\w+)\n[^\n]*\n\n$/.exec(await res.text())![1]!;
}

async function listIds(p: TestPlatform, token?: string): Promise<string[]> {
  const res = await p.api('/api/v1/studies', token ? { token } : {});
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Array<{ id: string }> }).value.map((s) => s.id);
}

afterAll(() => {
  delete process.env.IMVERSE_STUDY_MODEL_MODULE;
});

describe('studies belong to the tenant scope of their creator', () => {
  let p: TestPlatform;
  let tokens: Awaited<ReturnType<typeof startWithTenants>>['tokens'];
  let acmeStudy: string;
  let globexStudy: string;
  const refused: SecurityEventData[] = [];

  beforeAll(async () => {
    ({ p, tokens } = await startWithTenants());
    p.platform.core.bus.subscribe(
      (event: ImverseEvent) => void refused.push(event.data as SecurityEventData),
      { types: [SECURITY_EVENT_TYPES.accessRefused] },
    );
    const a = await submit(p, { ...SMALL, name: 'acme study' }, tokens.acme);
    const g = await submit(p, { ...SMALL, name: 'globex study' }, tokens.globex);
    expect([a.status, g.status]).toEqual([202, 202]);
    [acmeStudy, globexStudy] = [a.id, g.id];
    expect(await finished(p, acmeStudy)).toBe('done');
    expect(await finished(p, globexStudy)).toBe('done');
  });
  afterAll(async () => p?.close());

  it('lists only the caller’s scope; a caller limited to no prefixes sees every study', async () => {
    expect(await listIds(p, tokens.acme)).toEqual([acmeStudy]);
    expect(await listIds(p, tokens.globex)).toEqual([globexStudy]);
    expect(await listIds(p, tokens.initech)).toEqual([]);
    expect((await listIds(p)).sort()).toEqual([acmeStudy, globexStudy].sort());
    expect((await listIds(p, tokens.reader)).sort()).toEqual([acmeStudy, globexStudy].sort());
  });

  it('answers another tenant’s study exactly as a missing one: 404, whatever the path', async () => {
    for (const suffix of ['', '/report', '/progress']) {
      const own = await p.api(`/api/v1/studies/${acmeStudy}${suffix}`, { token: tokens.acme });
      expect(own.status, suffix).toBe(200);
      await own.text();
      for (const id of [globexStudy, 'no-such-study']) {
        const res = await p.api(`/api/v1/studies/${id}${suffix}`, { token: tokens.acme });
        expect(res.status, `${id}${suffix}`).toBe(404);
        const problem = (await res.json()) as Problem & { detail?: string };
        expect(problem.code).toBe('IMV_STUDY_NOT_FOUND');
      }
    }
    // The admin limited to no prefixes reads both.
    expect((await p.api(`/api/v1/studies/${globexStudy}`)).status).toBe(200);
    expect((await p.api(`/api/v1/studies/${acmeStudy}/report`, { token: tokens.reader })).status).toBe(200);
  });

  it('does not let a tenant delete another’s study, and tells the audit of the attempt', async () => {
    const before = refused.length;
    const res = await p.api(`/api/v1/studies/${globexStudy}`, { method: 'DELETE', token: tokens.acme });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Problem).code).toBe('IMV_STUDY_NOT_FOUND');
    expect((await p.api(`/api/v1/studies/${globexStudy}`, { token: tokens.globex })).status).toBe(200);
    expect(refused.slice(before)).toEqual([
      expect.objectContaining({
        actor: 'acme',
        target: `study:${globexStudy}`,
        result: 'refused',
        code: 'IMV_STUDY_NOT_FOUND',
      }),
    ]);
    // A study that does not exist is no attempt on anyone's.
    await p.api('/api/v1/studies/no-such-study', { token: tokens.acme });
    expect(refused).toHaveLength(before + 1);

    const own = await p.api(`/api/v1/studies/${acmeStudy}`, { method: 'DELETE', token: tokens.acme });
    expect(own.status).toBe(204);
    expect(await listIds(p, tokens.acme)).toEqual([]);
    expect(await listIds(p)).toEqual([globexStudy]);
  });
});

describe('study limits', () => {
  let p: TestPlatform;
  let tokens: Awaited<ReturnType<typeof startWithTenants>>['tokens'];

  beforeAll(async () => {
    ({ p, tokens } = await startWithTenants({
      studyMaxQueued: 2,
      studyMaxQueuedPerTenant: 1,
      studyMaxStored: 2,
      studyMaxReplications: 10,
      studyMaxScenarios: 1,
      studyMaxSimulatedDays: 40_000,
    }));
  });
  afterAll(async () => p?.close());

  it('refuses a study too large before checking its plant, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...SMALL, replications: 11 }, '/replications'],
      [{ ...SMALL, scenarios: { a: {}, b: {} } }, '/scenarios'],
      // 10 replications × 2 scenarios × 3650 days: each part within its limit, the product is not.
      [{ ...LONG, scenarios: { a: {} } }, '/horizon'],
      // The plant is broken too, but the size is refused first: no work was done.
      [{ ...SMALL, replications: 11, plant: '{ not json' }, '/replications'],
    ];
    for (const [body, path] of cases) {
      const { status, problem } = await submit(p, body, tokens.acme);
      expect(status, path).toBe(400);
      expect(problem).toMatchObject({ code: 'IMV_STUDY_TOO_LARGE', path });
    }
    expect(await listIds(p)).toEqual([]);
  });

  it('bounds studies queued or running per tenant and overall (429), and frees the place on cancel', async () => {
    const first = await submit(p, LONG, tokens.acme);
    expect(first.status).toBe(202);
    const again = await submit(p, SMALL, tokens.acme);
    expect(again.status).toBe(429);
    expect(again.problem.code).toBe('IMV_STUDY_QUEUE_FULL');

    // Another tenant still gets a place, until the platform's own limit.
    const other = await submit(p, LONG, tokens.globex);
    expect(other.status).toBe(202);
    const third = await submit(p, SMALL, tokens.initech);
    expect(third.status).toBe(429);
    expect(third.problem.code).toBe('IMV_STUDY_QUEUE_FULL');
    expect(await listIds(p)).toHaveLength(2);

    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toMatch(/imverse_refusals_total\{edge="http",code="IMV_STUDY_QUEUE_FULL"\} 2\b/);

    for (const [id, token] of [
      [other.id, tokens.globex],
      [first.id, tokens.acme],
    ] as const) {
      expect((await p.api(`/api/v1/studies/${id}`, { method: 'DELETE', token })).status).toBe(204);
    }
    const freed = await submit(p, SMALL, tokens.acme);
    expect(freed.status).toBe(202);
    expect(await finished(p, freed.id)).toBe('done');
    expect((await p.api(`/api/v1/studies/${freed.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('holds a tenant’s place while its model is checked: concurrent submissions get one place', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => submit(p, LONG, tokens.initech)));
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    expect(answers.filter((a) => a.problem.code === 'IMV_STUDY_QUEUE_FULL')).toHaveLength(3);
    const res = await p.api(`/api/v1/studies/${accepted[0]!.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
  });

  it('keeps at most studyMaxStored studies per tenant: the next is refused until one is deleted', async () => {
    const kept: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { status, id } = await submit(p, SMALL, tokens.globex);
      expect(status).toBe(202);
      expect(await finished(p, id)).toBe('done');
      kept.push(id);
    }
    const full = await submit(p, SMALL, tokens.globex);
    expect(full.status).toBe(409);
    expect(full.problem.code).toBe('IMV_STUDY_STORE_FULL');
    // Other tenants keep their own.
    const acme = await submit(p, SMALL, tokens.acme);
    expect(acme.status).toBe(202);
    expect(await finished(p, acme.id)).toBe('done');

    expect(
      (await p.api(`/api/v1/studies/${kept[0]}`, { method: 'DELETE', token: tokens.globex })).status,
    ).toBe(204);
    const next = await submit(p, SMALL, tokens.globex);
    expect(next.status).toBe(202);
    expect(await finished(p, next.id)).toBe('done');
  });
});

describe('a study’s simulated time', () => {
  it('counts the plant file’s own warm-up when the study states none', async () => {
    const plant = { file: 'demo-plant.yaml', text: readFileSync(DEMO_PLANT_FILE, 'utf8') };
    const study = parseStudyDefinition({ horizon: '1d', replications: 10 });
    const { modelWarmup } = await checkStudyModel(PLANT_MODEL_MODULE, plant, study);
    expect(modelWarmup).toBe(86_400); // the demo plant's `warmup: 1d`
    const limits = studyLimitsOf({ studyMaxSimulatedDays: 15 });
    // 10 replications × 1 day fit; with the plant's day of warm-up each, they do not.
    expect(() => checkStudySize(study, limits)).not.toThrow();
    expect(() => checkStudySize(study, limits, modelWarmup)).toThrow(
      expect.objectContaining({ code: 'IMV_STUDY_TOO_LARGE', path: '/warmup' }),
    );
    const ownWarmup = parseStudyDefinition({ horizon: '1d', warmup: '0s', replications: 10 });
    expect(() => checkStudySize(ownWarmup, limits, modelWarmup)).not.toThrow();
  });
});
