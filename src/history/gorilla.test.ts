import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from './gorilla.js';

// Seeded so a failure replays; fast-check prints the seed and the shrunk counterexample on failure.
const SEED = Number(process.env.FC_SEED ?? 20260501);
const params = { seed: SEED, numRuns: 300, verbose: 1 } as const;

/** The bits of each double, so NaN payloads and -0 compare exactly. */
const bitsOf = (values: Float64Array | number[]) => {
  const copy = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  return Array.from(new BigUint64Array(copy.buffer));
};

/** Any double at all, including every NaN payload, -0, ±Infinity and subnormals. */
const anyDouble = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((bits) => {
  const view = new BigUint64Array([bits]);
  return new Float64Array(view.buffer)[0]!;
});
const anyBits = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

function expectRoundTrip(times: number[], values: Float64Array): void {
  const { times: t, values: v } = decodeChunk(encodeChunk(times, values));
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  const bits = bitsOf(values);
  expect(Array.from(t)).toEqual(order.map((i) => times[i]));
  expect(bitsOf(v)).toEqual(order.map((i) => bits[i]));
}

describe('Gorilla chunk', () => {
  it(`round-trips every double bit for bit (seed ${SEED})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1e12, max: 4e12 }), anyBits), { maxLength: 300 }),
        (pairs) => {
          const raw = new Float64Array(new BigUint64Array(pairs.map(([, b]) => b)).buffer);
          expectRoundTrip(
            pairs.map(([t]) => t),
            raw,
          );
        },
      ),
      params,
    );
  });

  it(`round-trips regular, jittery and repeating series of two-decimal values (seed ${SEED})`, () => {
    const series = fc
      .record({
        start: fc.integer({ min: 0, max: 2e12 }),
        step: fc.constantFrom(1, 10, 1000, 60_000, 3_600_000),
        jitter: fc.integer({ min: 0, max: 5000 }),
        decimals: fc.integer({ min: 0, max: 4 }),
        n: fc.integer({ min: 0, max: 2000 }),
        rand: fc.noShrink(fc.integer()),
      })
      .map(({ start, step, jitter, decimals, n, rand }) => {
        let state = rand >>> 0 || 1;
        const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
        const times: number[] = [];
        const values: number[] = [];
        let v = 20;
        for (let i = 0; i < n; i++) {
          times.push(start + i * step + Math.floor((next() - 0.5) * jitter));
          v += (next() - 0.5) * 2;
          values.push(Number(v.toFixed(decimals)));
        }
        return { times, values };
      });
    fc.assert(
      fc.property(series, ({ times, values }) => expectRoundTrip(times, Float64Array.from(values))),
      params,
    );
  });

  it(`round-trips mixes of special values and huge time gaps (seed ${SEED})`, () => {
    const special = fc.constantFrom(
      NaN,
      -0,
      0,
      Infinity,
      -Infinity,
      5e-324,
      -2.2e-308,
      1.7976931348623157e308,
      0.1,
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(-8.64e15, -1, 0, 1, 2 ** 40, 8.64e15, 2 ** 53 - 1),
            fc.oneof(special, anyDouble),
          ),
          {
            maxLength: 50,
          },
        ),
        (pairs) =>
          expectRoundTrip(
            pairs.map(([t]) => t),
            Float64Array.from(pairs.map(([, v]) => v)),
          ),
      ),
      params,
    );
  });

  it('keeps NaN payloads, -0 and subnormals exactly', () => {
    const payload = new Float64Array(
      new BigUint64Array([0x7ff8_0000_dead_beefn, 0xfff0_0000_0000_0001n]).buffer,
    );
    const values = Float64Array.from([payload[0]!, -0, 5e-324, Infinity, -Infinity, payload[1]!, 0]);
    const { values: back } = decodeChunk(encodeChunk([0, 1, 2, 3, 4, 5, 6], values));
    expect(bitsOf(back)).toEqual(bitsOf(values));
  });

  it('sorts by time, stably, and keeps repeated timestamps', () => {
    const { times, values } = decodeChunk(encodeChunk([3000, 1000, 2000, 1000], [3, 1, 2, 1.5]));
    expect(Array.from(times)).toEqual([1000, 1000, 2000, 3000]);
    expect(Array.from(values)).toEqual([1, 1.5, 2, 3]);
  });

  it('encodes an empty chunk', () => {
    const { times, values } = decodeChunk(encodeChunk([], []));
    expect(times.length + values.length).toBe(0);
  });

  it('refuses mismatched lengths and NaN times', () => {
    expect(() => encodeChunk([1, 2], [1])).toThrow(expect.objectContaining({ code: 'IMV_REQUEST_INVALID' }));
    expect(() => encodeChunk([NaN], [1])).toThrow(expect.objectContaining({ code: 'IMV_REQUEST_INVALID' }));
  });

  it('refuses a truncated or unknown chunk', () => {
    const bytes = encodeChunk([0, 1000, 2000], [1.5, 2.25, 3.125]);
    expect(() => decodeChunk(bytes.subarray(0, 10))).toThrow(RangeError);
    expect(() => decodeChunk(Uint8Array.from([9, 0, 0, 0, 0]))).toThrow(RangeError);
  });

  it('stores a regular 1 s series of slowly varying sensor values in well under 2 bytes a point', () => {
    const n = 7200;
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    let v = 42;
    let state = 7;
    for (let i = 0; i < n; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      v += (state / 2 ** 32 - 0.5) * 0.1; // drifts by up to ±0.05 a second
      times[i] = 1_767_225_600_000 + i * 1000;
      values[i] = Number(v.toFixed(2));
    }
    const bytes = encodeChunk(times, values);
    expect(bytes.length / n).toBeLessThan(1.2);
    expect(Array.from(decodeChunk(bytes).values)).toEqual(Array.from(values));
  });

  it('compresses constant and integer series to about a bit or two a point (XOR and decimal paths)', () => {
    const n = 1000;
    const times = Array.from({ length: n }, (_, i) => i * 1000);
    expect(encodeChunk(times, new Array<number>(n).fill(NaN)).length).toBeLessThan(n / 3);
    expect(encodeChunk(times, new Array<number>(n).fill(21.5)).length).toBeLessThan(n / 3);
  });
});
