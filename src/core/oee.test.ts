import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oeeIndex, sumOeeInputs } from './oee.js';

// Seeded so a failure replays; fast-check prints the seed and the shrunk counterexample on failure.
const SEED = Number(process.env.FC_SEED ?? 20251125);

/**
 * A work unit's period as it happens: units finished at their ideal cycle time, production time at
 * least what they needed (slow cycles, a unit still in process), and other states around it.
 */
const period = fc
  .record({
    produced: fc.integer({ min: 0, max: 100_000 }),
    idealCycle: fc.double({ min: 0.01, max: 1e4, noNaN: true }),
    slower: fc.double({ min: 0, max: 1e6, noNaN: true }),
    blocked: fc.double({ min: 0, max: 1e6, noNaN: true }),
    starved: fc.double({ min: 0, max: 1e6, noNaN: true }),
    setup: fc.double({ min: 0, max: 1e6, noNaN: true }),
    down: fc.double({ min: 0, max: 1e6, noNaN: true }),
    goodShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((p) => {
    const ideal = p.produced * p.idealCycle;
    const running = ideal + p.slower;
    return {
      plannedBusyTime: running + p.blocked + p.starved + p.setup + p.down,
      actualProductionTime: running,
      idealProductionTime: ideal,
      producedQuantity: p.produced,
      goodQuantity: Math.floor(p.produced * p.goodShare),
    };
  });

describe('oeeIndex (ISO 22400-2)', () => {
  it('gives availability = APT/PBT, performance = ideal time/APT, quality = GQ/PQ and their product', () => {
    // 8 h planned; 6 h producing (the rest blocked, starved, set up or down); 600 units of 30 s; 588 good.
    const index = oeeIndex({
      plannedBusyTime: 8 * 3600,
      actualProductionTime: 6 * 3600,
      idealProductionTime: 600 * 30,
      producedQuantity: 600,
      goodQuantity: 588,
    });
    expect(index.availability).toBe(0.75);
    expect(index.performance).toBeCloseTo(18_000 / 21_600, 12);
    expect(index.quality).toBe(0.98);
    expect(index.oee).toBeCloseTo((18_000 / 28_800) * 0.98, 12);
  });

  it('no figure passes 100%, nor falls below 0, for random state-time splits and counts', () => {
    fc.assert(
      fc.property(period, (input) => {
        const index = oeeIndex(input);
        for (const [name, value] of Object.entries(index)) {
          if (value === null) continue;
          expect(value, name).toBeGreaterThanOrEqual(0);
          expect(value, name).toBeLessThanOrEqual(1);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('of several units is the OEE of their summed times and quantities, also at most 100%', () => {
    fc.assert(
      fc.property(fc.array(period, { minLength: 1, maxLength: 12 }), (inputs) => {
        const index = oeeIndex(sumOeeInputs(inputs));
        for (const value of Object.values(index)) if (value !== null) expect(value).toBeLessThanOrEqual(1);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('clamps nothing: an ideal cycle time slower than the unit ran shows as a performance above 1', () => {
    const index = oeeIndex({
      plannedBusyTime: 100,
      actualProductionTime: 100,
      idealProductionTime: 120,
      producedQuantity: 10,
      goodQuantity: 10,
    });
    expect(index.performance).toBe(1.2);
  });

  it('is null without data, and 0 when planned time held no production', () => {
    expect(
      oeeIndex({
        plannedBusyTime: 0,
        actualProductionTime: 0,
        idealProductionTime: 0,
        producedQuantity: 0,
        goodQuantity: 0,
      }),
    ).toEqual({ availability: null, performance: null, quality: null, oee: null });
    expect(
      oeeIndex({
        plannedBusyTime: 3600,
        actualProductionTime: 0,
        idealProductionTime: 0,
        producedQuantity: 0,
        goodQuantity: 0,
      }),
    ).toEqual({ availability: 0, performance: null, quality: null, oee: 0 });
  });
});
