// An accumulating conveyor: units travel length/speed, keep a pitch apart, and queue up when the end is blocked.
import { FlowNode, type PlantContext } from './flow.js';
import type { Unit } from './Unit.js';
import { UnitQueue } from './UnitQueue.js';

function headArrived(conveyor: Conveyor): void {
  conveyor.headScheduled = false;
  conveyor.wake();
}

export class Conveyor extends FlowNode {
  private readonly queue = new UnitQueue();
  /** Time each unit reaches the end, parallel to the queue. */
  private readonly readyAt: number[] = [];
  private readyHead = 0;
  /** Whether an event for the head's arrival is in the calendar. */
  headScheduled = false;
  readonly capacity: number;
  readonly transit: number;
  /** Seconds between two units at the end: one pitch at speed. */
  private readonly gap: number;
  private lastReady = -Infinity;
  readonly level;

  constructor(id: string, context: PlantContext, length: number, speed: number, pitch: number) {
    super(id, context);
    this.capacity = Math.max(1, Math.floor(length / pitch + 1e-9));
    this.transit = length / speed;
    this.gap = pitch / speed;
    this.level = context.sim.timeWeighted(0);
  }

  canAccept(): boolean {
    return this.queue.length + this.reserved < this.capacity;
  }

  accept(unit: Unit): void {
    const now = this.context.sim.now;
    const ready = Math.max(now + this.transit, this.lastReady + this.gap);
    this.lastReady = ready;
    this.queue.push(unit);
    this.readyAt.push(ready);
    this.level.set(this.queue.length);
    if (this.queue.length === 1) this.armHead();
  }

  protected flush(): void {
    let freed = false;
    const sim = this.context.sim;
    while (this.queue.length > 0) {
      if (this.readyAt[this.readyHead]! > sim.now) {
        this.armHead();
        break;
      }
      const unit = this.queue.at(0)!;
      const link = this.pickLink(unit);
      if (link === undefined) break;
      this.queue.removeAt(0);
      this.readyHead++;
      if (this.readyHead === this.readyAt.length) {
        this.readyAt.length = 0;
        this.readyHead = 0;
      } else {
        // Units that waited behind the head move up by one pitch before they can leave.
        const next = this.readyAt[this.readyHead]!;
        if (next < sim.now + this.gap) this.readyAt[this.readyHead] = sim.now + this.gap;
        if (this.readyHead > 256) {
          this.readyAt.splice(0, this.readyHead);
          this.readyHead = 0;
        }
      }
      this.level.set(this.queue.length);
      freed = true;
      link.send(unit);
    }
    if (freed) this.wakeInputs();
  }

  /**
   * Schedules the head's arrival, unless the next node is full now: then its wake-up when room
   * frees comes first and arms the head, which saves an event per unit on a busy line.
   */
  private armHead(): void {
    if (this.headScheduled || this.queue.length === 0) return;
    if (this.pickLink(this.queue.at(0)!) === undefined) return;
    this.headScheduled = true;
    const sim = this.context.sim;
    sim.schedule(Math.max(0, this.readyAt[this.readyHead]! - sim.now), headArrived, this);
  }
}
