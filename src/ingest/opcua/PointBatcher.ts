// Collects data changes into PointBatches: one goes to the sink when `maxPoints` are waiting or
// `flushMs` after the first one arrived, and batches are delivered one at a time, in order.
// OPC UA has no per-value acknowledgement to withhold, so a batch the sink fails on is counted,
// not retried, and a sink that falls far behind loses the oldest points (counted) rather than memory.
import type { IngestSink, Point } from '../points.js';

export interface BatcherOptions {
  readonly sink: IngestSink;
  readonly source: string;
  readonly flushMs?: number;
  readonly maxPoints?: number;
  /** Points held while the sink is busy before the oldest are dropped; default 100000. */
  readonly maxPending?: number;
  readonly onDelivered: (accepted: number, rejectedCodes: readonly string[]) => void;
  readonly onFailed: (points: number, error: Error) => void;
  readonly onDropped: (points: number) => void;
}

export class PointBatcher {
  readonly #options: BatcherOptions;
  #pending: Point[] = [];
  #timer: NodeJS.Timeout | undefined;
  #delivering: Promise<void> = Promise.resolve();

  constructor(options: BatcherOptions) {
    this.#options = options;
  }

  add(point: Point): void {
    this.#pending.push(point);
    const maxPending = this.#options.maxPending ?? 100_000;
    if (this.#pending.length > maxPending) {
      const excess = this.#pending.length - maxPending;
      this.#pending.splice(0, excess);
      this.#options.onDropped(excess);
    }
    if (this.#pending.length >= (this.#options.maxPoints ?? 1000)) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#options.flushMs ?? 50);
  }

  /** Sends what is waiting; resolves once every batch sent so far has been delivered (or failed). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const maxPoints = this.#options.maxPoints ?? 1000;
    while (this.#pending.length > 0) {
      const points = this.#pending.splice(0, maxPoints);
      this.#delivering = this.#delivering.then(() => this.#deliver(points));
    }
    return this.#delivering;
  }

  async #deliver(points: Point[]): Promise<void> {
    const { sink, source } = this.#options;
    try {
      const result = await sink.ingest({ source, points });
      this.#options.onDelivered(
        result.accepted,
        result.rejected.map((r) => r.code),
      );
    } catch (error) {
      this.#options.onFailed(points.length, error instanceof Error ? error : new Error(String(error)));
    }
  }
}
