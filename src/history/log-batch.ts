// One appended batch of the history's write-ahead log as a single blob: column arrays for series,
// time, number and flags, plus the few values that are not numbers as JSON. Writing one blob per
// group commit instead of one row per point is what lets the log keep up with millions of points
// a second; see docs/history.md.
import type { RowValue } from './sample-row.js';

export interface LogBatch {
  readonly count: number;
  readonly series: Uint32Array;
  readonly times: Float64Array;
  /** The value of each row that holds a number (NaN and 0 elsewhere). */
  readonly numbers: Float64Array;
  readonly flags: Uint8Array;
  /** Row index → value, for the rows whose value is a string or null. */
  readonly others: ReadonlyMap<number, RowValue>;
}

const HEADER = 8;

export class LogBatchWriter {
  readonly series: Uint32Array;
  readonly times: Float64Array;
  readonly numbers: Float64Array;
  readonly flags: Uint8Array;
  private readonly others: [number, RowValue][] = [];

  constructor(readonly count: number) {
    this.series = new Uint32Array(count);
    this.times = new Float64Array(count);
    this.numbers = new Float64Array(count);
    this.flags = new Uint8Array(count);
  }

  set(index: number, series: number, time: number, value: RowValue, flags: number): void {
    this.series[index] = series;
    this.times[index] = time;
    this.flags[index] = flags;
    if (typeof value === 'number') this.numbers[index] = value;
    else this.others.push([index, value]);
  }

  encode(): Uint8Array {
    const n = this.count;
    const others =
      this.others.length === 0 ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(this.others));
    const out = new Uint8Array(HEADER + 21 * n + others.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, n, true);
    view.setUint32(4, others.length, true);
    out.set(new Uint8Array(this.times.buffer, 0, 8 * n), HEADER);
    out.set(new Uint8Array(this.numbers.buffer, 0, 8 * n), HEADER + 8 * n);
    out.set(new Uint8Array(this.series.buffer, 0, 4 * n), HEADER + 16 * n);
    out.set(this.flags, HEADER + 20 * n);
    out.set(others, HEADER + 21 * n);
    return out;
  }
}

export function decodeLogBatch(data: Uint8Array): LogBatch {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(0, true);
  const othersLength = view.getUint32(4, true);
  if (data.byteLength !== HEADER + 21 * count + othersLength) {
    throw new Error(`history log batch of ${data.byteLength} bytes does not hold ${count} rows`);
  }
  // Copies: the blob's offset in its buffer need not be aligned for Float64Array.
  const copy = (from: number, bytes: number): ArrayBuffer =>
    data.buffer.slice(data.byteOffset + from, data.byteOffset + from + bytes) as ArrayBuffer;
  const others = new Map<number, RowValue>();
  if (othersLength > 0) {
    const text = new TextDecoder().decode(data.subarray(HEADER + 21 * count));
    for (const [index, value] of JSON.parse(text) as [number, RowValue][]) others.set(index, value);
  }
  return {
    count,
    times: new Float64Array(copy(HEADER, 8 * count)),
    numbers: new Float64Array(copy(HEADER + 8 * count, 8 * count)),
    series: new Uint32Array(copy(HEADER + 16 * count, 4 * count)),
    flags: new Uint8Array(copy(HEADER + 20 * count, count)),
    others,
  };
}
