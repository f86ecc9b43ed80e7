// A store of items with a capacity (a buffer, a pallet rack): put blocks when full, get waits when empty.
import { SimParameterError } from './errors.js';
import { SimEvent } from './SimEvent.js';
import type { Simulation } from './Simulation.js';
import type { TimeWeighted } from './statistics.js';

/** A put waiting for space; triggers (with no value) when the item is in the store. */
export class StorePut<T> extends SimEvent<void> {
  constructor(
    sim: Simulation,
    readonly item: T,
  ) {
    super(sim);
  }
}

/**
 * First in, first out on both sides: items leave in the order they arrived and blocked putters and
 * waiting getters are served in the order they came. A blocked put is the upstream station's
 * "blocked" state; a waiting get is the downstream station's "starved" state.
 */
export class Store<T> {
  readonly capacity: number;
  /** Items held, time-weighted: the buffer's mean level. */
  readonly level: TimeWeighted;
  private readonly items: T[] = [];
  private itemsHead = 0;
  private readonly puts: StorePut<T>[] = [];
  private putsHead = 0;
  private readonly gets: SimEvent<T>[] = [];
  private getsHead = 0;

  constructor(
    readonly sim: Simulation,
    capacity = Infinity,
    readonly name = 'store',
  ) {
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new SimParameterError(
        'capacity',
        `${name}: capacity must be an integer >= 1 or Infinity, got ${capacity}`,
      );
    }
    this.capacity = capacity;
    this.level = sim.timeWeighted(0);
  }

  /** Items held now. */
  get size(): number {
    return this.items.length - this.itemsHead;
  }

  /** Putters blocked now. */
  get blockedPuts(): number {
    return this.puts.length - this.putsHead;
  }

  /** Getters waiting now. */
  get waitingGets(): number {
    return this.gets.length - this.getsHead;
  }

  put(item: T): StorePut<T> {
    const put = new StorePut(this.sim, item);
    this.puts.push(put);
    this.settle();
    return put;
  }

  /** An event that triggers with the next item. */
  get(): SimEvent<T> {
    const get = new SimEvent<T>(this.sim);
    this.gets.push(get);
    this.settle();
    return get;
  }

  /**
   * Withdraws a put or get that is still waiting (its process was interrupted, or gave up); true if
   * it was waiting. Without this a forgotten get would later swallow an item.
   */
  cancel(event: StorePut<T> | SimEvent<T>): boolean {
    if (event.triggered) return false;
    const [queue, head] = event instanceof StorePut ? [this.puts, this.putsHead] : [this.gets, this.getsHead];
    const index = (queue as SimEvent<unknown>[]).indexOf(event as SimEvent<unknown>, head);
    if (index < 0) return false;
    queue.splice(index, 1);
    // A withdrawn put may have been the one holding back others only by order: nothing else changes.
    return true;
  }

  /** Moves items from blocked putters in and out to waiting getters until neither can proceed. */
  private settle(): void {
    for (;;) {
      if (this.putsHead < this.puts.length && this.size < this.capacity) {
        const put = this.puts[this.putsHead++]!;
        this.items.push(put.item);
        put.succeed(undefined);
        continue;
      }
      if (this.getsHead < this.gets.length && this.size > 0) {
        const get = this.gets[this.getsHead++]!;
        get.succeed(this.items[this.itemsHead++]!);
        continue;
      }
      break;
    }
    this.level.set(this.size);
    this.compact();
  }

  /** Drops consumed heads once they dominate the arrays, keeping each operation O(1) amortised. */
  private compact(): void {
    if (this.itemsHead > 64 && this.itemsHead * 2 > this.items.length) {
      this.items.splice(0, this.itemsHead);
      this.itemsHead = 0;
    }
    if (this.putsHead > 64 && this.putsHead * 2 > this.puts.length) {
      this.puts.splice(0, this.putsHead);
      this.putsHead = 0;
    }
    if (this.getsHead > 64 && this.getsHead * 2 > this.gets.length) {
      this.gets.splice(0, this.getsHead);
      this.getsHead = 0;
    }
  }
}
