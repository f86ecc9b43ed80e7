// Runs submitted studies one at a time (each uses every worker), keeps them in the store under the
// submitter's tenant scope, bounds how many wait and are kept, and tells listeners.
import { randomUUID } from 'node:crypto';
import { ImverseError, NotFoundError } from '../../core/errors.js';
import { isStudyCancelledError, type ModelSource, type StudyDefinition } from '../../sim/study/index.js';
import { checkStudyModel } from './check-model.js';
import { runStudy, type StudyProgress } from './run-study.js';
import type {
  SqliteStudyStore,
  StudyError,
  StudyRecord,
  StudyScope,
  StudyStatus,
} from './sqlite-study-store.js';
import { checkStudySize, studyLimitsOf, type StudyLimits } from './study-limits.js';

export interface StudyEvent {
  readonly status: StudyStatus;
  readonly progress: StudyProgress | null;
  readonly error?: StudyError;
}

export interface StudyServiceOptions {
  /** The model module every study runs (the plant simulation unless a test says otherwise). */
  readonly moduleUrl: string;
  /** Worker threads per study; default: available parallelism. */
  readonly workers?: number;
  /** Queue, store and size limits; the configuration defaults where not given. */
  readonly limits?: Partial<StudyLimits>;
}

interface Pending {
  readonly id: string;
  /** The tenant scope it was submitted in: queue limits count per scope. */
  readonly scope: string;
  readonly definition: StudyDefinition;
  readonly model: ModelSource;
  readonly controller: AbortController;
}

export class StudyService {
  private readonly queue: Pending[] = [];
  private running: (Pending & { readonly done: Promise<void> }) | undefined;
  private readonly listeners = new Map<string, Set<(event: StudyEvent) => void>>();
  /** Submissions whose model is being checked, per scope: they hold a queue and a store place. */
  private readonly admitting = new Map<string, number>();
  private readonly limits: StudyLimits;
  private closed = false;

  constructor(
    private readonly store: SqliteStudyStore,
    private readonly options: StudyServiceOptions,
  ) {
    this.limits = studyLimitsOf(options.limits);
    store.failInterrupted();
  }

  /**
   * Refuses a study too large, a full queue or a full store before any work; then checks the model
   * and scenarios (a bad plant file is the caller's error) and queues the run under `scope`.
   */
  async submit(definition: StudyDefinition, model: ModelSource, scope: string): Promise<StudyRecord> {
    checkStudySize(definition, this.limits);
    const release = this.admit(scope);
    try {
      const { modelWarmup } = await checkStudyModel(this.options.moduleUrl, model, definition);
      // The plant file's own warm-up counts too when the study states none.
      checkStudySize(definition, this.limits, modelWarmup);
    } finally {
      release();
    }
    // No await from here on: the place admit() held passes to the queue and the store at once.
    const id = randomUUID();
    const record = this.store.insert(id, definition, model.file, scope);
    this.queue.push({ id, scope, definition, model, controller: new AbortController() });
    this.next();
    return record;
  }

  /** The study if `scope` may see it; 404 alike for one that does not exist and one of another tenant. */
  get(id: string, scope: StudyScope): StudyRecord {
    const record = this.store.get(id, scope);
    if (record === undefined) throw new NotFoundError('IMV_STUDY_NOT_FOUND', `No study ${id}`);
    return record;
  }

  list(scope: StudyScope, limit = 1000) {
    return this.store.list(limit, scope);
  }

  /** Cancels the study if it has not finished, then forgets it. */
  async delete(id: string, scope: StudyScope): Promise<void> {
    this.get(id, scope);
    const queued = this.queue.findIndex((p) => p.id === id);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (this.running?.id === id) {
      this.running.controller.abort();
      await this.running.done;
    }
    this.store.delete(id);
    this.emit(id, { status: 'cancelled', progress: null, error: cancelledError() });
    this.listeners.delete(id);
  }

