// Folds samples and whole-chunk summaries into time buckets aligned to multiples of the width.
// Sources arrive one after another (chunks, then plain rows, then recent rows), each sorted, so the
// current bucket is cached and the map is touched only when the bucket changes.
import type { Bucket } from './store.js';

interface Acc {
  time: number;
  count: number;
  /** Samples in min/max/sum: good-quality numbers. */
  n: number;
  min: number;
  max: number;
  sum: number;
  lastTime: number;
  last: number | string | boolean;
}

export class BucketAccumulator {
  private readonly buckets = new Map<number, Acc>();
  private current: Acc | undefined;

  constructor(private readonly width: number) {}

  private bucket(time: number): Acc {
    const start = Math.floor(time / this.width) * this.width;
    const current = this.current;
    if (current !== undefined && current.time === start) return current;
    let acc = this.buckets.get(start);
    if (acc === undefined) {
      acc = {
        time: start,
        count: 0,
        n: 0,
        min: Infinity,
        max: -Infinity,
        sum: 0,
        lastTime: -Infinity,
        last: 0,
      };
      this.buckets.set(start, acc);
    }
    this.current = acc;
    return acc;
  }

  /** Whether two times fall in the same bucket (a chunk inside one bucket can use its summary). */
  sameBucket(a: number, b: number): boolean {
    return Math.floor(a / this.width) === Math.floor(b / this.width);
  }

  /** A sample that counts in min/max/avg. */
  addNumber(time: number, value: number): void {
    const acc = this.bucket(time);
    acc.count++;
    acc.n++;
    acc.min = Math.min(acc.min, value);
    acc.max = Math.max(acc.max, value);
    acc.sum += value;
    if (time >= acc.lastTime) {
      acc.lastTime = time;
      acc.last = value;
    }
  }

  /** A sample that only counts (a string, a boolean, or a number of bad or uncertain quality). */
  addOther(time: number, value: number | string | boolean): void {
    const acc = this.bucket(time);
    acc.count++;
    if (time >= acc.lastTime) {
      acc.lastTime = time;
      acc.last = value;
    }
  }

  /** A whole chunk lying inside one bucket. */
  addSummary(end: number, count: number, min: number, max: number, sum: number, last: number): void {
    const acc = this.bucket(end);
    acc.count += count;
    acc.n += count;
    acc.min = Math.min(acc.min, min);
    acc.max = Math.max(acc.max, max);
    acc.sum += sum;
    if (end >= acc.lastTime) {
      acc.lastTime = end;
      acc.last = last;
    }
  }

  result(): Bucket[] {
    return [...this.buckets.values()]
      .sort((a, b) => a.time - b.time)
      .map((acc) =>
        acc.n > 0
          ? {
              time: acc.time,
              count: acc.count,
              min: acc.min,
              max: acc.max,
              avg: acc.sum / acc.n,
              last: acc.last,
            }
          : { time: acc.time, count: acc.count, last: acc.last },
      );
  }
}
