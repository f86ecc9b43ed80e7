// Counting failed sign-ins: after `maxFailures` within the window a key (a name or a client address)
// is locked for one window. Pure: the caller passes the time. Unknown names are counted like known
// ones, so a lock says nothing about whether a name exists.

export interface LockoutRule {
  readonly maxFailures: number;
  readonly windowMs: number;
}

interface Entry {
  failures: number[];
  lockedUntil: number;
}

/** Keys kept at most; past it the stalest go first, so bogus names cannot grow memory without bound. */
const MAX_KEYS = 10_000;

export class Lockout {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly rule: LockoutRule) {}

  /** Until when `key` is locked (epoch ms), or undefined when it is not. */
  lockedUntil(key: string, now: number): number | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.lockedUntil > now ? entry.lockedUntil : undefined;
  }

  recordFailure(key: string, now: number): void {
    const entry = this.entries.get(key) ?? { failures: [], lockedUntil: 0 };
    entry.failures = entry.failures.filter((at) => at > now - this.rule.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.rule.maxFailures) {
      entry.lockedUntil = now + this.rule.windowMs;
      entry.failures = [];
    }
    // Re-inserted at the end: the map's order is then least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A successful sign-in forgets the name's failures. */
  clear(key: string): void {
    this.entries.delete(key);
  }
}
