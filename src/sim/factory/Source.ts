// Releases units into the plant: random arrivals, an unlimited supply, or a fixed order list; variants by mix and batch.
import type { Distribution, Random } from '../engine/index.js';
import { FlowNode, type PlantContext } from './flow.js';
import type { OrderSpec } from './spec.js';
import type { Unit } from './Unit.js';

function arrive(source: Source): void {
  source.arrived();
}

function releaseOrder(source: Source): void {
  source.orderReleased();
}

export interface SourceOptions {
  readonly interarrival: Distribution | undefined;
  /** Multiplies the arrival rate. */
  readonly rate: number;
  readonly variants: readonly string[];
  /** Cumulative weights, last one 1. */
  readonly cumulative: readonly number[];
  readonly batch: number;
  readonly orders: readonly OrderSpec[] | undefined;
}

/**
 * Arrivals are demand: they queue here as a backlog (a count, so an overloaded plant costs no
 * memory) and each becomes a unit when the first node takes it. Lead time runs from that release.
 */
export class Source extends FlowNode {
  private next: Unit | undefined;
  /** The unit handed to a vehicle, until picked up. */
  private dispatched: Unit | undefined;
  private batchLeft = 0;
  private batchVariant = '';
  private orderNumber = 0;
  private orderName = '';
  /** Orders released and not finished: index into options.orders and units left of the current one. */
  private releasedOrders = 0;
  private orderIndex = 0;
  private orderLeft = 0;
  /** Arrived and not yet released. */
  backlog = 0;

  constructor(
    id: string,
    context: PlantContext,
    private readonly options: SourceOptions,
    private readonly random: Random,
  ) {
    super(id, context);
  }

  /** Schedules the first arrival or order release; call once when the model is wired. */
  start(): void {
    const { orders, interarrival } = this.options;
    const sim = this.context.sim;
    if (orders !== undefined) {
      if (orders.length > 0) this.orderLeft = orders[0]!.quantity;
      for (const order of orders) sim.scheduleAt(Math.max(sim.now, order.release), releaseOrder, this);
    } else if (interarrival !== undefined) {
      this.scheduleArrival();
    } else {
      sim.schedule(0, arrive, this);
    }
  }

  canAccept(): boolean {
    return false;
  }

  accept(): void {
    throw new Error(`source ${this.id} takes no units`);
  }

  arrived(): void {
    if (this.options.interarrival !== undefined) {
      this.backlog++;
      this.scheduleArrival();
    }
    this.wake();
  }

  orderReleased(): void {
    this.releasedOrders++;
    this.wake();
  }

  protected flush(): void {
    const unlimited = this.options.interarrival === undefined && this.options.orders === undefined;
    for (;;) {
      if (this.dispatched !== undefined) return;
      if (this.next === undefined) {
        if (this.options.orders !== undefined) this.next = this.nextOrderUnit();
        else if (unlimited || this.backlog > 0) this.next = this.makeUnit();
        if (this.next === undefined) return;
      }
      const unit = this.next;
      const link = this.pickLink(unit);
      if (link === undefined) return;
      this.next = undefined;
      if (!unlimited && this.options.orders === undefined) this.backlog--;
      this.context.release(unit);
      if (link.holds) this.dispatched = unit;
      link.send(unit);
    }
  }

  override pickedUp(unit: Unit): void {
    if (this.dispatched !== unit) throw new Error(`${unit.serial} is not waiting at source ${this.id}`);
    this.dispatched = undefined;
    this.wake();
  }

  private scheduleArrival(): void {
    const delay = this.options.interarrival!.sample(this.random) / this.options.rate;
    this.context.sim.schedule(Math.max(0, delay), arrive, this);
  }

  private makeUnit(): Unit {
    if (this.batchLeft === 0) {
      this.batchLeft = this.options.batch;
      this.batchVariant = this.pickVariant();
      this.orderName = `${this.id}#${++this.orderNumber}`;
    }
    this.batchLeft--;
    return this.context.newUnit(this.batchVariant, this.orderName);
  }

  private nextOrderUnit(): Unit | undefined {
    const orders = this.options.orders!;
    while (this.orderIndex < this.releasedOrders && this.orderLeft === 0) {
      this.orderIndex++;
      if (this.orderIndex < orders.length) this.orderLeft = orders[this.orderIndex]!.quantity;
    }
    if (this.orderIndex >= this.releasedOrders || this.orderLeft === 0) return undefined;
    const order = orders[this.orderIndex]!;
    this.orderLeft--;
    return this.context.newUnit(order.variant, order.id);
  }

  private pickVariant(): string {
    const { variants, cumulative } = this.options;
    if (variants.length === 1) return variants[0]!;
    const u = this.random.next();
    for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return variants[i]!;
    return variants[variants.length - 1]!;
  }
}
