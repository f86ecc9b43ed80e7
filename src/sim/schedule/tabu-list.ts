// The tabu list of the search: machine orderings a recent move undid, forbidden to come back.

/**
 * A move of operation u past operations x₁…x_k on its machine undoes the orderings "u before xᵢ"
 * (or "xᵢ before u"); those may not be restored for a tenure. A move is tabu when it would restore
 * any ordering still forbidden. Pairs are kept in a flat n × n table of iteration numbers while
 * that stays small, else in a map.
 */
export class OrderTabuList {
  private readonly table: Int32Array | undefined;
  private readonly map: Map<number, number> | undefined;

  constructor(private readonly n: number) {
    if (n * n <= 1 << 24) this.table = new Int32Array(n * n);
    else this.map = new Map();
  }

  /** Whether moving `order[from]` to position `to` restores an ordering forbidden at `now`. */
  isTabu(order: Int32Array, from: number, to: number, now: number): boolean {
    const op = order[from]!;
    if (from < to) {
      for (let p = from + 1; p <= to; p++) if (this.forbiddenUntil(order[p]!, op) > now) return true;
    } else {
      for (let p = to; p < from; p++) if (this.forbiddenUntil(op, order[p]!) > now) return true;
    }
    return false;
  }

  /** Call before making the move `from → to`: forbids undoing it until iteration `until`. */
  record(order: Int32Array, from: number, to: number, until: number): void {
    const op = order[from]!;
    if (from < to) {
      for (let p = from + 1; p <= to; p++) this.forbid(op, order[p]!, until);
    } else {
      for (let p = to; p < from; p++) this.forbid(order[p]!, op, until);
    }
  }

  /** Forbids the move `from → to` itself (the orderings it would make) until iteration `until`. */
  forbidMove(order: Int32Array, from: number, to: number, until: number): void {
    const op = order[from]!;
    if (from < to) {
      for (let p = from + 1; p <= to; p++) this.forbid(order[p]!, op, until);
    } else {
      for (let p = to; p < from; p++) this.forbid(op, order[p]!, until);
    }
  }

  clear(): void {
    this.table?.fill(0);
    this.map?.clear();
  }

  /** Iteration until which "first before second" may not be restored. */
  private forbiddenUntil(first: number, second: number): number {
    const key = first * this.n + second;
    return this.table !== undefined ? this.table[key]! : (this.map!.get(key) ?? 0);
  }

  private forbid(first: number, second: number, until: number): void {
    const key = first * this.n + second;
    if (this.table !== undefined) this.table[key] = until;
    else this.map!.set(key, until);
  }
}
