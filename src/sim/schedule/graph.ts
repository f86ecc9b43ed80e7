// The disjunctive graph of a job shop in typed arrays, with longest-path heads, tails and critical path.
import type { JobShopInstance, Schedule } from './instance.js';

/**
 * Operations are numbered job by job. A solution is one order per machine, held in `order`:
 * machine m's operations sit in `order[machineStart[m] .. machineStart[m + 1])`, and `position`
 * is the inverse, so machine neighbours are one array read away.
 */
export class DisjunctiveGraph {
  readonly size: number;
  readonly duration: Int32Array;
  readonly machine: Int32Array;
  readonly jobPred: Int32Array;
  readonly jobSucc: Int32Array;
  /** Earliest start of each operation from its job's release (only first operations have one). */
  readonly release: Float64Array;
  readonly machineStart: Int32Array;
  readonly order: Int32Array;
  readonly position: Int32Array;
  /** Longest path from the source to each operation: its earliest start. */
  readonly head: Float64Array;
  /** Longest path from the end of each operation to the sink. */
  readonly tail: Float64Array;
  /** First operation id of each job. */
  readonly jobFirst: Int32Array;
  private readonly indegree: Int32Array;
  private readonly topo: Int32Array;

  constructor(instance: JobShopInstance) {
    const n = instance.jobs.reduce((sum, job) => sum + job.operations.length, 0);
    const m = instance.machines;
    this.size = n;
    this.duration = new Int32Array(n);
    this.machine = new Int32Array(n);
    this.jobPred = new Int32Array(n).fill(-1);
    this.jobSucc = new Int32Array(n).fill(-1);
    this.release = new Float64Array(n);
    this.jobFirst = new Int32Array(instance.jobs.length);
    this.machineStart = new Int32Array(m + 1);
    this.order = new Int32Array(n);
    this.position = new Int32Array(n);
    this.head = new Float64Array(n);
    this.tail = new Float64Array(n);
    this.indegree = new Int32Array(n);
    this.topo = new Int32Array(n);
    let id = 0;
    instance.jobs.forEach((job, j) => {
      this.jobFirst[j] = id;
      this.release[id] = job.release ?? 0;
      job.operations.forEach((op, k) => {
        this.duration[id] = op.duration;
        this.machine[id] = op.machine;
        if (k > 0) {
          this.jobPred[id] = id - 1;
          this.jobSucc[id - 1] = id;
        }
        this.machineStart[op.machine + 1]!++;
        id++;
      });
    });
    for (let k = 0; k < m; k++) this.machineStart[k + 1]! += this.machineStart[k]!;
  }

  machinePred(op: number): number {
    const p = this.position[op]!;
    return p > this.machineStart[this.machine[op]!]! ? this.order[p - 1]! : -1;
  }

  machineSucc(op: number): number {
    const p = this.position[op]!;
    return p + 1 < this.machineStart[this.machine[op]! + 1]! ? this.order[p + 1]! : -1;
  }

  /** Sets the machine orders from a feasible schedule: each machine's operations by start time. */
  setOrderFromSchedule(instance: JobShopInstance, schedule: Schedule): void {
    const start = new Float64Array(this.size);
    instance.jobs.forEach((job, j) => {
      job.operations.forEach((_, k) => {
        start[this.jobFirst[j]! + k] = schedule.starts[j]![k]!;
      });
    });
    const ids = Array.from({ length: this.size }, (_, i) => i);
    // Zero-length operations can share a start with the next one: the shorter goes first, then job order.
    ids.sort(
      (a, b) =>
        this.machine[a]! - this.machine[b]! ||
        start[a]! - start[b]! ||
        this.duration[a]! - this.duration[b]! ||
        a - b,
    );
    ids.forEach((op, p) => {
      this.order[p] = op;
      this.position[op] = p;
    });
  }

  copyOrderFrom(order: Int32Array): void {
    this.order.set(order);
    for (let p = 0; p < this.size; p++) this.position[this.order[p]!] = p;
  }

  /** Swaps two operations that are adjacent on their machine. */
  swapAdjacent(first: number, second: number): void {
    const p = this.position[first]!;
    this.order[p] = second;
    this.order[p + 1] = first;
    this.position[second] = p;
    this.position[first] = p + 1;
  }

