// The ingest pipeline: checks each decoded point against its twin's model, then commits groups of
// batches at once (group commit) to history and twin state, publishes what changed, and only then
// tells the connector its points are durable. Refused points are counted and dead-lettered.
import type { EventBus } from '../bus/bus.js';
import { makeEvent } from '../core/events.js';
import { EVENT_TYPES, type TwinTelemetryData } from '../core/wire.js';
import type { HistoryStore } from '../history/store.js';
import type { ModelRegistry } from '../model/registry.js';
import type { Schema } from '../model/types.js';
import { validateValue } from '../model/validate-value.js';
import type { FieldUpdate, TwinStore } from '../twin/store.js';
import type { DeadLetterStore, NewDeadLetter } from './dead-letters.js';
import { IngestCounters } from './IngestCounters.js';
import type { IngestResult, IngestSink, Point, PointBatch, Rejection } from './points.js';

/** Points stamped further ahead than this are refused: the device clock is wrong. */
export const MAX_FUTURE_MS = 5 * 60_000;
const RECHECK_MISSING_MS = 10_000;

export interface IngestPipelineOptions {
  readonly now?: () => number;
}

interface Pending {
  readonly points: Point[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class IngestPipeline implements IngestSink {
  readonly counters = new IngestCounters();
  private readonly now: () => number;
  /** Model of each twin seen, or null for one that does not exist; kept in step by twin events. */
  private readonly modelOf = new Map<string, string | null>();
  /** When each twin was last found missing: looked up again after a while, since another process
   *  (a CLI import) may create it without an event reaching this one. */
  private readonly missingSince = new Map<string, number>();
  private queue: Pending[] = [];
  private deadLetters: NewDeadLetter[] = [];
  private scheduled = false;
  private committing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly twins: TwinStore,
    private readonly models: ModelRegistry,
    private readonly history: HistoryStore,
    private readonly letters: DeadLetterStore,
    private readonly bus: EventBus,
    options: IngestPipelineOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.unsubscribe = bus.subscribe(
      (event) => {
        if (event.type === EVENT_TYPES.twinsImported || event.subject === undefined) this.modelOf.clear();
        else this.modelOf.delete(event.subject);
      },
      { types: [EVENT_TYPES.twinCreated, EVENT_TYPES.twinDeleted, EVENT_TYPES.twinsImported] },
    );
  }

  async ingest(batch: PointBatch): Promise<IngestResult> {
    this.counters.received(batch.source, batch.points.length);
    const accepted: Point[] = [];
    const rejected: Rejection[] = [];
    const now = this.now();
    await this.learnTwins(batch.points);
    for (let index = 0; index < batch.points.length; index++) {
      const point = batch.points[index]!;
      const problem = this.check(point, now);
      // History keeps whole milliseconds: a finer source time is rounded, not refused.
      if (problem === undefined)
        accepted.push(Number.isInteger(point.time) ? point : { ...point, time: Math.round(point.time) });
      else {
        rejected.push({ index, ...problem });
        this.refuse(batch.source, problem.code, problem.reason, JSON.stringify(point), undefined, point.twin);
      }
    }
    if (accepted.length > 0) await this.enqueue(accepted);
    this.counters.accepted(batch.source, accepted.length);
    return { accepted: accepted.length, rejected };
  }

  reject(source: string, code: string, reason: string, payload: string | Uint8Array, topic?: string): void {
    this.counters.received(source, 1);
    this.refuse(source, code, reason, payload, topic);
  }

  /** Waits for everything queued to be committed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled)
      await this.committing.then(() => new Promise(setImmediate));
    await this.committing;
    this.flushDeadLetters();
  }

  close(): void {
    this.unsubscribe();
    this.flushDeadLetters();
  }

  private refuse(
    source: string,
    code: string,
    reason: string,
    payload: string | Uint8Array,
    topic?: string,
    twin?: string,
  ): void {
    this.counters.rejected(source, code);
    // The twin lets a tenant see the letters of its own twins (src/ingest/dead-letters.ts).
    this.deadLetters.push({
      source,
      code,
      reason,
      payload,
      ...(topic === undefined ? {} : { topic }),
      ...(twin === undefined ? {} : { twin }),
    });
    this.schedule();
  }

  private check(point: Point, now: number): { code: string; reason: string } | undefined {
    if (!Number.isFinite(point.time) || point.time > now + MAX_FUTURE_MS) {
      return {
        code: 'IMV_INGEST_TIMESTAMP_INVALID',
        reason: `time ${point.time} is not a valid time up to 5 minutes ahead of the platform clock`,
      };
    }
    const model = this.modelOf.get(point.twin) ?? null;
    if (model === null) return { code: 'IMV_INGEST_TWIN_UNKNOWN', reason: `no twin ${point.twin}` };
    const schema = this.schemaOf(model, point.field);
    if (schema === undefined) {
      return { code: 'IMV_INGEST_FIELD_UNKNOWN', reason: `model ${model} has no field "${point.field}"` };
    }
    if (typeof point.value === 'number' && !Number.isFinite(point.value)) {
      return {
        code: 'IMV_INGEST_VALUE_INVALID',
        reason: `${point.field}: ${point.value} is not a finite number`,
      };
    }
    if (typeof point.value === 'number' && isFloatSchema(schema)) return undefined;
    const issue = validateValue(schema, point.value, `/${point.field}`)[0];
    if (issue !== undefined)
      return { code: 'IMV_INGEST_VALUE_INVALID', reason: `${issue.path}: ${issue.message}` };
    return undefined;
  }

  /** The schema of a field, or of a field of an Object field named with dots (`position.x`). */
  private schemaOf(model: string, field: string): Schema | undefined {
    const info = this.models.get(model);
    const direct = info?.telemetry.get(field)?.schema ?? info?.properties.get(field)?.schema;
    if (direct !== undefined || !field.includes('.')) return direct;
    const [root, ...path] = field.split('.');
    let schema = info?.telemetry.get(root!)?.schema ?? info?.properties.get(root!)?.schema;
    for (const name of path) {
      schema = schema?.kind === 'object' ? schema.fields.find((f) => f.name === name)?.schema : undefined;
    }
    return schema;
  }

  /** Looks up, once, the models of the twins a batch names that are not known yet. */
  private async learnTwins(points: readonly Point[]): Promise<void> {
    const unknown = new Set<string>();
    const now = this.now();
    for (const point of points) {
      const missing = this.missingSince.get(point.twin);
      if (!this.modelOf.has(point.twin) || (missing !== undefined && now - missing > RECHECK_MISSING_MS)) {
        unknown.add(point.twin);
      }
    }
    if (this.modelOf.size + unknown.size > 200_000) {
      this.modelOf.clear();
      this.missingSince.clear();
    }
    for (const id of unknown) {
      const model = (await this.twins.getTwin(id))?.model ?? null;
      this.modelOf.set(id, model);
      if (model === null) this.missingSince.set(id, now);
      else this.missingSince.delete(id);
    }
  }

  private enqueue(points: Point[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ points, resolve, reject });
      this.schedule();
    });
  }

  /** One commit per turn of the event loop, for everything that arrived meanwhile. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const work = this.queue;
      this.queue = [];
      this.committing = this.committing.then(() => this.commit(work));
    });
  }

  private async commit(work: Pending[]): Promise<void> {
    this.flushDeadLetters();
    if (work.length === 0) return;
    try {
      const points = work.flatMap((pending) => pending.points);
      await this.history.append(points);
      const applied = await this.twins.applyFieldUpdates(
        latestPerField(points),
        new Date(this.now()).toISOString(),
      );
      await this.bus.publish(applied.map(telemetryEvent));
      for (const pending of work) pending.resolve();
    } catch (error) {
      // One bad batch must not fail the others it was grouped with: commit them one by one.
      if (work.length === 1) work[0]!.reject(error);
      else for (const pending of work) await this.commit([pending]);
    }
  }

  private flushDeadLetters(): void {
    if (this.deadLetters.length === 0) return;
    const letters = this.deadLetters;
    this.deadLetters = [];
    this.letters.add(letters);
  }
}

/** The newest point of each twin field: what twin state shows. */
function latestPerField(points: readonly Point[]): FieldUpdate[] {
  const byTwin = new Map<string, Map<string, Point>>();
  for (const point of points) {
    let fields = byTwin.get(point.twin);
    if (fields === undefined) byTwin.set(point.twin, (fields = new Map()));
    const current = fields.get(point.field);
    if (current === undefined || current.time <= point.time) fields.set(point.field, point);
  }
  return [...byTwin].map(([twin, fields]) => ({
    twin,
    fields: [...fields.values()].map((p) => ({
      field: p.field,
      value: p.value,
      sourceTime: new Date(p.time).toISOString(),
    })),
  }));
}

function telemetryEvent(update: FieldUpdate) {
  const data: TwinTelemetryData = {
    twin: update.twin,
    values: update.fields.map((f) => ({ field: f.field, value: f.value, time: Date.parse(f.sourceTime) })),
  };
  return makeEvent(EVENT_TYPES.twinTelemetry, data, { subject: update.twin });
}

/** double and float take any finite number: the common case, checked without the generic validator. */
function isFloatSchema(schema: Schema): boolean {
  return schema.kind === 'primitive' && (schema.type === 'double' || schema.type === 'float');
}
