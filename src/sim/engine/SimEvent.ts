// A one-shot simulation event that processes wait for and callbacks subscribe to.
import { SimModelError } from './errors.js';
import type { Simulation } from './Simulation.js';

/**
 * Declared through a method so its parameter is bivariant: a SimEvent<Request> must pass where a
 * SimEvent<unknown> is expected (a process yields any event), which a plain function type forbids.
 */
export type EventCallback<T> = { bivarianceHack(event: SimEvent<T>): void }['bivarianceHack'];

function dispatch(event: SimEvent<unknown>): void {
  event.dispatch();
}

/**
 * Triggering schedules the callbacks at the current time instead of calling them at once, as SimPy
 * does: a releasing process never runs a waiting process inside its own step, so no generator is
 * re-entered and the order of same-time work is the calendar's insertion order.
 */
export class SimEvent<T = unknown> {
  triggered = false;
  private result: T | undefined = undefined;
  private callbacks: EventCallback<T>[] | null = null;
  private dispatchScheduled = false;

  constructor(readonly sim: Simulation) {}

  /** The value it was triggered with; undefined before. */
  get value(): T {
    return this.result as T;
  }

  succeed(value: T): this {
    if (this.triggered) {
      throw new SimModelError(
        'IMV_SIM_EVENT_ALREADY_TRIGGERED',
        'this simulation event has already been triggered',
      );
    }
    this.triggered = true;
    this.result = value;
    if (this.callbacks !== null) this.scheduleDispatch();
    return this;
  }

  /** Calls `callback` once the event has triggered (at the simulated time it triggers, or now if it has). */
  onTrigger(callback: EventCallback<T>): void {
    if (this.callbacks === null) this.callbacks = [callback];
    else this.callbacks.push(callback);
    if (this.triggered) this.scheduleDispatch();
  }

  /** Unsubscribes a callback that has not run yet; true if it was found. */
  removeCallback(callback: EventCallback<T>): boolean {
    const callbacks = this.callbacks;
    if (callbacks === null) return false;
    const index = callbacks.indexOf(callback);
    if (index < 0) return false;
    callbacks.splice(index, 1);
    return true;
  }

  /** @internal Run by the calendar. */
  dispatch(): void {
    this.dispatchScheduled = false;
    const callbacks = this.callbacks;
    this.callbacks = null;
    if (callbacks === null) return;
    for (let i = 0; i < callbacks.length; i++) callbacks[i]!(this);
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    this.sim.schedule(0, dispatch, this as SimEvent<unknown>);
  }
}