  /**
   * Moves the operation at `from` in `order` to position `to` on the same machine, shifting the
   * operations between them by one: the insertion move of Balas and Vazacopoulos's N6 and Zhang
   * et al.'s N7 neighbourhoods (an adjacent swap when the two positions are neighbours).
   */
  moveOnMachine(from: number, to: number): void {
    const { order, position } = this;
    const op = order[from]!;
    if (from < to) {
      for (let p = from; p < to; p++) {
        order[p] = order[p + 1]!;
        position[order[p]!] = p;
      }
    } else {
      for (let p = from; p > to; p--) {
        order[p] = order[p - 1]!;
        position[order[p]!] = p;
      }
    }
    order[to] = op;
    position[op] = to;
  }

  /**
   * Computes heads and tails by longest path in topological order and returns the makespan, or
   * -1 when the machine orders make the graph cyclic (no schedule exists for them).
   */
  evaluate(): number {
    const { size: n, duration, jobPred, jobSucc, head, tail, indegree, topo, release } = this;
    let queued = 0;
    for (let v = 0; v < n; v++) {
      indegree[v] = (jobPred[v]! >= 0 ? 1 : 0) + (this.machinePred(v) >= 0 ? 1 : 0);
      if (indegree[v] === 0) topo[queued++] = v;
    }
    let done = 0;
    let makespan = 0;
    while (done < queued) {
      const v = topo[done++]!;
      const jp = jobPred[v]!;
      const mp = this.machinePred(v);
      let h = jp >= 0 ? head[jp]! + duration[jp]! : release[v]!;
      if (mp >= 0) {
        const fromMachine = head[mp]! + duration[mp]!;
        if (fromMachine > h) h = fromMachine;
      }
      head[v] = h;
      if (h + duration[v]! > makespan) makespan = h + duration[v]!;
      const js = jobSucc[v]!;
      if (js >= 0 && --indegree[js]! === 0) topo[queued++] = js;
      const ms = this.machineSucc(v);
      if (ms >= 0 && --indegree[ms]! === 0) topo[queued++] = ms;
    }
    if (done < n) return -1;
    for (let i = n - 1; i >= 0; i--) {
      const v = topo[i]!;
      const js = jobSucc[v]!;
      const ms = this.machineSucc(v);
      let t = js >= 0 ? tail[js]! + duration[js]! : 0;
      if (ms >= 0) {
        const toMachine = tail[ms]! + duration[ms]!;
        if (toMachine > t) t = toMachine;
      }
      tail[v] = t;
    }
    return makespan;
  }

  /**
   * Fills `path` with a critical path (source to sink) of the last evaluation and `viaMachine[i]`
   * with whether path[i] follows path[i-1] on the same machine; returns its length.
   */
  criticalPath(makespan: number, path: Int32Array, viaMachine: Uint8Array): number {
    const { head, duration, jobPred } = this;
    let end = 0;
    while (head[end]! + duration[end]! !== makespan) end++;
    let length = 0;
    let v = end;
    for (;;) {
      path[length] = v;
      const mp = this.machinePred(v);
      if (mp >= 0 && head[mp]! + duration[mp]! === head[v]) {
        viaMachine[length++] = 1;
        v = mp;
        continue;
      }
      const jp = jobPred[v]!;
      if (jp >= 0 && head[jp]! + duration[jp]! === head[v]) {
        viaMachine[length++] = 0;
        v = jp;
        continue;
      }
      viaMachine[length++] = 0;
      break;
    }
    // Built backwards from the sink; flag i then described the arc into path[i] from path[i + 1],
    // which after reversing is the arc into path[i] from path[i - 1], as promised.
    path.subarray(0, length).reverse();
    viaMachine.subarray(0, length).reverse();
    return length;
  }

  /** The schedule of the last evaluation: every operation at its earliest start. */
  toSchedule(instance: JobShopInstance, makespan: number): Schedule {
    const starts = instance.jobs.map((job, j) =>
      job.operations.map((_, k) => this.head[this.jobFirst[j]! + k]!),
    );
    return { starts, makespan };
  }
}
