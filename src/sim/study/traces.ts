// Traces over replications: hour-by-hour means, and the lead-time distribution as a histogram.

export interface Histogram {
  /** Bin edges, one more than the counts; bin i is [edges[i], edges[i+1]) and the last bin is closed. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Observations in all bins. */
  readonly total: number;
}

export interface Quantiles {
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

const MAX_BINS = 40;

/** Index by index, the mean over the series that have a finite value there (replications may differ in length). */
export function meanSeries(series: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  const mean: number[] = [];
  for (let i = 0; i < length; i++) {
    let sum = 0;
    let n = 0;
    for (const s of series) {
      const v = s[i];
      if (v !== undefined && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    mean.push(n > 0 ? sum / n : 0);
  }
  return mean;
}

/** A histogram of the finite values over equal bins spanning them: √n bins, at most 40. */
export function histogram(values: readonly number[]): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    total++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (total === 0) return { edges: [], counts: [], total: 0 };
  const bins = max > min ? Math.min(MAX_BINS, Math.max(1, Math.ceil(Math.sqrt(total)))) : 1;
  const width = max > min ? (max - min) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  edges[bins] = max > min ? max : min + width;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const bin = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[bin]!++;
  }
  return { edges, counts, total };
}

/** Pooled quantiles (nearest rank) of the finite values. */
export function quantiles(values: readonly number[]): Quantiles {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (p: number): number | null =>
    sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return {
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
  };
}
