import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metropolisAccepts } from './annealing.js';
import { seededRandom, type Random } from './prng.js';

/** A generator that always draws `u`, counting its draws. */
function fixed(u: number): Random & { draws: number } {
  const random = {
    draws: 0,
    next: () => {
      random.draws++;
      return u;
    },
    int: (n: number) => Math.floor(random.next() * n),
  };
  return random;
}

describe('metropolisAccepts', () => {
  it('accepts a candidate no worse than the incumbent without drawing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: -10, max: 100, noNaN: true }),
        (candidate, gain, temperature) => {
          const random = fixed(0.999);
          expect(metropolisAccepts(candidate, candidate + gain, temperature, random)).toBe(true);
          expect(random.draws).toBe(0);
        },
      ),
      { seed: 7 },
    );
  });

  it('accepts a worse one exactly when the draw is below exp(-loss / temperature)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (incumbent, loss, temperature, u) => {
          const random = fixed(u);
          const accepted = metropolisAccepts(incumbent + loss, incumbent, temperature, random);
          expect(accepted).toBe(u < Math.exp(-loss / temperature));
          expect(random.draws).toBe(1);
        },
      ),
      { seed: 11 },
    );
  });

  it('never accepts a worse one at a temperature of 0', () => {
    const random = fixed(0);
    expect(metropolisAccepts(101, 100, 0, random)).toBe(false);
    expect(metropolisAccepts(101, 100, -1, random)).toBe(false);
    expect(random.draws).toBe(0);
  });

  it('accepts a worse one less often the worse it is', () => {
    const rate = (loss: number): number => {
      const random = seededRandom(3);
      let accepted = 0;
      for (let i = 0; i < 10_000; i++) if (metropolisAccepts(1000 + loss, 1000, 20, random)) accepted++;
      return accepted / 10_000;
    };
    const rates = [5, 20, 60].map(rate);
    // exp(-1/4) ≈ 0.78, exp(-1) ≈ 0.37, exp(-3) ≈ 0.05
    expect(rates[0]).toBeCloseTo(0.78, 1);
    expect(rates[1]).toBeCloseTo(0.37, 1);
    expect(rates[2]).toBeCloseTo(0.05, 1);
  });
});
