// Time spent by a station's machines in each state: one integrator for all states, so that the
// transient states of a hand-over (blocked, then starved, then working, all at one instant) cost
// a counter update and no arithmetic.
import type { Clock, Resettable } from '../engine/index.js';

export class StateTime implements Resettable {
  /** Machines in each state now. */
  readonly counts: Int32Array;
  private readonly area: Float64Array;
  private last: number;
  private start: number;

  constructor(
    private readonly clock: Clock,
    states: number,
  ) {
    this.counts = new Int32Array(states);
    this.area = new Float64Array(states);
    this.last = clock.now;
    this.start = clock.now;
  }

  /** `delta` machines enter `state` (negative: leave it). */
  add(state: number, delta: number): void {
    this.settle();
    this.counts[state]! += delta;
  }

  move(from: number, to: number): void {
    this.settle();
    this.counts[from]!--;
    this.counts[to]!++;
  }

  /** Time-averaged number of machines in `state` since the last reset; NaN over an empty interval. */
  mean(state: number): number {
    const now = this.clock.now;
    const span = now - this.start;
    return span > 0 ? (this.area[state]! + this.counts[state]! * (now - this.last)) / span : NaN;
  }

  /** Machine-seconds in `state` since the last reset. */
  total(state: number): number {
    return this.area[state]! + this.counts[state]! * (this.clock.now - this.last);
  }

  reset(): void {
    this.settle();
    this.area.fill(0);
    this.start = this.clock.now;
  }

  private settle(): void {
    const now = this.clock.now;
    if (now === this.last) return;
    const dt = now - this.last;
    const counts = this.counts;
    const area = this.area;
    for (let s = 0; s < counts.length; s++) area[s]! += counts[s]! * dt;
    this.last = now;
  }
}
