// The hand-over protocol between plant nodes: links, room reservations and the wake-up on freed room.
import type { Simulation, Tally, TimeWeighted } from '../engine/index.js';
import type { PlantObserver } from './observer.js';
import { Unit, unitSerial } from './Unit.js';

/** Shared by every node of one model: the clock, the observer and the plant-wide counters. */
export class PlantContext {
  created = 0;
  completed = 0;
  scrapped = 0;
  /** Parts that went into an assembly and live on inside another unit. */
  consumed = 0;
  readonly wip: TimeWeighted;
  readonly leadTime: Tally;
  private readonly serials = new Map<string, number>();

  constructor(
    readonly sim: Simulation,
    readonly prefix: string,
    readonly observer: PlantObserver | undefined,
    readonly trackRoutes: boolean,
  ) {
    this.wip = sim.timeWeighted(0);
    this.leadTime = sim.tally();
  }

  /** A new unit, not yet counted: release() counts it when it enters the plant. */
  newUnit(variant: string, order: string): Unit {
    const n = (this.serials.get(variant) ?? 0) + 1;
    this.serials.set(variant, n);
    return new Unit(unitSerial(this.prefix, variant, n), variant, order, this.sim.now, this.trackRoutes);
  }

  release(unit: Unit): void {
    unit.created = this.sim.now;
    this.created++;
    this.wip.add(1);
    this.observer?.unitCreated?.(unit, this.sim.now);
  }
}

/** Carries a unit from one node to the next: at once (direct), after a delay (forklift) or by the AGV fleet. */
export interface Carrier {
  /** True when the unit stays at the sending node until picked up (the node then hears pickedUp). */
  readonly holds: boolean;
  carry(unit: Unit, link: Link): void;
}

export class Link {
  private carrierValue: Carrier | undefined;
  /** Whether the unit stays at the sender until picked up: a field, read on every hand-over. */
  holds = false;

  constructor(
    readonly from: FlowNode,
    readonly to: FlowNode,
    /** undefined: every variant. */
    readonly variants: ReadonlySet<string> | undefined,
  ) {}

  open(unit: Unit): boolean {
    return (
      (this.variants === undefined || this.variants.has(unit.variant)) && this.to.canAccept(unit, this.from)
    );
  }

  /** Call after open() and after the sender has let go of the unit (unless the carrier holds). */
  send(unit: Unit): void {
    if (this.carrierValue === undefined) this.to.accept(unit, this.from);
    else this.carrierValue.carry(unit, this);
  }

  get carrier(): Carrier | undefined {
    return this.carrierValue;
  }

  set carrier(carrier: Carrier | undefined) {
    this.carrierValue = carrier;
    this.holds = carrier?.holds === true;
  }
}

/**
 * A node that holds units. Freeing room wakes the nodes upstream, which then push; pushes and
 * wake-ups nest through a line, so wake() defers a re-entrant call to a second pass of its loop.
 */
export abstract class FlowNode {
  readonly inputs: FlowNode[] = [];
  readonly outputs: Link[] = [];
  /** Room promised to units on their way (by AGV or forklift). */
  reserved = 0;
  private waking = false;
  private again = false;

  constructor(
    readonly id: string,
    protected readonly context: PlantContext,
  ) {}

  abstract canAccept(unit: Unit, from: FlowNode): boolean;
  abstract accept(unit: Unit, from: FlowNode): void;
  /** Sends what can be sent; called through wake(). */
  protected abstract flush(): void;

  /** A carrier that holds units took this one away. */
  pickedUp(unit: Unit): void {
    throw new Error(`${this.id} cannot hand ${unit.serial} to a vehicle`);
  }

  wake(): void {
    if (this.waking) {
      this.again = true;
      return;
    }
    // No try/finally: an exception here is a bug that ends the run anyway.
    this.waking = true;
    do {
      this.again = false;
      this.flush();
    } while (this.again);
    this.waking = false;
  }

  protected wakeInputs(): void {
    const inputs = this.inputs;
    for (let i = 0; i < inputs.length; i++) inputs[i]!.wake();
  }

  /** The first output that takes the unit now. */
  protected pickLink(unit: Unit): Link | undefined {
    const outputs = this.outputs;
    for (let i = 0; i < outputs.length; i++) if (outputs[i]!.open(unit)) return outputs[i];
    return undefined;
  }
}
