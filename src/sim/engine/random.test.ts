import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('matches the xoshiro128** reference output', () => {
    const random = Random.fromState(1, 2, 3, 4);
    const out = Array.from({ length: 5 }, () => random.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });

  it('repeats a stream exactly for the same seed and differs across seeds and streams', () => {
    const draw = (r: Random): number[] => Array.from({ length: 100 }, () => r.next());
    expect(draw(new Random(42, 3, 1))).toEqual(draw(new Random(42, 3, 1)));
    const base = draw(new Random(42, 3, 1));
    for (const other of [
      new Random(43, 3, 1),
      new Random(42, 4, 1),
      new Random(42, 3, 2),
      new Random(42, 1, 3),
    ]) {
      expect(draw(other)).not.toEqual(base);
    }
    expect(draw(new Random(2 ** 40 + 5))).not.toEqual(draw(new Random(5)));
  });

  it('draws uniforms in [0, 1) with the right mean and variance, independent across adjacent streams', () => {
    const n = 200_000;
    const a = new Random(9, 0);
    const b = new Random(9, 1);
    let sum = 0;
    let sumSq = 0;
    let cross = 0;
    for (let i = 0; i < n; i++) {
      const x = a.next();
      const y = b.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      sumSq += x * x;
      cross += (x - 0.5) * (y - 0.5);
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sumSq / n - mean * mean).toBeCloseTo(1 / 12, 2);
    // Correlation of two streams: standard error 1/sqrt(n) ≈ 0.0022.
    expect(Math.abs((cross / n) * 12)).toBeLessThan(0.01);
  });

  it('draws unbiased integers and rejects bad arguments', () => {
    const random = new Random(5);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[random.integer(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => random.integer(0)).toThrow(RangeError);
    expect(() => new Random(1.5)).toThrow(RangeError);
    expect(() => new Random(1, -1)).toThrow(RangeError);
    expect(() => new Random(1, 0, 2 ** 32)).toThrow(RangeError);
  });

  it('derives another stream of the same seed', () => {
    const r = new Random(77, 0, 4).derive(9);
    expect([r.seed, r.stream, r.substream]).toEqual([77, 9, 4]);
    expect(r.next()).toBe(new Random(77, 9, 4).next());
  });
});
