// The in-memory mirror of the `recent` log: per series, the samples appended since its last
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

export class Head {
  private readonly buffers = new Map<number, SeriesBuffer>();
  /** Series with pending rows, in the order of their oldest pending log sequence number. */
  private readonly pins = new Map<number, number>();
  private total = 0;

  /** Records a row of the log (sequence number `seq`) for a series. Returns the series' pending count. */
  push(series: number, seq: number, time: number, value: RowValue, flags: number): number {
    let buffer = this.buffers.get(series);
    if (buffer === undefined) {
      buffer = new SeriesBuffer();
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

  clear(series: number): void {
    this.total -= this.count(series);
    this.buffers.delete(series);
    this.pins.delete(series);
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
