// The in-memory mirror of the `log`: per series, the samples appended since its last
// compaction. The log itself is append-only and time-ordered (cheap to write for thousands of
// series at once); this mirror answers "what is pending for series S" without an index on it.
import type { RowValue } from './sample-row.js';

export type HeadRow = [time: number, value: RowValue, flags: number];

class SeriesBuffer {
  n = 0;
  times = new Float64Array(16);
  numbers = new Float64Array(16);
  flags = new Uint8Array(16);
  /** Values that are not numbers (strings, NaN's NULL), by index. */
  others: Map<number, RowValue> | undefined;
  /** Whether times only ever grew, so a range needs no sort. */
  ordered = true;

  push(time: number, value: RowValue, flags: number): void {
    if (this.n === this.times.length) this.grow();
    const i = this.n++;
    if (i > 0 && time <= this.times[i - 1]!) this.ordered = false;
    this.times[i] = time;
    this.flags[i] = flags;
    if (typeof value === 'number') this.numbers[i] = value;
    else (this.others ??= new Map()).set(i, value);
  }

  reset(): void {
    this.n = 0;
    this.others = undefined;
    this.ordered = true;
  }

  /** Index of the newest row: the latest time, and of two at one time the later write. */
  newest(): number {
    if (this.ordered) return this.n - 1;
    let best = 0;
    for (let i = 1; i < this.n; i++) if (this.times[i]! >= this.times[best]!) best = i;
    return best;
  }

  row(i: number): HeadRow {
    const value = this.others?.has(i) ? (this.others.get(i) as RowValue) : this.numbers[i]!;
    return [this.times[i]!, value, this.flags[i]!];
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    const numbers = new Float64Array(size);
    const flags = new Uint8Array(size);
    times.set(this.times);
    numbers.set(this.numbers);
    flags.set(this.flags);
    this.times = times;
    this.numbers = numbers;
    this.flags = flags;
  }
}

/** Cleared buffers kept for reuse, so a busy series does not regrow its arrays after every compaction. */
const SPARE_BUFFERS = 1024;
const SPARE_MAX_ROWS = 4096;

export class Head {
  private readonly buffers = new Map<number, SeriesBuffer>();
  private readonly spare: SeriesBuffer[] = [];
  /** Series with pending rows, in the order of their oldest pending log sequence number. */
  private readonly pins = new Map<number, number>();
  private total = 0;

  /** Records a row of the log (sequence number `seq`) for a series. Returns the series' pending count. */
  push(series: number, seq: number, time: number, value: RowValue, flags: number): number {
    let buffer = this.buffers.get(series);
    if (buffer === undefined) {
      buffer = this.spare.pop() ?? new SeriesBuffer();
      this.buffers.set(series, buffer);
      this.pins.set(series, seq);
    }
    buffer.push(time, value, flags);
    this.total++;
    return buffer.n;
  }

  count(series: number): number {
    return this.buffers.get(series)?.n ?? 0;
  }

  /** All pending rows. */
  get size(): number {
    return this.total;
  }

  /** The series' pending rows with from <= time < to, oldest first; of two at one time, the later write. */
  rows(series: number, from = -Infinity, to = Infinity): HeadRow[] {
    const buffer = this.buffers.get(series);
    if (buffer === undefined) return [];
    const { times, n } = buffer;
    const out: HeadRow[] = [];
    if (buffer.ordered) {
      for (let i = lowerBound(times, n, from); i < n && times[i]! < to; i++) out.push(buffer.row(i));
      return out;
    }
    const picked: number[] = [];
    for (let i = 0; i < n; i++) if (times[i]! >= from && times[i]! < to) picked.push(i);
    picked.sort((a, b) => times[a]! - times[b]! || a - b);
    for (let k = 0; k < picked.length; k++) {
      const i = picked[k]!;
      const next = picked[k + 1];
      if (next === undefined || times[next] !== times[i]) out.push(buffer.row(i));
    }
    return out;
  }

  /** The series' newest pending row, if it has any. */
  newest(series: number): HeadRow | undefined {
    const buffer = this.buffers.get(series);
    return buffer === undefined ? undefined : buffer.row(buffer.newest());
  }

  clear(series: number): void {
    const buffer = this.buffers.get(series);
    if (buffer === undefined) return;
    this.total -= buffer.n;
    this.buffers.delete(series);
    this.pins.delete(series);
    if (this.spare.length < SPARE_BUFFERS && buffer.times.length <= SPARE_MAX_ROWS) {
      buffer.reset();
      this.spare.push(buffer);
    }
  }

  /** Pending series, those pinning the oldest log rows first. */
  seriesByAge(): IterableIterator<number> {
    return this.pins.keys();
  }

  /** The oldest log sequence number still needed, if any. */
  oldestSeq(): number | undefined {
    for (const seq of this.pins.values()) return seq;
    return undefined;
  }
}

function lowerBound(times: Float64Array, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
