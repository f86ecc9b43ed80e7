// A FIFO buffer with a capacity; capacity 0 hands each unit straight on, and blocks the sender when it cannot.
import type { TimeWeighted } from '../engine/index.js';
import { FlowNode, type PlantContext } from './flow.js';
import type { Unit } from './Unit.js';
import { UnitQueue } from './UnitQueue.js';

export class Buffer extends FlowNode {
  private readonly queue = new UnitQueue();
  /** Head units handed to a vehicle and waiting for pickup: still here, not sendable again. */
  private dispatched = 0;
  readonly level: TimeWeighted;

  constructor(
    id: string,
    context: PlantContext,
    /** Infinity for unlimited. */
    public capacity: number,
  ) {
    super(id, context);
    this.level = context.sim.timeWeighted(0);
  }

  canAccept(unit: Unit): boolean {
    if (this.capacity === 0) return this.queue.length === 0 && this.pickLink(unit) !== undefined;
    return this.queue.length + this.reserved < this.capacity;
  }

  accept(unit: Unit): void {
    this.queue.push(unit);
    this.changed();
    this.wake();
  }

  protected flush(): void {
    let freed = false;
    while (this.dispatched < this.queue.length) {
      const unit = this.queue.at(this.dispatched)!;
      const link = this.pickLink(unit);
      if (link === undefined) break;
      if (link.holds) {
        this.dispatched++;
      } else {
        this.queue.removeAt(this.dispatched);
        this.changed();
        freed = true;
      }
      link.send(unit);
    }
    // A zero buffer has room exactly when the next node has: pass its wake-up on.
    if (freed || this.capacity === 0) this.wakeInputs();
  }

  override pickedUp(unit: Unit): void {
    const index = this.queue.indexOf(unit);
    if (index < 0) throw new Error(`${unit.serial} is not in buffer ${this.id}`);
    this.queue.removeAt(index);
    this.dispatched--;
    this.changed();
    this.wakeInputs();
  }

  get count(): number {
    return this.queue.length;
  }

  private changed(): void {
    const level = this.queue.length;
    this.level.set(level);
    const observer = this.context.observer;
    if (observer?.bufferLevel !== undefined) observer.bufferLevel(this.id, level, this.context.sim.now);
  }
}
