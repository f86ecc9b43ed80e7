// Simulated annealing's acceptance rule, by which tabu search chooses the schedule it restarts from.
import type { Random } from './prng.js';

/**
 * Metropolis's rule: a candidate no worse than the incumbent is always accepted, a worse one with
 * probability exp(-(candidate - incumbent) / temperature), so a slightly worse one often and a much
 * worse one seldom. Draws from `random` only when the candidate is worse, and never at a
 * temperature of 0 or less, where only candidates no worse are accepted.
 */
export function metropolisAccepts(
  candidate: number,
  incumbent: number,
  temperature: number,
  random: Random,
): boolean {
  if (candidate <= incumbent) return true;
  if (!(temperature > 0)) return false;
  return random.next() < Math.exp(-(candidate - incumbent) / temperature);
}
