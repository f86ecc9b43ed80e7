// One chunk of a numeric series in the Gorilla encoding (Pelkonen et al., "Gorilla: A Fast,
// Scalable, In-Memory Time Series Database", VLDB 2015), adapted to millisecond timestamps.
//
// Layout (bits, most significant first): format (8), count (32), first time (64, IEEE-754), then
// the first value and, for each further point, its time code followed by its value code.
// - Times: delta-of-delta with the paper's variable-length buckets, widened for milliseconds;
//   anything that does not fit (huge gaps, non-integers) is written whole, so every double is exact.
// - Values, format XOR (the paper's scheme): XOR with the previous value's bits; '0' when equal,
//   '10' + bits inside the previous leading/trailing-zero window, '11' + 5 bits leading zeros +
//   6 bits length + the meaningful bits. Bit-exact for every double: NaN payloads, -0, ±Infinity.
// - Values, format DECIMAL (our extension): when every value of the chunk is exactly m / 10^d for
//   a small d (sensors that report 2 decimals), the integers m are written as zigzag deltas in
//   variable-length buckets. XOR of such doubles keeps ~40 noisy mantissa bits per point; the
//   deltas need ~8. The encoder checks that m / 10^d gives back the very same double, or uses XOR.
// Points are sorted by time (stable) before encoding; repeated timestamps are kept, in input order.
import { ValidationError } from '../core/errors.js';
import { BitReader, BitWriter } from './bits.js';

const FORMAT_XOR = 1;
const FORMAT_DECIMAL = 2;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** Delta-of-delta buckets: prefix of k ones then a zero, `bits` bits holding dod + bias. */
const TIME_BITS = [0, 7, 9, 12, 32] as const;
const TIME_BIAS = [0, 63, 255, 2047, 2 ** 31 - 1] as const;
const TIME_WHOLE = TIME_BITS.length; // k ones with no terminating zero: the whole time follows

/** Decimal delta buckets: zigzag(delta) < 2^bits. */
const DECIMAL_BITS = [0, 3, 6, 9, 16, 32] as const;
const DECIMAL_WHOLE = DECIMAL_BITS.length;
const MAX_DECIMALS = 9;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function writeDouble(w: BitWriter, value: number): void {
  scratch[0] = value;
  w.write64(scratchBits[HI]!, scratchBits[LO]!);
}

function readDouble(r: BitReader): number {
  scratchBits[HI] = r.read(32);
  scratchBits[LO] = r.read(32);
  return scratch[0]!;
}

export interface DecodedChunk {
  times: Float64Array;
  values: Float64Array;
}

