// The moves tabu search considers: insertions within the blocks of a critical path (N7), estimated.
import type { DisjunctiveGraph } from './graph.js';

/**
 * Zhang, Li, Guan and Rao's N7 neighbourhood (2007): in each block of a critical path (a run of
 * operations on one machine), move an operation to the front or the end of the block, or move the
 * first or last operation of the block to an inner position. It holds Nowicki and Smutnicki's N5
 * (the swaps at block borders) and Balas and Vazacopoulos's N6, so it still has moves when the
 * critical path is one long block, where N5 offers two at most.
 *
 * Each move is `from → to`, positions in the graph's `order` on one machine. `estimate` gives the
 * makespan it promises from the heads and tails of the last evaluation (Balas and Vazacopoulos's
 * approximation; for an adjacent swap it is Taillard's), without a full longest-path pass.
 */
export class Neighbourhood {
  /** Candidate moves of the last `generate`: `from[i] → to[i]`. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  size = 0;
  private readonly path: Int32Array;
  private readonly viaMachine: Uint8Array;
  // Scratch space of `estimate`: the moved span in its new order, and its heads or tails.
  private readonly sequence: Int32Array;
  private readonly head: Float64Array;
  private readonly tail: Float64Array;

  constructor(private readonly graph: DisjunctiveGraph) {
    const n = graph.size;
    let longest = 0;
    for (let m = 0; m + 1 < graph.machineStart.length; m++) {
      longest = Math.max(longest, graph.machineStart[m + 1]! - graph.machineStart[m]!);
    }
    // Per block of k operations, at most 4k moves; blocks are disjoint, so 4n in all.
    this.from = new Int32Array(4 * n + 4);
    this.to = new Int32Array(4 * n + 4);
    this.path = new Int32Array(n);
    this.viaMachine = new Uint8Array(n);
    this.sequence = new Int32Array(longest + 2);
    this.head = new Float64Array(longest + 2);
    this.tail = new Float64Array(longest + 2);
  }

  /** Fills the candidate moves for a critical path of the last evaluation; returns how many. */
  generate(makespan: number): number {
    const { graph, path, viaMachine } = this;
    const length = graph.criticalPath(makespan, path, viaMachine);
    this.size = 0;
    let start = 0;
    for (let i = 1; i <= length; i++) {
      if (i < length && viaMachine[i] === 1) continue;
      // path[start .. i-1] is one block, on consecutive positions of its machine.
      if (i - start >= 2) this.addBlock(graph.position[path[start]!]!, graph.position[path[i - 1]!]!);
      start = i;
    }
    return this.size;
  }

  private addBlock(first: number, last: number): void {
    for (let p = first + 1; p <= last; p++) this.add(p, first);
    for (let p = first; p < last; p++) if (p !== first || last - first > 1) this.add(p, last);
    // The shortest of these are swaps the two loops above already hold.
    for (let p = first + 2; p < last; p++) this.add(first, p);
    for (let p = first + 1; p < last - 1; p++) this.add(last, p);
  }

  private add(from: number, to: number): void {
    const { graph } = this;
    const order = graph.order;
    if (from < to) {
      // Moving u right after v is acyclic when v's tail is at least that of u's job successor.
      const u = order[from]!;
      const v = order[to]!;
      const js = graph.jobSucc[u]!;
      if (js === v) return;
      if (js >= 0 && graph.tail[v]! + graph.duration[v]! < graph.tail[js]! + graph.duration[js]!) return;
    } else {
      // Moving v right before u is acyclic when u ends no earlier than v's job predecessor.
      const v = order[from]!;
      const u = order[to]!;
      const jp = graph.jobPred[v]!;
      if (jp === u) return;
      if (jp >= 0 && graph.head[u]! + graph.duration[u]! < graph.head[jp]! + graph.duration[jp]!) return;
    }
    this.from[this.size] = from;
    this.to[this.size++] = to;
  }

  /**
   * The makespan promised by moving `from → to`, estimated from the current heads and tails. Once
   * the estimate is known to exceed `limit` it returns early with a value that does (a lower bound
   * of the estimate): a caller looking for the best move need not finish estimating one that has
   * lost. The moved operation's path is taken first, since it is most often the longest.
   */
  estimate(from: number, to: number, limit = Infinity): number {
    const { graph, sequence, head, tail } = this;
    const { duration, jobPred, jobSucc, release, machineStart, machine, order } = graph;
    const lo = from < to ? from : to;
    const hi = from < to ? to : from;
    const count = hi - lo + 1;
    // The operations of positions lo..hi in their order after the move.
    if (from < to) {
      for (let i = 0; i + 1 < count; i++) sequence[i] = order[lo + 1 + i]!;
      sequence[count - 1] = order[from]!;
    } else {
      sequence[0] = order[from]!;
      for (let i = 1; i < count; i++) sequence[i] = order[lo + i - 1]!;
    }
    const m = machine[order[from]!]!;
    const before = lo > machineStart[m]! ? order[lo - 1]! : -1;
    const after = hi + 1 < machineStart[m + 1]! ? order[hi + 1]! : -1;
    const heads = graph.head;
    const tails = graph.tail;
    let value = 0;
    if (from < to) {
      // The moved operation ends the sequence: heads forward, then paths backward from it.
      let ready = before >= 0 ? heads[before]! + duration[before]! : 0;
      for (let i = 0; i < count; i++) {
        const op = sequence[i]!;
        const jp = jobPred[op]!;
        const fromJob = jp >= 0 ? heads[jp]! + duration[jp]! : release[op]!;
        const h = fromJob > ready ? fromJob : ready;
        head[i] = h;
        ready = h + duration[op]!;
      }
      let next = after >= 0 ? tails[after]! + duration[after]! : 0;
      for (let i = count - 1; i >= 0; i--) {
        const op = sequence[i]!;
        const js = jobSucc[op]!;
        const toJob = js >= 0 ? tails[js]! + duration[js]! : 0;
        const t = toJob > next ? toJob : next;
        next = t + duration[op]!;
        const through = head[i]! + next;
        if (through > value) {
          value = through;
          if (value > limit) return value;
        }
      }
    } else {
      // The moved operation starts the sequence: tails backward, then paths forward from it.
      let next = after >= 0 ? tails[after]! + duration[after]! : 0;
      for (let i = count - 1; i >= 0; i--) {
        const op = sequence[i]!;
        const js = jobSucc[op]!;
        const toJob = js >= 0 ? tails[js]! + duration[js]! : 0;
        const t = toJob > next ? toJob : next;
        tail[i] = t;
        next = t + duration[op]!;
      }
      let ready = before >= 0 ? heads[before]! + duration[before]! : 0;
      for (let i = 0; i < count; i++) {
        const op = sequence[i]!;
        const jp = jobPred[op]!;
        const fromJob = jp >= 0 ? heads[jp]! + duration[jp]! : release[op]!;
        const h = fromJob > ready ? fromJob : ready;
        ready = h + duration[op]!;
        const through = ready + tail[i]!;
        if (through > value) {
          value = through;
          if (value > limit) return value;
        }
      }
    }
    return value;
  }
}
