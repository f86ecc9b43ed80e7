// The event bus port: everything that changes is published here; stores, history, AI and the
// live gateway subscribe. The embedded default is in-process (memory-bus.ts).
import type { EventType, ImverseEvent } from '../core/wire.js';

export type EventHandler = (event: ImverseEvent) => void;

export interface SubscriptionOptions {
  /** Only these types; all when absent. */
  readonly types?: readonly EventType[];
}

export interface EventBus {
  publish(events: readonly ImverseEvent[]): Promise<void>;
  /** Returns the function that ends the subscription. */
  subscribe(handler: EventHandler, options?: SubscriptionOptions): () => void;
  close(): Promise<void>;
}
