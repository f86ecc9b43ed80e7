// Data shared by the history benchmarks: deterministic random walks like temperature sensors.

/** xorshift32: fast and deterministic, so every run loads the same data. */
export function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export class Walks {
  private readonly values: Float64Array;
  private readonly next = random(12345);
  constructor(count: number) {
    this.values = Float64Array.from({ length: count }, () => 20 + this.next() * 60);
  }
  /** The next two-decimal value of walk i: a step of roughly normal size, sigma 0.05. */
  step(i: number): number {
    const noise = (this.next() + this.next() + this.next() - 1.5) * 0.1;
    const value = Math.round((this.values[i]! + noise) * 100) / 100;
    this.values[i] = value;
    return value;
  }
}

export const T0 = Date.UTC(2026, 0, 1);
export const DAY = 86_400_000;
