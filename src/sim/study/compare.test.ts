import { describe, expect, it } from 'vitest';
import { compareScenarios, pairedDifference } from './compare.js';

const base = [10, 11, 12, 13, 14].map((throughput, r) => ({
  throughput,
  leadTime: 600 + r * 10,
  wip: 5 + r,
}));
const alternative = base.map((row, r) => ({
  throughput: row.throughput + [1, 2, 1, 2, 1.5][r]!,
  leadTime: row.leadTime + [1, -1, 1, -1, 0][r]!,
  wip: row.wip - 0.5,
}));

describe('pairedDifference', () => {
  it('is the Student-t interval of the per-replication differences', () => {
    const d = pairedDifference('throughput', base, alternative);
    // differences 1, 2, 1, 2, 1.5: mean 1.5, sd 0.5, t(0.975, 4) = 2.7764451
    expect(d.difference.mean).toBeCloseTo(1.5, 12);
    expect(d.difference.sd).toBeCloseTo(0.5, 12);
    expect(d.difference.halfWidth).toBeCloseTo((2.7764451052 * 0.5) / Math.sqrt(5), 8);
    expect(d.difference.n).toBe(5);
    expect(d.relative).toBeCloseTo(1.5 / 12, 12);
    expect(d.significant).toBe(true);
  });

  it('pairs only replications where both scenarios measured the metric', () => {
    const d = pairedDifference(
      'leadTime',
      [{ leadTime: 1 }, { leadTime: null }, { leadTime: 3 }],
      [{ leadTime: 2 }, { leadTime: 5 }, { leadTime: 5 }],
    );
    expect(d.difference.n).toBe(2);
    expect(d.difference.mean).toBe(1.5);
  });

  it('is far tighter than two independent intervals when the noise is shared', () => {
    const d = pairedDifference('throughput', base, alternative);
    // Each scenario alone has sd ≈ 1.58; the paired differences have sd 0.5.
    expect(d.difference.halfWidth!).toBeLessThan(1);
  });
});

describe('compareScenarios', () => {
  const comparison = compareScenarios(
    { name: 'base', replications: base },
    { name: 'two-presses', replications: alternative },
  );

  it('says which scenario is better on throughput, lead time and WIP, and whether it is significant', () => {
    const byMetric = Object.fromEntries(comparison.key.map((k) => [k.metric, k]));
    expect(byMetric.throughput).toMatchObject({
      verdict: 'better',
      better: 'two-presses',
      significant: true,
    });
    expect(byMetric.leadTime).toMatchObject({
      verdict: 'no significant difference',
      better: null,
      significant: false,
    });
    expect(byMetric.leadTime!.difference.mean).toBeCloseTo(0, 12);
    // Lower WIP is better: −0.5 in every replication.
    expect(byMetric.wip).toMatchObject({ verdict: 'better', better: 'two-presses', significant: true });
    expect(comparison.summary).toContain('throughput better (+12.5%)');
    expect(comparison.summary).toContain('lead time: no significant difference');
  });

  it('calls a higher lead time worse, and an unmeasured metric not measured', () => {
    const slower = base.map((row) => ({ ...row, leadTime: row.leadTime + 60, throughput: NaN }));
    const c = compareScenarios({ name: 'base', replications: base }, { name: 'slow', replications: slower });
    expect(c.key.find((k) => k.metric === 'leadTime')).toMatchObject({ verdict: 'worse', better: 'base' });
    expect(c.key.find((k) => k.metric === 'throughput')).toMatchObject({ verdict: 'not measured' });
  });

  it('compares every metric both report, sorted', () => {
    expect(comparison.metrics.map((m) => m.metric)).toEqual(['leadTime', 'throughput', 'wip']);
  });
});
