// Scenario comparison with common random numbers: a paired-t interval on per-replication differences.
import { estimate, type MetricEstimate } from './estimate.js';

export type Verdict = 'better' | 'worse' | 'no significant difference' | 'not measured';

export interface MetricDifference {
  readonly metric: string;
  /** alternative − base, replication by replication, summarised: mean and 95% interval. */
  readonly difference: MetricEstimate;
  /** The difference relative to the base mean; null when the base mean is 0 or missing. */
  readonly relative: number | null;
  /** The interval excludes 0. */
  readonly significant: boolean;
}

export interface KeyVerdict extends MetricDifference {
  /** How the alternative does against the base on this metric. */
  readonly verdict: Verdict;
  /** Which scenario is better, when the difference is significant. */
  readonly better: string | null;
}

export interface ScenarioComparison {
  readonly base: string;
  readonly alternative: string;
  /** Throughput (higher is better), lead time and WIP (lower is better). */
  readonly key: readonly KeyVerdict[];
  /** Every metric both scenarios report. */
  readonly metrics: readonly MetricDifference[];
  /** One sentence for people. */
  readonly summary: string;
}

/** Key metrics and whether more is better. */
export const KEY_METRICS: ReadonlyArray<{ metric: string; higherIsBetter: boolean; label: string }> = [
  { metric: 'throughput', higherIsBetter: true, label: 'throughput' },
  { metric: 'leadTime', higherIsBetter: false, label: 'lead time' },
  { metric: 'wip', higherIsBetter: false, label: 'WIP' },
];

type Row = Readonly<Record<string, number | null>>;

/**
 * Replication r of both scenarios ran on the same random streams (the same seed and replication
 * number), so their noise is shared and the difference row by row is far less noisy than either
 * scenario: the paired-t interval on those differences is the right test, and much tighter than
 * comparing two independent intervals.
 */
export function pairedDifference(
  metric: string,
  base: readonly Row[],
  alternative: readonly Row[],
): MetricDifference {
  const differences: number[] = [];
  const baseValues: number[] = [];
  const n = Math.min(base.length, alternative.length);
  for (let r = 0; r < n; r++) {
    const b = base[r]![metric];
    const a = alternative[r]![metric];
    if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
      differences.push(a - b);
      baseValues.push(b);
    }
  }
  const difference = estimate(differences);
  const baseMean = baseValues.length > 0 ? baseValues.reduce((s, v) => s + v, 0) / baseValues.length : 0;
  const significant =
    difference.low !== null && difference.high !== null && (difference.low > 0 || difference.high < 0);
  return {
    metric,
    difference,
    relative: difference.mean !== null && baseMean !== 0 ? difference.mean / Math.abs(baseMean) : null,
    significant,
  };
}

export function compareScenarios(
  base: { name: string; replications: readonly Row[] },
  alternative: { name: string; replications: readonly Row[] },
): ScenarioComparison {
  const names = new Set<string>();
  for (const row of base.replications) for (const name of Object.keys(row)) names.add(name);
  const inAlternative = new Set<string>();
  for (const row of alternative.replications) for (const name of Object.keys(row)) inAlternative.add(name);
  const metrics = [...names]
    .filter((name) => inAlternative.has(name))
    .sort()
    .map((name) => pairedDifference(name, base.replications, alternative.replications));
  const key = KEY_METRICS.map(({ metric, higherIsBetter }): KeyVerdict => {
    const d = metrics.find((m) => m.metric === metric) ?? pairedDifference(metric, [], []);
    if (d.difference.mean === null) return { ...d, verdict: 'not measured', better: null };
    if (!d.significant) return { ...d, verdict: 'no significant difference', better: null };
    const alternativeBetter = higherIsBetter === d.difference.mean > 0;
    return {
      ...d,
      verdict: alternativeBetter ? 'better' : 'worse',
      better: alternativeBetter ? alternative.name : base.name,
    };
  });
  return {
    base: base.name,
    alternative: alternative.name,
    key,
    metrics,
    summary: summarise(alternative.name, base.name, key),
  };
}

function summarise(alternative: string, base: string, key: readonly KeyVerdict[]): string {
  const parts = key
    .filter((k) => k.verdict !== 'not measured')
    .map((k) => {
      const label = KEY_METRICS.find((m) => m.metric === k.metric)!.label;
      if (k.verdict === 'no significant difference') return `${label}: no significant difference`;
      const pct =
        k.relative === null ? '' : ` (${k.relative > 0 ? '+' : ''}${(k.relative * 100).toFixed(1)}%)`;
      return `${label} ${k.verdict}${pct}`;
    });
  return parts.length === 0
    ? `${alternative} vs ${base}: no key metric measured`
    : `${alternative} vs ${base}: ${parts.join('; ')} (95% paired-t, common random numbers)`;
}
