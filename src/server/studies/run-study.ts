// Runs a study's replications on worker threads (or in this thread) and summarises them, as a serial run would.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  StudyCancelledError,
  studyScenarios,
  summarizeStudy,
  type ModelSource,
  type ReplicationOutput,
  type ReplicationRequest,
  type StudyDefinition,
  type StudyResult,
} from '../../sim/study/index.js';
import { deserializeError, loadModelModule } from './load-model.js';
import type { FromWorker, RunJob, WorkerData } from './worker-protocol.js';

export interface ScenarioProgress {
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

export interface StudyProgress {
  /** Replications finished over all scenarios. */
  readonly done: number;
  readonly total: number;
  readonly scenarios: readonly ScenarioProgress[];
}

export interface RunStudyOptions {
  readonly study: StudyDefinition;
  readonly model: ModelSource;
  /** URL of the model module (src/sim/study/model.ts contract); the plant model by default. */
  readonly moduleUrl: string;
  /** Worker threads; 0 runs in this thread. Default: the machine's available parallelism. */
  readonly workers?: number;
  readonly onProgress?: (progress: StudyProgress) => void;
  readonly signal?: AbortSignal;
}

interface Job {
  readonly scenario: number;
  readonly request: ReplicationRequest;
}

/**
 * Every replication r of every scenario runs with the study's seed and replication number r, so
 * scenarios share random numbers (common random numbers) and the result does not depend on which
 * worker ran what, nor in which order: outputs are placed by (scenario, replication) and summarised
 * once all are in.
 */
export async function runStudy(options: RunStudyOptions): Promise<StudyResult> {
  const { study } = options;
  const scenarios = studyScenarios(study);
  // Replication-major order: all scenarios advance together, and the pairs a comparison needs finish early.
  const jobs: Job[] = [];
  for (let r = 0; r < study.replications; r++) {
    scenarios.forEach((scenario, s) =>
      jobs.push({
        scenario: s,
        request: {
          seed: study.seed,
          replication: r,
          ...(study.warmup === null ? {} : { warmup: study.warmup }),
          horizon: study.horizon,
          scenario: scenario.overrides,
        },
      }),
    );
  }
  const outputs: ReplicationOutput[][] = scenarios.map(
    () => new Array<ReplicationOutput>(study.replications),
  );
  const done = scenarios.map(() => 0);
  let finished = 0;
  const record = (scenario: number, replication: number, output: ReplicationOutput): void => {
    outputs[scenario]![replication] = output;
    done[scenario]!++;
    finished++;
    options.onProgress?.({
      done: finished,
      total: jobs.length,
      scenarios: scenarios.map((s, i) => ({ name: s.name, done: done[i]!, total: study.replications })),
    });
  };
  if (options.signal?.aborted) throw new StudyCancelledError();
  const workers = Math.min(options.workers ?? availableParallelism(), jobs.length);
  if (workers <= 0) await runHere(options, jobs, record);
  else
    await runOnWorkers(
      options,
      workers,
      jobs,
      scenarios.map((s) => s.name),
      record,
    );
  return summarizeStudy(study, options.model.file, outputs);
}

async function runHere(
  options: RunStudyOptions,
  jobs: readonly Job[],
  record: (scenario: number, replication: number, output: ReplicationOutput) => void,
): Promise<void> {
  const module = await loadModelModule(options.moduleUrl);
  const model = await module.compileModel(options.model.text, options.model.file);
  for (const job of jobs) {
    // Let cancellation and I/O in between replications.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new StudyCancelledError();
    record(job.scenario, job.request.replication, module.runModelReplication(model, job.request));
  }
}

function runOnWorkers(
  options: RunStudyOptions,
  count: number,
  jobs: readonly Job[],
  scenarioNames: readonly string[],
  record: (scenario: number, replication: number, output: ReplicationOutput) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let remaining = jobs.length;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // terminate() stops a replication mid-run: that is what makes cancel immediate.
      void Promise.all(pool.map((worker) => worker.terminate())).then(() =>
        error ? reject(error) : resolve(),
      );
    };
    const onAbort = (): void => finish(new StudyCancelledError());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const dispatch = (worker: Worker): void => {
      const job = jobs[next++];
      if (job === undefined) return;
      const message: RunJob = { type: 'run', scenario: job.scenario, request: job.request };
      worker.postMessage(message);
    };
    const data: WorkerData = { moduleUrl: options.moduleUrl, model: options.model };
    for (let i = 0; i < count; i++) {
      const worker = spawnWorker(data);
      pool.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        switch (message.type) {
          case 'ready':
            return dispatch(worker);
          case 'failed':
            return finish(deserializeError(message.error, `Model ${options.model.file}`));
          case 'error':
            return finish(
              deserializeError(
                message.error,
                `Scenario ${scenarioNames[message.scenario]}, replication ${message.replication}`,
              ),
            );
          case 'done':
            record(message.scenario, message.replication, message.output);
            if (settled) return; // a progress listener cancelled
            if (--remaining === 0) return finish();
            return dispatch(worker);
        }
      });
      worker.on('error', (error) =>
        finish(deserializeError({ name: error.name, message: error.message }, 'Study worker')),
      );
      worker.on('exit', (code) => {
        if (!settled)
          finish(deserializeError({ name: 'Error', message: `exited with code ${code}` }, 'Study worker'));
      });
    }
  });
}

const RUNNING_TYPESCRIPT = import.meta.url.endsWith('.ts');

/**
 * Built (dist/), the worker is plain JavaScript. From source (tsx, vitest), a worker does not get
 * the parent's TypeScript loader on Node 20, so a small bootstrap registers tsx in the worker first.
 */
function spawnWorker(data: WorkerData): Worker {
  const entry = new URL(
    RUNNING_TYPESCRIPT ? './replication-worker.ts' : './replication-worker.js',
    import.meta.url,
  );
  if (!RUNNING_TYPESCRIPT && !data.moduleUrl.endsWith('.ts')) return new Worker(entry, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv: [] });
}