export function encodeChunk(
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
): Uint8Array {
  if (times.length !== values.length) {
    throw new ValidationError('IMV_REQUEST_INVALID', 'times and values differ in length');
  }
  const n = times.length;
  const { t, v } = sortByTime(times, values);
  const vBits = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  const decimals = decimalPlaces(v);
  const w = new BitWriter(n * 2 + 32);
  w.write(decimals < 0 ? FORMAT_XOR : FORMAT_DECIMAL, 8);
  w.write(n, 32);
  if (n === 0) return w.finish();
  writeDouble(w, t[0]!);
  let prevT = t[0]!;
  let prevDelta = 0;

  const scale = decimals < 0 ? 1 : POW10[decimals]!;
  let prevM = 0;
  let prevHi = vBits[HI]!;
  let prevLo = vBits[LO]!;
  let prevLeading = -1;
  let prevTrailing = 0;
  if (decimals >= 0) {
    w.write(decimals, 4);
    prevM = Math.round(v[0]! * scale);
    writeDouble(w, prevM);
  } else {
    w.write64(prevHi, prevLo);
  }

  for (let i = 1; i < n; i++) {
    // Time: the decoder computes prevT + (prevDelta + dod); use a bucket only if that is exact.
    const time = t[i]!;
    const dod = time - prevT - prevDelta;
    let k = 0;
    if (dod !== 0 || !Object.is(prevT + prevDelta, time)) {
      k = 1;
      while (k < TIME_WHOLE && !(dod >= -TIME_BIAS[k]! && dod <= TIME_BIAS[k]! + 1)) k++;
      if (k < TIME_WHOLE && (!Number.isInteger(dod) || !Object.is(prevT + (prevDelta + dod), time))) {
        k = TIME_WHOLE;
      }
    }
    if (k === 0) {
      w.write(0, 1);
    } else if (k < TIME_WHOLE) {
      w.write(((1 << (k + 1)) - 2) >>> 0, k + 1);
      w.write(dod + TIME_BIAS[k]!, TIME_BITS[k]!);
      prevDelta += dod;
    } else {
      w.write((1 << TIME_WHOLE) - 1, TIME_WHOLE);
      writeDouble(w, time);
      prevDelta = time - prevT;
    }
    prevT = time;

    if (decimals >= 0) {
      const m = Math.round(v[i]! * scale);
      const delta = m - prevM;
      const zig = delta >= 0 ? delta * 2 : -delta * 2 - 1;
      let b = 0;
      if (delta !== 0) {
        b = 1;
        while (b < DECIMAL_WHOLE && !(zig < 2 ** DECIMAL_BITS[b]!)) b++;
      }
      if (b === 0) {
        w.write(0, 1);
      } else if (b < DECIMAL_WHOLE) {
        w.write(((1 << (b + 1)) - 2) >>> 0, b + 1);
        w.write(zig, DECIMAL_BITS[b]!);
      } else {
        w.write((1 << DECIMAL_WHOLE) - 1, DECIMAL_WHOLE);
        writeDouble(w, m);
      }
      prevM = m;
      continue;
    }

    const hi = vBits[2 * i + HI]!;
    const lo = vBits[2 * i + LO]!;
    const xHi = (hi ^ prevHi) >>> 0;
    const xLo = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xHi === 0 && xLo === 0) {
      w.write(0, 1);
      continue;
    }
    let leading = xHi !== 0 ? Math.clz32(xHi) : 32 + Math.clz32(xLo);
    if (leading > 31) leading = 31; // 5 bits in the header: the paper's cap
    const trailing = xLo !== 0 ? ctz32(xLo) : 32 + ctz32(xHi);
    if (prevLeading >= 0 && leading >= prevLeading && trailing >= prevTrailing) {
      w.write(2, 2); // '10': same window as before
      writeShifted(w, xHi, xLo, prevTrailing, 64 - prevLeading - prevTrailing);
    } else {
      const length = 64 - leading - trailing;
      w.write(3, 2); // '11': new window
      w.write(leading, 5);
      w.write(length & 63, 6); // 64 meaningful bits is written as 0
      writeShifted(w, xHi, xLo, trailing, length);
      prevLeading = leading;
      prevTrailing = trailing;
    }
  }
  return w.finish();
}

