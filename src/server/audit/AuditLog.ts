// The audit log's use case: every security event on the bus becomes a record of the hash chain;
// refusals and failures, which outsiders can cause at will, go through the coalescer first.
import type { EventBus } from '../../bus/bus.js';
import { SECURITY_EVENT_TYPES, type ImverseEvent, type SecurityEventData } from '../../core/wire.js';
import type { AuditEntry, AuditRecord, ChainHead } from './chain.js';
import { auditEntry } from './entry.js';
import { RefusalCoalescer, type CoalescingLimits } from './refusal-coalescer.js';
import type { AuditQuery, SqliteAuditStore } from './sqlite-store.js';

export interface AuditLogOptions extends CoalescingLimits {
  /** Called when a record cannot be written (a full disk): the caller goes on, so say it loudly. */
  readonly onError: (error: unknown, entry: AuditEntry) => void;
  readonly now?: () => number;
}

export class AuditLog {
  readonly #coalescer: RefusalCoalescer;
  readonly #now: () => number;
  readonly #onError: (error: unknown, entry: AuditEntry) => void;
  #unsubscribe: (() => void) | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly store: SqliteAuditStore,
    options: AuditLogOptions,
  ) {
    this.#coalescer = new RefusalCoalescer(options);
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
    // Counts of closed windows are written even when no further refusal comes to trigger it.
    this.#timer = setInterval(
      () => this.#write(this.#coalescer.expire(this.#now())),
      Math.min(options.windowMs, 10_000),
    );
    this.#timer.unref();
  }

  /** Records every security event published on `bus` from now on, until close. */
  subscribe(bus: EventBus): void {
    this.#unsubscribe = bus.subscribe((event) => this.record(event as ImverseEvent<SecurityEventData>), {
      types: Object.values(SECURITY_EVENT_TYPES),
    });
  }

  /** Appends the event (or counts it into an open window), durably, before returning. */
  record(event: ImverseEvent<Partial<SecurityEventData>>): void {
    const now = this.#now();
    const entry = auditEntry(event.data ?? {}, now);
    this.#write(entry.result === 'ok' ? [entry] : this.#coalescer.admit(entry, now));
  }

  list(query: AuditQuery): AuditRecord[] {
    return this.store.list(query);
  }

  get head(): ChainHead {
    return this.store.head;
  }

  /** Writes the counts still open, then stops recording. */
  close(): void {
    this.#unsubscribe?.();
    clearInterval(this.#timer);
    this.#write(this.#coalescer.expire(this.#now(), { all: true }));
    this.store.close();
  }

  #write(entries: readonly AuditEntry[]): void {
    for (const entry of entries) {
      try {
        this.store.append(entry);
      } catch (error) {
        this.#onError(error, entry);
      }
    }
  }
}
