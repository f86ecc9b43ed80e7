// The event calendar: a binary min-heap on parallel typed arrays, ordered by time, then insertion order.

export type EventHandler<P = unknown> = (payload: P) => void;

const INITIAL_CAPACITY = 1024;

/**
 * Ties on time are broken by a sequence number that only grows, so equal-time events run in the
 * order they were scheduled and a run is reproducible to the bit. Entries are moved into a hole
 * rather than swapped, and nothing is allocated per event once the arrays have grown.
 */
export class EventQueue {
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private handlers: (EventHandler | undefined)[] = new Array<EventHandler | undefined>(INITIAL_CAPACITY);
  private payloads: unknown[] = new Array<unknown>(INITIAL_CAPACITY);
  private count = 0;
  private nextSeq = 0;

  /** Set by pop(): the event just removed. Fields rather than a returned object, to allocate nothing. */
  poppedTime = 0;
  poppedSeq = 0;
  poppedHandler: EventHandler | undefined = undefined;
  poppedPayload: unknown = undefined;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0]! : Infinity;
  }

  /** Adds an event; returns its sequence number, which identifies it. */
  push<P>(time: number, handler: EventHandler<P>, payload: P): number {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const handlers = this.handlers;
    const payloads = this.payloads;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      // seq is larger than every stored one, so only a strictly later parent moves down.
      if (pt <= time) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      handlers[i] = handlers[parent];
      payloads[i] = payloads[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    handlers[i] = handler as EventHandler;
    payloads[i] = payload;
    return seq;
  }

  /** Removes the earliest event into the popped* fields; false when empty. */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    const handlers = this.handlers;
    const payloads = this.payloads;
    this.poppedTime = times[0]!;
    this.poppedSeq = seqs[0]!;
    this.poppedHandler = handlers[0];
    this.poppedPayload = payloads[0];
    const last = n - 1;
    this.count = last;
    if (last > 0) {
      const t = times[last]!;
      const s = seqs[last]!;
      const h = handlers[last];
      const p = payloads[last];
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= last) break;
        const right = child + 1;
        if (right < last) {
          const ct = times[child]!;
          const rt = times[right]!;
          if (rt < ct || (rt === ct && seqs[right]! < seqs[child]!)) child = right;
        }
        const ct = times[child]!;
        if (ct > t || (ct === t && seqs[child]! > s)) break;
        times[i] = ct;
        seqs[i] = seqs[child]!;
        handlers[i] = handlers[child];
        payloads[i] = payloads[child];
        i = child;
      }
      times[i] = t;
      seqs[i] = s;
      handlers[i] = h;
      payloads[i] = p;
    }
    // Drop references so finished entities can be collected.
    handlers[last] = undefined;
    payloads[last] = undefined;
    return true;
  }

  clear(): void {
    this.handlers.fill(undefined, 0, this.count);
    this.payloads.fill(undefined, 0, this.count);
    this.count = 0;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.handlers.length = capacity;
    this.payloads.length = capacity;
  }
}