export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const r = new BitReader(bytes);
  const format = r.read(8);
  if (format !== FORMAT_XOR && format !== FORMAT_DECIMAL) {
    throw new RangeError(`unknown chunk format ${format}`);
  }
  const n = r.read(32);
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  if (n === 0) return { times, values };
  const vBits = new Uint32Array(values.buffer);
  let prevT = readDouble(r);
  times[0] = prevT;
  let prevDelta = 0;

  let scale = 1;
  let prevM = 0;
  let prevHi = 0;
  let prevLo = 0;
  let leading = 0;
  let trailing = 0;
  if (format === FORMAT_DECIMAL) {
    scale = POW10[r.read(4)] ?? NaN;
    prevM = readDouble(r);
    values[0] = prevM / scale;
  } else {
    prevHi = vBits[HI] = r.read(32);
    prevLo = vBits[LO] = r.read(32);
  }

  for (let i = 1; i < n; i++) {
    const k = r.ones(TIME_WHOLE);
    if (k === TIME_WHOLE) {
      const time = readDouble(r);
      prevDelta = time - prevT;
      prevT = time;
    } else {
      if (k > 0) prevDelta += r.read(TIME_BITS[k]!) - TIME_BIAS[k]!;
      prevT += prevDelta;
    }
    times[i] = prevT;

    if (format === FORMAT_DECIMAL) {
      const b = r.ones(DECIMAL_WHOLE);
      if (b === DECIMAL_WHOLE) {
        prevM = readDouble(r);
      } else if (b > 0) {
        const zig = r.read(DECIMAL_BITS[b]!);
        prevM += zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
      }
      values[i] = prevM / scale;
      continue;
    }

    if (r.bit() === 1) {
      if (r.bit() === 1) {
        leading = r.read(5);
        const length = r.read(6) || 64;
        trailing = 64 - leading - length;
      }
      const length = 64 - leading - trailing;
      let sHi = 0;
      let sLo: number;
      if (length > 32) {
        sHi = r.read(length - 32);
        sLo = r.read(32);
      } else {
        sLo = r.read(length);
      }
      let xHi: number;
      let xLo: number;
      if (trailing === 0) {
        xHi = sHi;
        xLo = sLo;
      } else if (trailing >= 32) {
        xHi = sLo << (trailing - 32);
        xLo = 0;
      } else {
        xHi = (sHi << trailing) | (sLo >>> (32 - trailing));
        xLo = sLo << trailing;
      }
      prevHi = (prevHi ^ xHi) >>> 0;
      prevLo = (prevLo ^ xLo) >>> 0;
    }
    vBits[2 * i + HI] = prevHi;
    vBits[2 * i + LO] = prevLo;
  }
  return { times, values };
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Writes `length` bits of the 64-bit word (hi, lo) shifted right by `shift`. */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, length: number): void {
  let sHi: number;
  let sLo: number;
  if (shift === 0) {
    sHi = hi;
    sLo = lo;
  } else if (shift >= 32) {
    sHi = 0;
    sLo = hi >>> (shift - 32);
  } else {
    sHi = hi >>> shift;
    sLo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
  }
  if (length > 32) {
    w.write(sHi, length - 32);
    w.write(sLo, 32);
  } else {
    w.write(sLo, length);
  }
}

/**
 * The number of decimals d (0..9) such that every value is exactly m / 10^d with m a safe
 * integer, or -1 (then the chunk uses XOR). -0, NaN and infinities always mean -1.
 */
function decimalPlaces(values: Float64Array): number {
  let decimals = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || Object.is(v, -0)) return -1;
    while (!isDecimal(v, decimals)) {
      if (++decimals > MAX_DECIMALS) return -1;
    }
  }
  // A larger scale than a value needed must still give it back exactly: check them all.
  for (let i = 0; i < values.length; i++) if (!isDecimal(values[i]!, decimals)) return -1;
  return decimals;
}

function isDecimal(v: number, decimals: number): boolean {
  const scale = POW10[decimals]!;
  const m = Math.round(v * scale);
  return Math.abs(m) <= Number.MAX_SAFE_INTEGER && m / scale === v;
}

/** Sorted copies (stable by time) that keep every value's exact bits. */
function sortByTime(
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
): { t: Float64Array; v: Float64Array } {
  const n = times.length;
  const t = times instanceof Float64Array ? times : Float64Array.from(times);
  const v = values instanceof Float64Array ? values : Float64Array.from(values);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(t[i])) throw new ValidationError('IMV_REQUEST_INVALID', 'a chunk time is NaN');
    if (i > 0 && t[i]! < t[i - 1]!) sorted = false;
  }
  if (sorted) return { t, v };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const st = new Float64Array(n);
  const sv = new Float64Array(n);
  const from = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  const to = new Uint32Array(sv.buffer);
  order.forEach((i, k) => {
    st[k] = t[i]!;
    to[2 * k] = from[2 * i]!;
    to[2 * k + 1] = from[2 * i + 1]!;
  });
  return { t: st, v: sv };
}
