// Keeps a flood of refusals from growing the audit log without bound, without ever rewriting a
// record: the first refusal of a kind (same source, action, code and principal) in a window is
// recorded at once; the identical ones after it are only counted, and when the window closes one more record
// carries their count in `repeat`. So the sum of `repeat` is still the number of refusals.
import type { AuditEntry } from './chain.js';

export interface CoalescingLimits {
  /** How long identical refusals are counted into one record, in milliseconds. */
  readonly windowMs: number;
  /**
   * Kinds of refusal counted separately at once. Past this, refusals are counted by code alone
   * (actor, action and source `*`): many addresses cannot grow the log faster than about
   * 2 × (maxKinds + codes) records per window.
   */
  readonly maxKinds: number;
}

interface Window {
  readonly end: number;
  readonly overflow: boolean;
  /** Refusals after the first, not yet recorded. */
  count: number;
  /** The newest of them: the fields of the record that carries the count. */
  last: AuditEntry;
}

/** The source and action of the record that counts refusals beyond `maxKinds`. */
export const MANY = '*';

export class RefusalCoalescer {
  // In order of window start, which (one window length for all) is also the order they end in.
  readonly #windows = new Map<string, Window>();

  constructor(private readonly limits: CoalescingLimits) {}

  /** The entries to append now for a refusal at `now` (ms): none when it was counted into a window. */
  admit(entry: AuditEntry, now: number): AuditEntry[] {
    const appended = this.expire(now);
    // The principal is part of the kind, so an anonymous flood never hides a known token's refusal.
    const kind = JSON.stringify([entry.source, entry.action, entry.code, entry.actor, entry.credential]);
    let key = kind;
    let overflow = false;
    if (!this.#windows.has(kind) && this.#windows.size >= this.limits.maxKinds) {
      key = JSON.stringify([MANY, entry.code]);
      overflow = true;
    }
    const window = this.#windows.get(key);
    if (window !== undefined) {
      window.count++;
      window.last = entry;
      return appended;
    }
    this.#windows.set(key, { end: now + this.limits.windowMs, overflow, count: 0, last: entry });
    appended.push(entry);
    return appended;
  }

  /** Closes the windows that ended by `now` (with `all`, every window): the records of their counts. */
  expire(now: number, { all = false } = {}): AuditEntry[] {
    const summaries: AuditEntry[] = [];
    for (const [key, window] of this.#windows) {
      if (!all && window.end > now) break;
      this.#windows.delete(key);
      if (window.count === 0) continue;
      const { credential: _credential, target: _target, ...kind } = window.last;
      summaries.push({
        ...(window.overflow ? { ...kind, actor: MANY, action: MANY, source: MANY } : window.last),
        time: new Date(now).toISOString(),
        repeat: window.count,
      });
    }
    return summaries;
  }

  /** Open windows, for tests and metrics. */
  get size(): number {
    return this.#windows.size;
  }
}
