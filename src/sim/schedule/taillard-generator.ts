// Taillard's (1993) generator of job-shop instances: his published ta01–ta80 come from its seeds.
import { ScheduleOptionsError } from './errors.js';
import type { JobShopInstance } from './instance.js';

export interface TaillardSeeds {
  readonly jobs: number;
  readonly machines: number;
  /** Seed of the processing times. */
  readonly timeSeed: number;
  /** Seed of the machine orders. */
  readonly machineSeed: number;
}

/**
 * The instance Taillard's generator makes from `seeds`, as in "Benchmarks for basic scheduling
 * problems", EJOR 64 (1993) 278–285: processing times uniform in 1..99 job by job, then each
 * job's route a random permutation (position k swapped with a uniform position in k..m-1).
 * Random numbers come from the Lehmer generator x ← 16807·x mod (2³¹ − 1) that the paper gives,
 * computed by Schrage's method so it stays exact in 32-bit arithmetic.
 *
 * @throws ScheduleOptionsError for sizes below 1 or seeds outside 1..2³¹ − 2.
 */
export function taillardInstance(seeds: TaillardSeeds): JobShopInstance {
  const { jobs, machines } = seeds;
  for (const [name, value] of [
    ['jobs', jobs],
    ['machines', machines],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ScheduleOptionsError(`${name} must be a positive integer, got ${value}`, {
        path: `/${name}`,
      });
    }
  }
  const time = lehmer(seeds.timeSeed, 'timeSeed');
  const machine = lehmer(seeds.machineSeed, 'machineSeed');
  const durations = Array.from({ length: jobs }, () => Array.from({ length: machines }, () => time(1, 99)));
  const routes = Array.from({ length: jobs }, () => Array.from({ length: machines }, (_, m) => m));
  for (const route of routes) {
    for (let k = 0; k < machines; k++) {
      const other = machine(k, machines - 1);
      [route[k], route[other]] = [route[other]!, route[k]!];
    }
  }
  return {
    machines,
    jobs: routes.map((route, j) => ({
      operations: route.map((m, k) => ({ machine: m, duration: durations[j]![k]! })),
    })),
  };
}

const MODULUS = 2147483647;

/** Taillard's `unif(seed, low, high)`: advances the seed, returns an integer in low..high. */
function lehmer(seed: number, name: string): (low: number, high: number) => number {
  if (!Number.isSafeInteger(seed) || seed < 1 || seed >= MODULUS) {
    throw new ScheduleOptionsError(`${name} must be an integer in 1..${MODULUS - 1}, got ${seed}`, {
      path: `/${name}`,
    });
  }
  let state = seed;
  return (low, high) => {
    const k = Math.floor(state / 127773);
    state = 16807 * (state % 127773) - k * 2836;
    if (state < 0) state += MODULUS;
    return low + Math.floor((state / MODULUS) * (high - low + 1));
  };
}
