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
  /** Each operation's neighbours on its machine in the current orders, -1 at either end. */
  readonly machinePred: Int32Array;
  readonly machineSucc: Int32Array;
  /** The operations that end a job: the makespan is the latest of their ends. */
  private readonly jobLast: Int32Array;
  private readonly indegree: Int32Array;
  /**
   * A topological order of the graph and each operation's rank in it, valid after `evaluate()`
   * found no cycle and kept valid by `applyMove`; `ordered` says whether they are.
   */
  private readonly topo: Int32Array;
  private readonly rank: Int32Array;
  private ordered = false;
  // Scratch space of `reorder`, kept to allocate nothing per move.
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly stack: Int32Array;
  private readonly ahead: Int32Array;
  private readonly behind: Int32Array;
  private readonly slots: Int32Array;

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
    this.machinePred = new Int32Array(n).fill(-1);
    this.machineSucc = new Int32Array(n).fill(-1);
    this.indegree = new Int32Array(n);
    this.topo = new Int32Array(n);
    this.rank = new Int32Array(n);
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(n);
    this.ahead = new Int32Array(n);
    this.behind = new Int32Array(n);
    this.slots = new Int32Array(n);
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
    this.jobLast = Int32Array.from(
      instance.jobs.flatMap((job, j) =>
        job.operations.length > 0 ? [this.jobFirst[j]! + job.operations.length - 1] : [],
      ),
    );
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
    this.relinkAll();
  }

  copyOrderFrom(order: Int32Array): void {
    this.order.set(order);
    for (let p = 0; p < this.size; p++) this.position[this.order[p]!] = p;
    this.relinkAll();
  }

  private relinkAll(): void {
    for (let m = 0; m + 1 < this.machineStart.length; m++) {
      const first = this.machineStart[m]!;
      const end = this.machineStart[m + 1]!;
      if (end > first) this.relink(m, first, end - 1);
    }
    this.ordered = false;
  }

  /** Refreshes the machine links of positions `lo..hi` of machine `m` and of their outer neighbours. */
  private relink(m: number, lo: number, hi: number): void {
    const { order, machinePred, machineSucc } = this;
    const first = this.machineStart[m]!;
    const end = this.machineStart[m + 1]!;
    for (let p = lo; p <= hi; p++) {
      const op = order[p]!;
      machinePred[op] = p > first ? order[p - 1]! : -1;
      machineSucc[op] = p + 1 < end ? order[p + 1]! : -1;
    }
    if (lo > first) machineSucc[order[lo - 1]!] = order[lo]!;
    if (hi + 1 < end) machinePred[order[hi + 1]!] = order[hi]!;
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
    this.relink(this.machine[op]!, Math.min(from, to), Math.max(from, to));
    this.ordered = false;
  }

  /**
   * Makes the move `from → to` of `moveOnMachine` and brings heads and tails up to date, returning
   * the new makespan; when the move would close a cycle, leaves everything as it was and returns
   * -1. Equal to `moveOnMachine` then `evaluate()`, but only the part of the graph the move can
   * change is touched: the topological order is repaired around the one arc that breaks it (Pearce
   * and Kelly's dynamic topological sort), heads are recomputed from the first moved operation
   * on in that order and tails from the last one back.
   */
  applyMove(from: number, to: number): number {
    if (!this.ordered) {
      this.moveOnMachine(from, to);
      const makespan = this.evaluate();
      if (makespan < 0) {
        this.moveOnMachine(to, from);
        this.evaluate();
      }
      return makespan;
    }
    this.moveOnMachine(from, to);
    const { order, rank } = this;
    // Every arc the move adds follows the old topological order except one: in a move to the right,
    // from the last operation it passed to the moved one; to the left, from the moved one to the
    // first it passed.
    const at = from < to ? to - 1 : to;
    if (!this.reorder(order[at]!, order[at + 1]!)) {
      this.moveOnMachine(to, from);
      this.ordered = true;
      return -1;
    }
    this.ordered = true;
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    // Only the moved operations and their outer machine neighbours gained or lost an arc; the
    // neighbour before ranks below all of them, the one after above.
    let first = rank[order[lo]!]!;
    let last = first;
    for (let p = lo + 1; p <= hi; p++) {
      const r = rank[order[p]!]!;
      if (r < first) first = r;
      else if (r > last) last = r;
    }
    this.headsFrom(first);
    this.tailsFrom(last);
    let makespan = 0;
    const { head, duration, jobLast } = this;
    for (let j = 0; j < jobLast.length; j++) {
      const v = jobLast[j]!;
      const end = head[v]! + duration[v]!;
      if (end > makespan) makespan = end;
    }
    return makespan;
  }

  /**
   * Repairs the topological order after the arc `x → y` was added with y ranked before x; returns
   * false, order untouched, when y reaches x (the arc closes a cycle). The operations reachable from
   * y and ranked below x must move after those that reach x and rank above y; both sets keep their
   * own relative order and together take the ranks they held.
   */
  private reorder(x: number, y: number): boolean {
    const { rank, topo, mark, stack, jobSucc, jobPred, machineSucc, machinePred } = this;
    const low = rank[y]!;
    const high = rank[x]!;
    const forward = this.nextStamp();
    const backward = this.nextStamp();
    let top = 0;
    stack[top++] = y;
    mark[y] = forward;
    while (top > 0) {
      const w = stack[--top]!;
      const js = jobSucc[w]!;
      if (js >= 0) {
        if (js === x) return false;
        if (rank[js]! < high && mark[js] !== forward) {
          mark[js] = forward;
          stack[top++] = js;
        }
      }
      const ms = machineSucc[w]!;
      if (ms >= 0) {
        if (ms === x) return false;
        if (rank[ms]! < high && mark[ms] !== forward) {
          mark[ms] = forward;
          stack[top++] = ms;
        }
      }
    }
    stack[top++] = x;
    mark[x] = backward;
    while (top > 0) {
      const w = stack[--top]!;
      const jp = jobPred[w]!;
      if (jp >= 0 && rank[jp]! > low && mark[jp] !== backward) {
        mark[jp] = backward;
        stack[top++] = jp;
      }
      const mp = machinePred[w]!;
      if (mp >= 0 && rank[mp]! > low && mark[mp] !== backward) {
        mark[mp] = backward;
        stack[top++] = mp;
      }
    }
    const { ahead, behind, slots } = this;
    let aheadCount = 0;
    let behindCount = 0;
    for (let r = low; r <= high; r++) {
      const w = topo[r]!;
      if (mark[w] === backward) ahead[aheadCount++] = w;
      else if (mark[w] === forward) behind[behindCount++] = w;
      else continue;
      slots[aheadCount + behindCount - 1] = r;
    }
    for (let i = 0; i < aheadCount; i++) {
      const r = slots[i]!;
      topo[r] = ahead[i]!;
      rank[ahead[i]!] = r;
    }
    for (let i = 0; i < behindCount; i++) {
      const r = slots[aheadCount + i]!;
      topo[r] = behind[i]!;
      rank[behind[i]!] = r;
    }
    return true;
  }

  private nextStamp(): number {
    if (this.stamp >= 0x7ffffff0) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /**
   * Recomputes the heads of the operations ranked `first` and later in topological order. A plain
   * pass over all of them measured faster on Taillard's instances than visiting only those whose
   * predecessor changed (the bookkeeping costs more than the reads it saves).
   */
  private headsFrom(first: number): void {
    const { size: n, topo, head, duration, jobPred, machinePred, release } = this;
    for (let r = first; r < n; r++) {
      const v = topo[r]!;
      const jp = jobPred[v]!;
      let h = jp >= 0 ? head[jp]! + duration[jp]! : release[v]!;
      const mp = machinePred[v]!;
      if (mp >= 0) {
        const fromMachine = head[mp]! + duration[mp]!;
        if (fromMachine > h) h = fromMachine;
      }
      head[v] = h;
    }
  }

  /** Recomputes the tails of the operations ranked `last` and earlier. */
  private tailsFrom(last: number): void {
    const { topo, tail, duration, jobSucc, machineSucc } = this;
    for (let r = last; r >= 0; r--) {
      const v = topo[r]!;
      const js = jobSucc[v]!;
      let t = js >= 0 ? tail[js]! + duration[js]! : 0;
      const ms = machineSucc[v]!;
      if (ms >= 0) {
        const toMachine = tail[ms]! + duration[ms]!;
        if (toMachine > t) t = toMachine;
      }
      tail[v] = t;
    }
  }

  /**
   * Computes heads and tails by longest path in topological order and returns the makespan, or
   * -1 when the machine orders make the graph cyclic (no schedule exists for them).
   */
  evaluate(): number {
    const { size: n, duration, jobPred, jobSucc, head, indegree, topo, rank, release } = this;
    const { machinePred, machineSucc } = this;
    let queued = 0;
    for (let v = 0; v < n; v++) {
      indegree[v] = (jobPred[v]! >= 0 ? 1 : 0) + (machinePred[v]! >= 0 ? 1 : 0);
      if (indegree[v] === 0) topo[queued++] = v;
    }
    let done = 0;
    let makespan = 0;
    while (done < queued) {
      const v = topo[done++]!;
      const jp = jobPred[v]!;
      const mp = machinePred[v]!;
      let h = jp >= 0 ? head[jp]! + duration[jp]! : release[v]!;
      if (mp >= 0) {
        const fromMachine = head[mp]! + duration[mp]!;
        if (fromMachine > h) h = fromMachine;
      }
      head[v] = h;
      if (h + duration[v]! > makespan) makespan = h + duration[v]!;
      const js = jobSucc[v]!;
      if (js >= 0 && --indegree[js]! === 0) topo[queued++] = js;
      const ms = machineSucc[v]!;
      if (ms >= 0 && --indegree[ms]! === 0) topo[queued++] = ms;
    }
    this.ordered = done === n;
    if (!this.ordered) return -1;
    for (let r = 0; r < n; r++) rank[topo[r]!] = r;
    this.tailsFrom(n - 1);
    return makespan;
  }

  /**
   * Fills `path` with a critical path (source to sink) of the last evaluation and `viaMachine[i]`
   * with whether path[i] follows path[i-1] on the same machine; returns its length.
   */
  criticalPath(makespan: number, path: Int32Array, viaMachine: Uint8Array): number {
    const { head, duration, jobPred, jobLast } = this;
    // The first operation, by id, to end at the makespan: in the first job whose last one does, the
    // earliest of that job's (the ones after it take no time).
    let end = -1;
    for (let j = 0; end < 0; j++) {
      const v = jobLast[j]!;
      if (head[v]! + duration[v]! !== makespan) continue;
      end = v;
      for (let jp = jobPred[end]!; jp >= 0 && head[jp]! + duration[jp]! === makespan; jp = jobPred[jp]!)
        end = jp;
    }
    let length = 0;
    let v = end;
    for (;;) {
      path[length] = v;
      const mp = this.machinePred[v]!;
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
    for (let i = 0, k = length - 1; i < k; i++, k--) {
      const op = path[i]!;
      path[i] = path[k]!;
      path[k] = op;
      const flag = viaMachine[i]!;
      viaMachine[i] = viaMachine[k]!;
      viaMachine[k] = flag;
    }
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
