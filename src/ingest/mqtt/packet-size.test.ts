import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketSizeReader } from './packet-size.js';

/** One MQTT packet of `bodyLength` bytes: type byte, variable byte remaining length, body. */
function packet(bodyLength: number): Uint8Array {
  const length: number[] = [];
  let rest = bodyLength;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return Uint8Array.from([0x30, ...length, ...new Uint8Array(bodyLength).fill(7)]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('PacketSizeReader', () => {
  it('refuses a declared 256 MB packet from its header alone', () => {
    const reader = new PacketSizeReader(1024 * 1024);
    const verdict = reader.push(Uint8Array.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    expect(verdict.kind).toBe('too-large');
    expect(verdict.kind === 'too-large' && verdict.atLeast).toBeGreaterThan(1024 * 1024);
    // The rest of the stream is no longer looked at.
    expect(reader.push(new Uint8Array(10))).toEqual({ kind: 'ok', packetsCompleted: 0 });
  });

  it('calls a fifth length byte malformed', () => {
    const reader = new PacketSizeReader(Number.MAX_SAFE_INTEGER);
    expect(reader.push(Uint8Array.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x01]))).toEqual({
      kind: 'malformed',
    });
  });

  it('counts whole packets and refuses the first too large one, however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 3, max: 305 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (bodies, max, cuts) => {
          const stream = concat(bodies.map(packet));
          const reader = new PacketSizeReader(max);
          let verdict;
          let offset = 0;
          for (let c = 0; offset < stream.length; c++) {
            const size = cuts[c % cuts.length]!;
            verdict = reader.push(stream.subarray(offset, offset + size));
            offset += size;
            if (verdict.kind !== 'ok') break;
          }
          const firstTooLarge = bodies.findIndex((b) => packet(b).length > max);
          if (firstTooLarge === -1) {
            expect(verdict).toEqual({ kind: 'ok', packetsCompleted: bodies.length });
          } else {
            expect(verdict?.kind).toBe('too-large');
            expect(reader.packetsCompleted).toBe(firstTooLarge);
          }
        },
      ),
      { seed: 1206 },
    );
  });
});
