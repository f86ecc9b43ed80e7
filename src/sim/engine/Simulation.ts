// The simulation clock and event calendar: schedule callbacks or start processes, then run until a time.
import { SimModelError } from './errors.js';
import { EventQueue, type EventHandler } from './event-queue.js';
import { Process, type ProcessGenerator } from './Process.js';
import { SimEvent } from './SimEvent.js';
import { Tally, TimeWeighted, type Clock, type Resettable } from './statistics.js';

function succeedTimeout(event: SimEvent<unknown>): void {
  // The value was stashed on the event at creation; triggering now delivers it.
  event.succeed((event as TimeoutEvent<unknown>).pendingValue);
}

class TimeoutEvent<T> extends SimEvent<T> {
  constructor(
    sim: Simulation,
    readonly pendingValue: T,
  ) {
    super(sim);
  }
}

/**
 * Time is a plain number in whatever unit the model chooses (the factory library uses seconds).
 * Nothing here reads a wall clock or Math.random: a run is a function of the model and its seeds.
 */
export class Simulation implements Clock {
  /** The current simulated time. */
  now = 0;
  /** Events run so far, over all calls to run(). */
  eventsProcessed = 0;
  private readonly queue = new EventQueue();
  private readonly cancelled = new Set<number>();
  private readonly statistics: Resettable[] = [];
  private stopRequested = false;

  constructor(startTime = 0) {
    if (!Number.isFinite(startTime)) {
      throw new SimModelError('IMV_SIM_DELAY_INVALID', `start time must be finite, got ${startTime}`);
    }
    this.now = startTime;
  }

  /** Events waiting in the calendar (cancelled ones included until their time comes). */
  get pending(): number {
    return this.queue.size;
  }

  /** Time of the next event, Infinity when there is none. */
  peek(): number {
    return this.queue.peekTime();
  }

  /**
   * Calls `handler(payload)` after `delay`. Passing the entity as payload to a shared handler
   * instead of a fresh closure keeps the hot path free of allocation. Returns an id for cancel().
   */
  schedule(delay: number, handler: EventHandler<undefined>): number;
  schedule<P>(delay: number, handler: EventHandler<P>, payload: P): number;
  schedule<P>(delay: number, handler: EventHandler<P>, payload?: P): number {
    if (!(delay >= 0 && delay < Infinity)) {
      throw new SimModelError(
        'IMV_SIM_DELAY_INVALID',
        `cannot schedule an event at delay ${delay}; delays are finite and >= 0`,
      );
    }
    return this.queue.push(this.now + delay, handler, payload as P);
  }

  /** Calls `handler(payload)` at the absolute time `time` (not before now). */
  scheduleAt(time: number, handler: EventHandler<undefined>): number;
  scheduleAt<P>(time: number, handler: EventHandler<P>, payload: P): number;
  scheduleAt<P>(time: number, handler: EventHandler<P>, payload?: P): number {
    if (!(time >= this.now && time < Infinity)) {
      throw new SimModelError(
        'IMV_SIM_DELAY_INVALID',
        `cannot schedule an event at time ${time}; now is ${this.now}`,
      );
    }
    return this.queue.push(time, handler, payload as P);
  }

  /** Cancels a scheduled event that has not run yet. Cancelling one that has run is a model error left unchecked. */
  cancel(id: number): void {
    this.cancelled.add(id);
  }

  /**
   * Runs events in time order up to and including `until`, then sets the clock to `until` (if
   * finite) so statistics cover the whole horizon. Returns the number of events run.
   */
  run(until = Infinity): number {
    if (!(until >= this.now)) {
      throw new SimModelError('IMV_SIM_DELAY_INVALID', `cannot run until ${until}; now is ${this.now}`);
    }
    const queue = this.queue;
    const cancelled = this.cancelled;
    this.stopRequested = false;
    let count = 0;
    try {
      while (queue.size > 0 && queue.peekTime() <= until) {
        queue.pop();
        if (cancelled.size > 0 && cancelled.delete(queue.poppedSeq)) continue;
        this.now = queue.poppedTime;
        count++;
        queue.poppedHandler!(queue.poppedPayload);
        if (this.stopRequested) return count;
      }
      if (until !== Infinity) this.now = until;
      return count;
    } finally {
      this.eventsProcessed += count;
    }
  }

  /** Makes run() return after the event being processed. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Starts a process now (its first step runs after the events already due at this time). */
  process<R>(body: ProcessGenerator<R> | (() => ProcessGenerator<R>)): Process<R> {
    return new Process<R>(this, typeof body === 'function' ? body() : body);
  }

  /** A new untriggered event: trigger it with succeed(value). */
  event<T = void>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that triggers with `value` after `delay`. A process waiting only on time should just `yield delay`. */
  timeout<T = undefined>(delay: number, value?: T): SimEvent<T> {
    const event = new TimeoutEvent<T>(this, value as T);
    this.schedule(delay, succeedTimeout, event as SimEvent<unknown>);
    return event;
  }

  /** Registers a statistic so that resetStatistics() (the end of warm-up) resets it. */
  track<S extends Resettable>(statistic: S): S {
    this.statistics.push(statistic);
    return statistic;
  }

  /** A registered time-weighted statistic on this clock. */
  timeWeighted(initial = 0): TimeWeighted {
    return this.track(new TimeWeighted(this, initial));
  }

  /** A registered tally. */
  tally(): Tally {
    return this.track(new Tally());
  }

  /** Forgets everything the registered statistics saw so far: call at the end of the warm-up period. */
  resetStatistics(): void {
    for (const statistic of this.statistics) statistic.reset();
  }
}
