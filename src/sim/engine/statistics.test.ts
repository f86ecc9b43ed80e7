import { describe, expect, it } from 'vitest';
import { Tally, TimeWeighted, confidenceInterval } from './statistics.js';

describe('Tally', () => {
  it('keeps count, mean, variance, extremes and resets', () => {
    const tally = new Tally();
    expect(tally.mean).toBeNaN();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) tally.add(x);
    expect(tally.count).toBe(8);
    expect(tally.mean).toBe(5);
    expect(tally.variance).toBeCloseTo(32 / 7, 12);
    expect([tally.min, tally.max, tally.sum]).toEqual([2, 9, 40]);
    tally.reset();
    expect(tally.count).toBe(0);
    expect(tally.mean).toBeNaN();
  });
});

describe('TimeWeighted', () => {
  it('averages over time and restarts at a reset', () => {
    const clock = { now: 0 };
    const level = new TimeWeighted(clock, 1);
    clock.now = 2;
    level.set(3); // 1 for 2 time units
    clock.now = 6;
    level.add(-3); // 3 for 4 units
    clock.now = 10; // 0 for 4 units
    expect(level.integral).toBe(14);
    expect(level.mean).toBeCloseTo(1.4, 12);
    expect([level.min, level.max, level.current]).toEqual([0, 3, 0]);
    level.reset();
    level.set(2);
    clock.now = 15;
    expect(level.mean).toBe(2);
    expect(level.min).toBe(0);
  });
});

describe('confidenceInterval', () => {
  it('uses the Student-t quantile for the sample size', () => {
    const ci = confidenceInterval([1, 2, 3, 4, 5]);
    const sd = Math.sqrt(2.5);
    expect(ci.mean).toBe(3);
    expect(ci.halfWidth).toBeCloseTo((2.7764451051977934 * sd) / Math.sqrt(5), 10);
    expect(ci.low).toBeCloseTo(3 - ci.halfWidth, 12);
    expect(confidenceInterval([1, 2, 3], 0.99).halfWidth).toBeCloseTo(
      9.92484320091829 * (1 / Math.sqrt(3)),
      8,
    );
    expect(confidenceInterval([4]).halfWidth).toBeNaN();
  });
});
