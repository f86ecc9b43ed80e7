// Bit-level writer and reader over a Uint8Array, most significant bit first. Numbers only (no
// bigint): every write or read moves at most 32 bits, so 64-bit words go as two halves.

export class BitWriter {
  private buffer: Uint8Array;
  private byteIndex = 0;
  /** Bits already used in buffer[byteIndex]. */
  private bitIndex = 0;

  constructor(capacity = 256) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  /** Writes the low `n` bits of `value` (1 <= n <= 32). */
  write(value: number, n: number): void {
    if (this.byteIndex + 5 >= this.buffer.length) this.grow();
    const buffer = this.buffer;
    while (n > 0) {
      const free = 8 - this.bitIndex;
      const take = n < free ? n : free;
      n -= take;
      const bits = (value >>> n) & ((1 << take) - 1);
      buffer[this.byteIndex]! |= bits << (free - take);
      this.bitIndex += take;
      if (this.bitIndex === 8) {
        this.byteIndex++;
        this.bitIndex = 0;
      }
    }
  }

  /** Writes a 64-bit word given as its high and low 32-bit halves. */
  write64(hi: number, lo: number): void {
    this.write(hi, 32);
    this.write(lo, 32);
  }

  /** The bytes written so far (the last byte zero-padded). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.byteIndex + (this.bitIndex > 0 ? 1 : 0));
  }

  private grow(): void {
    const bigger = new Uint8Array(this.buffer.length * 2);
    bigger.set(this.buffer);
    this.buffer = bigger;
  }
}

export class BitReader {
  private byteIndex = 0;
  private bitIndex = 0;

  constructor(private readonly buffer: Uint8Array) {}

  /** Reads `n` bits (1 <= n <= 32) as an unsigned number. */
  read(n: number): number {
    let result = 0;
    const buffer = this.buffer;
    while (n > 0) {
      const available = 8 - this.bitIndex;
      const take = n < available ? n : available;
      const byte = this.byteIndex < buffer.length ? buffer[this.byteIndex]! : this.overrun();
      const bits = (byte >>> (available - take)) & ((1 << take) - 1);
      result = ((result << take) | bits) >>> 0;
      n -= take;
      this.bitIndex += take;
      if (this.bitIndex === 8) {
        this.byteIndex++;
        this.bitIndex = 0;
      }
    }
    return result;
  }

  /** Counts 1 bits before the next 0, reading at most `max` bits (a prefix code's bucket number). */
  ones(max: number): number {
    let count = 0;
    while (count < max && this.bit() === 1) count++;
    return count;
  }

  /** Reads one bit: the hot path of every prefix code. */
  bit(): number {
    if (this.byteIndex >= this.buffer.length) this.overrun();
    const bit = (this.buffer[this.byteIndex]! >>> (7 - this.bitIndex)) & 1;
    if (++this.bitIndex === 8) {
      this.byteIndex++;
      this.bitIndex = 0;
    }
    return bit;
  }

  private overrun(): never {
    throw new RangeError('chunk is truncated');
  }
}