  /**
   * Calls `listener` with each progress event of the study and its final state; returns the
   * function that stops listening. A study that already finished gets its final state at once.
   */
  subscribe(id: string, scope: StudyScope, listener: (event: StudyEvent) => void): () => void {
    const record = this.get(id, scope);
    if (isFinal(record.status)) {
      listener(eventOf(record));
      return () => {};
    }
    let set = this.listeners.get(id);
    if (set === undefined) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    listener(eventOf(record));
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    if (this.running !== undefined) {
      this.running.controller.abort();
      await this.running.done;
    }
    this.store.close();
  }

  /** Holds a queue and a store place for `scope`, or throws if either is full; returns the release. */
  private admit(scope: string): () => void {
    const admitting = [...this.admitting.values()].reduce((sum, n) => sum + n, 0);
    const active = (this.running === undefined ? 0 : 1) + this.queue.length + admitting;
    if (active >= this.limits.studyMaxQueued) {
      throw new ImverseError(
        'IMV_STUDY_QUEUE_FULL',
        // No count: how busy other tenants keep the platform is theirs to know.
        'The platform has as many studies queued or running as it takes (studyMaxQueued); try again later',
      );
    }
    const ownAdmitting = this.admitting.get(scope) ?? 0;
    const own =
      (this.running?.scope === scope ? 1 : 0) +
      this.queue.filter((p) => p.scope === scope).length +
      ownAdmitting;
    if (own >= this.limits.studyMaxQueuedPerTenant) {
      throw new ImverseError(
        'IMV_STUDY_QUEUE_FULL',
        `${own} studies of this tenant are queued or running, the most it may have (studyMaxQueuedPerTenant)`,
      );
    }
    const kept = this.store.count(scope) + ownAdmitting;
    if (kept >= this.limits.studyMaxStored) {
      throw new ImverseError(
        'IMV_STUDY_STORE_FULL',
        `This tenant keeps ${kept} studies, the most it may (studyMaxStored): delete some first`,
      );
    }
    this.admitting.set(scope, ownAdmitting + 1);
    return () => {
      const left = (this.admitting.get(scope) ?? 1) - 1;
      if (left === 0) this.admitting.delete(scope);
      else this.admitting.set(scope, left);
    };
  }

  private next(): void {
    if (this.running !== undefined || this.closed) return;
    const pending = this.queue.shift();
    if (pending === undefined) return;
    this.running = {
      ...pending,
      done: this.run(pending).finally(() => {
        this.running = undefined;
        this.next();
      }),
    };
  }

  private async run({ id, definition, model, controller }: Pending): Promise<void> {
    try {
      const result = await runStudy({
        study: definition,
        model,
        moduleUrl: this.options.moduleUrl,
        ...(this.options.workers === undefined ? {} : { workers: this.options.workers }),
        signal: controller.signal,
        onProgress: (progress) => {
          this.store.setProgress(id, 'running', progress);
          this.emit(id, { status: 'running', progress });
        },
      });
      this.store.finish(id, { status: 'done', result });
      this.emit(id, { status: 'done', progress: this.store.get(id)?.progress ?? null });
    } catch (error) {
      const status = isStudyCancelledError(error) ? 'cancelled' : 'failed';
      const studyError = errorOf(error);
      this.store.finish(id, { status, error: studyError });
      this.emit(id, { status, progress: this.store.get(id)?.progress ?? null, error: studyError });
    }
    this.listeners.delete(id);
  }

  private emit(id: string, event: StudyEvent): void {
    for (const listener of this.listeners.get(id) ?? []) listener(event);
  }
}

function isFinal(status: StudyStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}

function eventOf(record: StudyRecord): StudyEvent {
  return {
    status: record.status,
    progress: record.progress,
    ...(record.error === undefined ? {} : { error: record.error }),
  };
}

function errorOf(error: unknown): StudyError {
  if (error instanceof ImverseError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.issues.length > 0 ? { issues: error.issues } : {}),
    };
  }
  return { code: 'IMV_STUDY_RUN_FAILED', message: error instanceof Error ? error.message : String(error) };
}

function cancelledError(): StudyError {
  return { code: 'IMV_STUDY_CANCELLED', message: 'The study was cancelled' };
}
