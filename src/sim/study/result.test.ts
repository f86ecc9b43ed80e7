import { describe, expect, it } from 'vitest';
import { parseStudyDefinition } from './definition.js';
import type { ReplicationOutput } from './model.js';
import { STUDY_RESULT_FORMAT, summarizeStudy } from './result.js';
import { histogram, meanSeries, quantiles } from './traces.js';

function output(r: number, shift: number): ReplicationOutput {
  return {
    metrics: {
      throughput: 40 + r + shift,
      leadTime: r === 2 ? NaN : 300 + r,
      wip: 4,
      'station.cut.utilisation': 0.5,
      'station.cut.down': 0.1,
      'station.weld.utilisation': 0.55 + shift / 100,
      'station.weld.down': 0,
    },
    traces: {
      throughputPerHour: r === 0 ? [40, 42, 44] : [42, 44],
      wipPerHour: [4, 4],
      leadTimes: [100 + r, 200 + r, 300 + r],
    },
    events: 1000,
  };
}

describe('summarizeStudy', () => {
  const study = parseStudyDefinition({
    horizon: '2h',
    warmup: 0,
    replications: 3,
    scenarios: { faster: {} },
  });
  const result = summarizeStudy(study, 'line.yaml', [
    [0, 1, 2].map((r) => output(r, 0)),
    [0, 1, 2].map((r) => output(r, 20)),
  ]);

  it('gives each metric its mean, 95% interval and count, leaving out replications without a value', () => {
    expect(result.format).toBe(STUDY_RESULT_FORMAT);
    const base = result.scenarios[0]!;
    expect(base.name).toBe('base');
    expect(base.metrics.throughput).toMatchObject({ mean: 41, n: 3 });
    expect(base.metrics.throughput!.halfWidth).toBeCloseTo(4.30265273 * (1 / Math.sqrt(3)), 6);
    expect(base.metrics.leadTime).toMatchObject({ mean: 300.5, n: 2 });
    expect(base.metrics.wip).toMatchObject({ mean: 4, halfWidth: 0, low: 4, high: 4 });
    expect(base.replications[2]!.leadTime).toBeNull();
    expect(base.events).toBe(3000);
    // JSON keeps it: no NaN anywhere.
    expect(JSON.stringify(result)).not.toContain('NaN');
  });

  it('aggregates traces and finds the bottleneck by active time', () => {
    const base = result.scenarios[0]!;
    expect(base.traces.throughputPerHour).toEqual([(40 + 42 + 42) / 3, (42 + 44 + 44) / 3, 44]);
    expect(base.traces.leadTime.total).toBe(9);
    expect(base.traces.leadTime.counts.reduce((a, b) => a + b, 0)).toBe(9);
    // cut: 0.5 working + 0.1 down beats weld's 0.55.
    expect(base.bottleneck).toMatchObject({ station: 'cut', shareOfReplications: 1 });
    expect(result.scenarios[1]!.bottleneck).toMatchObject({ station: 'weld' });
    expect(base.bottleneck!.active).toBeCloseTo(0.6, 12);
  });

  it('compares each alternative with the base', () => {
    expect(result.comparisons).toHaveLength(1);
    expect(result.comparisons[0]!.key[0]).toMatchObject({
      metric: 'throughput',
      verdict: 'better',
      better: 'faster',
    });
  });
});

describe('traces', () => {
  it('histograms span the values, the maximum in the last bin', () => {
    const h = histogram([1, 2, 3, 4, 5, 6, 7, 8, 9, NaN]);
    expect(h.total).toBe(9);
    expect(h.counts).toHaveLength(3);
    expect(h.edges[0]).toBe(1);
    expect(h.edges.at(-1)).toBe(9);
    expect(h.counts).toEqual([3, 3, 3]);
    expect(histogram([5, 5])).toEqual({ edges: [5, 6], counts: [2], total: 2 });
    expect(histogram([])).toEqual({ edges: [], counts: [], total: 0 });
  });

  it('quantiles by nearest rank; series means by index', () => {
    const q = quantiles(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(q).toEqual({ p50: 50, p90: 90, p95: 95, max: 100 });
    expect(quantiles([])).toEqual({ p50: null, p90: null, p95: null, max: null });
    expect(meanSeries([[1, 2], [3], [NaN, 4]])).toEqual([2, 3]);
  });
});
