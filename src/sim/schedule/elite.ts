// The elite pool of the search: the best distinct schedules found, to restart from when stuck.

/**
 * Keeps up to `capacity` machine orders with their makespans, best first, none twice. Restarting
 * from these rather than from the single best is what Nowicki and Smutnicki's i-TSAB and most good
 * tabu searches since do: a stuck search goes back to a promising region, not the same valley.
 */
export class ElitePool {
  private readonly orders: Int32Array[] = [];
  private readonly makespans: number[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.orders.length;
  }

  /** Offers a schedule; kept when better than the worst kept, or while there is room. */
  offer(order: Int32Array, makespan: number): void {
    if (this.orders.length === this.capacity && makespan >= this.makespans.at(-1)!) return;
    for (let i = 0; i < this.orders.length; i++) {
      if (this.makespans[i] === makespan && equal(this.orders[i]!, order)) return;
    }
    let at = this.orders.length;
    while (at > 0 && this.makespans[at - 1]! > makespan) at--;
    this.orders.splice(at, 0, order.slice());
    this.makespans.splice(at, 0, makespan);
    if (this.orders.length > this.capacity) {
      this.orders.pop();
      this.makespans.pop();
    }
  }

  /** The order at rank `index` (0 = best). */
  order(index: number): Int32Array {
    return this.orders[index]!;
  }
}

function equal(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
