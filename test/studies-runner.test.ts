// The study runner: replications spread over worker threads give exactly the serial result, with progress and cancel.
import { describe, expect, it } from 'vitest';
import { parseStudyDefinition } from '../src/sim/study/index.js';
import { runStudy, type StudyProgress } from '../src/server/studies/run-study.js';
import { FIXTURE_LINE } from './fixtures/study-model.js';

const MODEL_URL = new URL('./fixtures/study-model.ts', import.meta.url).href;
const model = { file: 'line.json', text: FIXTURE_LINE };
const study = parseStudyDefinition({
  name: 'runner',
  horizon: '12h',
  warmup: '1h',
  replications: 6,
  seed: 7,
  scenarios: {
    'faster-weld': { stations: { weld: { processing: 60 } } },
    'same-as-base': {},
  },
});

describe('runStudy', () => {
  it('gives on two workers exactly what one thread gives, with progress per scenario', async () => {
    const progress: StudyProgress[] = [];
    const parallel = await runStudy({
      study,
      model,
      moduleUrl: MODEL_URL,
      workers: 2,
      onProgress: (p) => progress.push(p),
    });
    const serial = await runStudy({ study, model, moduleUrl: MODEL_URL, workers: 0 });
    expect(parallel).toEqual(serial);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));

    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 18)).toBe(true);
    expect(progress.at(-1)!.scenarios).toEqual([
      { name: 'base', done: 6, total: 6 },
      { name: 'faster-weld', done: 6, total: 6 },
      { name: 'same-as-base', done: 6, total: 6 },
    ]);

    const [base, faster, same] = parallel.scenarios;
    expect(base!.metrics.throughput!.n).toBe(6);
    expect(base!.traces.throughputPerHour).toHaveLength(12);
    expect(base!.bottleneck!.station).toBe('weld');
    // Common random numbers: a scenario without changes sees the very same replications.
    expect(same!.replications).toEqual(base!.replications);
    const sameComparison = parallel.comparisons.find((c) => c.alternative === 'same-as-base')!;
    expect(sameComparison.key[0]).toMatchObject({ metric: 'throughput', significant: false });
    expect(sameComparison.key[0]!.difference.mean).toBe(0);
    // A faster bottleneck shortens lead time, and the paired test says so.
    expect(faster!.metrics.leadTime!.mean!).toBeLessThan(base!.metrics.leadTime!.mean!);
    const fasterComparison = parallel.comparisons.find((c) => c.alternative === 'faster-weld')!;
    expect(fasterComparison.key.find((k) => k.metric === 'leadTime')).toMatchObject({
      verdict: 'better',
      better: 'faster-weld',
    });
  });

  it('stops when cancelled, with a typed error', async () => {
    const long = parseStudyDefinition({ horizon: '12h', warmup: 0, replications: 200, scenarios: { b: {} } });
    const controller = new AbortController();
    let seen = 0;
    const run = runStudy({
      study: long,
      model,
      moduleUrl: MODEL_URL,
      workers: 2,
      signal: controller.signal,
      onProgress: () => {
        seen++;
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'IMV_STUDY_CANCELLED' });
    expect(seen).toBeGreaterThanOrEqual(1);
    expect(seen).toBeLessThan(400);

    const serialController = new AbortController();
    serialController.abort();
    await expect(
      runStudy({ study: long, model, moduleUrl: MODEL_URL, workers: 0, signal: serialController.signal }),
    ).rejects.toMatchObject({ code: 'IMV_STUDY_CANCELLED' });
  });

  it('fails with the scenario and replication that threw, and keeps a model error its code', async () => {
    const failing = parseStudyDefinition({
      horizon: '2h',
      warmup: 0,
      replications: 2,
      scenarios: { broken: { fail: true } },
    });
    await expect(runStudy({ study: failing, model, moduleUrl: MODEL_URL, workers: 2 })).rejects.toMatchObject(
      {
        code: 'IMV_STUDY_RUN_FAILED',
        message: expect.stringMatching(/^Scenario broken, replication \d: the fixture was told to fail/),
      },
    );
    await expect(
      runStudy({ study: failing, model: { file: 'bad.json', text: '{' }, moduleUrl: MODEL_URL, workers: 1 }),
    ).rejects.toMatchObject({
      code: 'IMV_STUDY_INVALID',
      issues: [expect.objectContaining({ file: 'bad.json', line: 1 })],
    });
    await expect(
      runStudy({
        study: failing,
        model,
        moduleUrl: new URL('./fixtures/nothing-here.ts', import.meta.url).href,
        workers: 1,
      }),
    ).rejects.toMatchObject({ code: 'IMV_STUDY_RUN_FAILED' });
  });
});
