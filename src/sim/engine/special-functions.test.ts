import { describe, expect, it } from 'vitest';
import { gamma, incompleteBeta, normalQuantile, studentTCdf, studentTQuantile } from './special-functions.js';

describe('special functions', () => {
  it('computes the gamma function', () => {
    expect(gamma(5)).toBeCloseTo(24, 10);
    expect(gamma(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gamma(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  });

  it('computes the regularised incomplete beta', () => {
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    // I_x(a, 1) = x^a
    expect(incompleteBeta(0.7, 3, 1)).toBeCloseTo(0.343, 12);
  });

  it('matches published normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(normalQuantile(0.99999)).toBeCloseTo(4.264890793922602, 6);
  });

  it('matches published Student-t quantiles at every degree of freedom', () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736174698],
      [0.975, 2, 4.302652729749464],
      [0.975, 3, 3.182446305284263],
      [0.975, 4, 2.7764451051977934],
      [0.975, 5, 2.570581835636314],
      [0.975, 9, 2.2621571628540993],
      [0.975, 19, 2.093024054408263],
      [0.975, 29, 2.045229642132703],
      [0.975, 100, 1.9839715184496334],
      [0.995, 4, 4.604094871415897],
      [0.95, 10, 1.8124611228107335],
      [0.025, 7, -2.3646242515927844],
    ];
    for (const [p, df, expected] of table) {
      expect(studentTQuantile(p, df), `p ${p}, df ${df}`).toBeCloseTo(expected, 9);
    }
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 4);
  });

  it('inverts its own CDF', () => {
    for (const df of [1, 2, 3, 5.5, 12, 40]) {
      for (const p of [0.01, 0.2, 0.6, 0.9, 0.999]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
      }
    }
  });

  it('rejects arguments outside the domain', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
  });
});
