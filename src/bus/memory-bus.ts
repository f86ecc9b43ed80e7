// In-process bus: delivers each event synchronously, in order, to every matching subscriber.
import type { EventBus, EventHandler, SubscriptionOptions } from './bus.js';
import type { EventType, ImverseEvent } from '../core/wire.js';

interface Subscriber {
  readonly handler: EventHandler;
  readonly types: ReadonlySet<EventType> | undefined;
}

export class MemoryBus implements EventBus {
  private readonly subscribers = new Set<Subscriber>();
  private closed = false;

  /** Called when a subscriber throws: one bad subscriber must not stop the others. */
  constructor(private readonly onHandlerError: (error: unknown, event: ImverseEvent) => void = () => {}) {}

  async publish(events: readonly ImverseEvent[]): Promise<void> {
    if (this.closed) return;
    for (const event of events) {
      for (const subscriber of this.subscribers) {
        if (subscriber.types !== undefined && !subscriber.types.has(event.type)) continue;
        try {
          subscriber.handler(event);
        } catch (error) {
          this.onHandlerError(error, event);
        }
      }
    }
  }

  subscribe(handler: EventHandler, options: SubscriptionOptions = {}): () => void {
    const subscriber: Subscriber = { handler, types: options.types ? new Set(options.types) : undefined };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
  }
}
