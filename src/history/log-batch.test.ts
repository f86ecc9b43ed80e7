import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLogBatch, LogBatchWriter } from './log-batch.js';

const row = fc.record({
  series: fc.nat({ max: 0xffff_ffff }),
  time: fc.double({ noNaN: true }),
  value: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
  flags: fc.nat({ max: 255 }),
});

describe('history log batches', () => {
  it('decode to exactly the rows encoded, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 50 }), fc.nat({ max: 7 }), (rows, shift) => {
        const writer = new LogBatchWriter(rows.length);
        rows.forEach((r, i) => writer.set(i, r.series, r.time, r.value, r.flags));
        // SQLite hands blobs back at any offset of a larger buffer.
        const encoded = writer.encode();
        const padded = new Uint8Array(encoded.length + shift);
        padded.set(encoded, shift);
        const batch = decodeLogBatch(padded.subarray(shift));
        expect(batch.count).toBe(rows.length);
        rows.forEach((r, i) => {
          expect(batch.series[i]).toBe(r.series);
          expect(Object.is(batch.times[i], r.time)).toBe(true);
          expect(batch.flags[i]).toBe(r.flags);
          const value = batch.others.has(i) ? batch.others.get(i) : batch.numbers[i];
          expect(Object.is(value, r.value)).toBe(true);
        });
      }),
    );
  });

  it('refuses a blob whose length does not match its header', () => {
    const writer = new LogBatchWriter(2);
    writer.set(0, 1, 1, 1, 0);
    writer.set(1, 1, 2, 'x', 0);
    expect(() => decodeLogBatch(writer.encode().subarray(0, 30))).toThrow(/does not hold 2 rows/);
  });
});
