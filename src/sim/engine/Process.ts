// Generator-based processes: a model entity written as straight-line code that yields delays and events.
import { ImverseError } from '../../core/errors.js';
import { SimModelError } from './errors.js';
import { SimEvent } from './SimEvent.js';
import type { Simulation } from './Simulation.js';

/** What a process may yield: a delay (a number ≥ 0) or an event to wait for. */
export type Yieldable = number | SimEvent<unknown>;

/** The body of a process. `yield` returns the value of the event waited for (undefined after a delay). */
export type ProcessGenerator<R = void> = Generator<Yieldable, R, unknown>;

/** Thrown into a process at the yield it is waiting on when another party interrupts it (a breakdown, a recall). */
export class Interrupt extends ImverseError {
  override readonly name = 'Interrupt';
  constructor(readonly reason: unknown) {
    super('IMV_SIM_PROCESS_INTERRUPTED', `process interrupted: ${String(reason)}`);
  }
}

export function isInterrupt(value: unknown): value is Interrupt {
  return value instanceof Interrupt;
}

function wake(process: Process<unknown>): void {
  process.wake();
}

function start(process: Process<unknown>): void {
  process.resume(undefined);
}

interface PendingInterrupt {
  readonly process: Process<unknown>;
  readonly reason: unknown;
}

function deliverInterrupt(pending: PendingInterrupt): void {
  pending.process.deliverInterrupt(pending.reason);
}

/**
 * A running generator. It is itself an event that triggers with the generator's return value, so
 * one process can wait for another (`yield child`). A delay schedules the process object itself
 * as the payload of a module-level handler, so waiting allocates nothing.
 */
export class Process<R = unknown> extends SimEvent<R> {
  private readonly generator: ProcessGenerator<R>;
  private waitingOn: SimEvent<unknown> | null = null;
  private timeoutId = -1;
  private readonly onEvent = (event: SimEvent<unknown>): void => {
    this.waitingOn = null;
    this.resume(event.value);
  };

  constructor(sim: Simulation, generator: ProcessGenerator<R>) {
    super(sim);
    this.generator = generator;
    sim.schedule(0, start, this as Process<unknown>);
  }

  get isAlive(): boolean {
    return !this.triggered;
  }

  /**
   * Throws an Interrupt into the process at the current time, after the events already due now;
   * whatever it was waiting for is forgotten (a request it made stays queued: release it in the catch).
   */
  interrupt(reason?: unknown): void {
    if (this.triggered) return;
    this.sim.schedule(0, deliverInterrupt, { process: this as Process<unknown>, reason });
  }

  /** @internal */
  wake(): void {
    this.timeoutId = -1;
    this.resume(undefined);
  }

  /** @internal */
  deliverInterrupt(reason: unknown): void {
    if (this.triggered) return;
    if (this.timeoutId >= 0) {
      this.sim.cancel(this.timeoutId);
      this.timeoutId = -1;
    }
    if (this.waitingOn !== null) {
      this.waitingOn.removeCallback(this.onEvent);
      this.waitingOn = null;
    }
    this.advance(this.generator.throw(new Interrupt(reason)));
  }

  /** @internal Sends a value in at the pending yield and runs to the next wait. */
  resume(value: unknown): void {
    this.advance(this.generator.next(value));
  }

  private advance(first: IteratorResult<Yieldable, R>): void {
    let step = first;
    for (;;) {
      if (step.done === true) {
        this.succeed(step.value);
        return;
      }
      const yielded = step.value;
      if (typeof yielded === 'number') {
        if (!(yielded >= 0 && yielded < Infinity)) {
          step = this.generator.throw(
            new SimModelError(
              'IMV_SIM_DELAY_INVALID',
              `a process yielded the delay ${yielded}; delays are finite and >= 0`,
            ),
          );
          continue;
        }
        this.timeoutId = this.sim.schedule(yielded, wake, this as Process<unknown>);
        return;
      }
      if (yielded instanceof SimEvent) {
        // An event that has already happened (a free machine, a full store) costs no calendar trip.
        if (yielded.triggered) {
          step = this.generator.next(yielded.value);
          continue;
        }
        this.waitingOn = yielded;
        yielded.onTrigger(this.onEvent);
        return;
      }
      step = this.generator.throw(
        new SimModelError(
          'IMV_SIM_PROCESS_YIELD_INVALID',
          `a process yielded ${typeof yielded}; yield a delay (number) or a simulation event`,
        ),
      );
    }
  }
}
