// Seeded pseudo-random numbers: xoshiro128** with independent streams derived from (seed, stream, substream).

/** splitmix32's finaliser: a bijective avalanche of 32 bits. */
function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * xoshiro128** (Blackman and Vigna): 32-bit operations only, so it is fast without BigInt, and its
 * period of 2^128 − 1 makes overlap between streams negligible. Each stream's 128-bit state comes
 * from a splitmix32 sequence started at a hash of seed, stream and substream, so stream n of seed s
 * is the same on every machine and at every run, and two streams share no structure a model can see.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  readonly seed: number;
  readonly stream: number;
  readonly substream: number;

  /**
   * `seed` is any integer in ±2^53; `stream` and `substream` are integers in [0, 2^32), e.g. the
   * index of a random source in the model and the replication number.
   */
  constructor(seed: number, stream = 0, substream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    for (const [name, value] of [
      ['stream', stream],
      ['substream', substream],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value >= TWO_POW_32) {
        throw new RangeError(`${name} must be an integer in [0, 2^32), got ${value}`);
      }
    }
    this.seed = seed;
    this.stream = stream;
    this.substream = substream;
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    // Chain the words through the hash so that (s, a, b) and (s, b, a) start far apart.
    let x = mix32(low ^ 0x9e3779b9);
    x = mix32(x ^ high ^ 0x85ebca6b);
    x = mix32(x ^ stream ^ 0xc2b2ae35);
    x = mix32(x ^ substream ^ 0x27d4eb2f);
    // splitmix32 sequence from x fills the state; it cannot be all zero as the outputs are distinct.
    x = (x + 0x9e3779b9) | 0;
    this.s0 = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s1 = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s2 = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s3 = mix32(x);
  }

  /** A generator at an explicit xoshiro128** state, for checking against the reference vectors. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const random = new Random(0);
    random.s0 = s0 | 0;
    random.s1 = s1 | 0;
    random.s2 = s2 | 0;
    random.s3 = s3 | 0;
    return random;
  }

  /** A new generator for another stream of the same seed. */
  derive(stream: number, substream = this.substream): Random {
    return new Random(this.seed, stream, substream);
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** Uniform double in (0, 1]: safe to take the logarithm of. */
  nextOpen(): number {
    return 1 - this.next();
  }

  /** Uniform integer in [0, n) for n in [1, 2^32], without modulo bias. */
  integer(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n)) {
      throw new RangeError(`n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Exponential with the given mean: inlined here because it is the commonest draw of all. */
  exponential(mean: number): number {
    return -mean * Math.log(this.nextOpen());
  }
}
