// Runs submitted studies one at a time (each uses every worker), keeps them in the store, and tells listeners.
import { randomUUID } from 'node:crypto';
import { ImverseError, NotFoundError } from '../../core/errors.js';
import { isStudyCancelledError, type ModelSource, type StudyDefinition } from '../../sim/study/index.js';
import { checkStudyModel } from './check-model.js';
import { runStudy, type StudyProgress } from './run-study.js';
import type { SqliteStudyStore, StudyError, StudyRecord, StudyStatus } from './sqlite-study-store.js';

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
}

interface Pending {
  readonly id: string;
  readonly definition: StudyDefinition;
  readonly model: ModelSource;
  readonly controller: AbortController;
}

export class StudyService {
  private readonly queue: Pending[] = [];
  private running: (Pending & { readonly done: Promise<void> }) | undefined;
  private readonly listeners = new Map<string, Set<(event: StudyEvent) => void>>();
  private closed = false;

  constructor(
    private readonly store: SqliteStudyStore,
    private readonly options: StudyServiceOptions,
  ) {
    store.failInterrupted();
  }

  /** Checks the model and scenarios now (a bad plant file is the caller's error), then queues the run. */
  async submit(definition: StudyDefinition, model: ModelSource): Promise<StudyRecord> {
    await checkStudyModel(this.options.moduleUrl, model, definition);
    const id = randomUUID();
    const record = this.store.insert(id, definition, model.file);
    this.queue.push({ id, definition, model, controller: new AbortController() });
    this.next();
    return record;
  }

  get(id: string): StudyRecord {
    const record = this.store.get(id);
    if (record === undefined) throw new NotFoundError('IMV_STUDY_NOT_FOUND', `No study ${id}`);
    return record;
  }

  list(limit = 1000) {
    return this.store.list(limit);
  }

  /** Cancels the study if it has not finished, then forgets it. */
  async delete(id: string): Promise<void> {
    this.get(id);
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
  subscribe(id: string, listener: (event: StudyEvent) => void): () => void {
    const record = this.get(id);
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
