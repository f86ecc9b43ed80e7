// How a sample is kept in a SQLite row: the value column holds the number, string or 0/1, and a
// small flags integer holds what the column cannot (quality, "this is a boolean", "this is NaN",
// since SQLite turns NaN into NULL). A good-quality number has flags 0.
import type { Quality } from '../ingest/points.js';
import type { Sample } from './store.js';

const QUALITY_CODE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };
const QUALITY_OF: readonly Quality[] = ['good', 'uncertain', 'bad', 'bad'];
const QUALITY_MASK = 3;
const BOOLEAN = 4;
const NAN = 8;

export type RowValue = number | string | null;

export function toRow(value: number | string | boolean, quality: Quality | undefined): [RowValue, number] {
  const q = QUALITY_CODE[quality ?? 'good'];
  if (typeof value === 'boolean') return [value ? 1 : 0, q | BOOLEAN];
  if (typeof value === 'number' && Number.isNaN(value)) return [null, q | NAN];
  return [value, q];
}

export function fromRow(time: number, value: RowValue, flags: number): Sample {
  const quality = QUALITY_OF[flags & QUALITY_MASK]!;
  if (flags & BOOLEAN) return { time, value: value === 1, quality };
  if (flags & NAN) return { time, value: NaN, quality };
  return { time, value: value as number | string, quality };
}

/** Whether the row goes into a compressed chunk: a good-quality number (NaN included). */
export function isChunkable(value: RowValue, flags: number): boolean {
  return (flags & ~NAN) === 0 && (typeof value === 'number' || (flags & NAN) !== 0);
}

/** The double a chunkable row holds. */
export function chunkValue(value: RowValue, flags: number): number {
  return flags & NAN ? NaN : (value as number);
}

/** Whether a sample counts in min/max/avg: good-quality numbers only (OPC UA aggregates skip bad data too). */
export function isAggregated(sample: Sample): boolean {
  return typeof sample.value === 'number' && sample.quality === 'good';
}
