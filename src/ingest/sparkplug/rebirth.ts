// Asking an edge node to send its birth certificates again (Sparkplug B `Node Control/Rebirth`),
// as a host application must when it has lost track of the node's session.
import sparkplug from 'sparkplug-payload';
import { SPARKPLUG_NAMESPACE } from './topic.js';

/** At most one request per edge node in this interval: a node that keeps misbehaving is not flooded. */
export const REBIRTH_INTERVAL_MS = 5000;

/** Why the decoder needs an edge node's births again. */
export interface RebirthNeed {
  readonly group: string;
  readonly edgeNode: string;
  readonly reason: string;
}

const { encodePayload } = sparkplug.get(SPARKPLUG_NAMESPACE)!;

/** The NCMD that asks `edgeNode` of `group` for a rebirth. */
export function rebirthCommand(
  group: string,
  edgeNode: string,
  timestamp: number,
): { readonly topic: string; readonly payload: Uint8Array } {
  return {
    topic: `${SPARKPLUG_NAMESPACE}/${group}/NCMD/${edgeNode}`,
    payload: encodePayload({
      timestamp,
      metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true, timestamp }],
    }),
  };
}

/** Decides which rebirth requests go out, one per edge node per interval. */
export class RebirthLimiter {
  readonly #last = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #clock: () => number;

  // A monotonic clock: wall-clock steps (NTP) must neither silence nor unleash requests.
  constructor(intervalMs = REBIRTH_INTERVAL_MS, clock: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  /** True when a request to this edge node may go out now (and is then counted as sent). */
  allow(group: string, edgeNode: string): boolean {
    const now = this.#clock();
    const key = `${group}/${edgeNode}`;
    const last = this.#last.get(key);
    if (last !== undefined && now - last < this.#intervalMs) return false;
    // Entries past the interval decide nothing any more; dropping them bounds the map by the
    // number of nodes that asked within one interval.
    if (this.#last.size >= 10_000) {
      for (const [k, t] of this.#last) if (now - t >= this.#intervalMs) this.#last.delete(k);
    }
    this.#last.set(key, now);
    return true;
  }
}
