import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch.js';
import { DisjunctiveGraph } from './graph.js';
import { jobShopInstances } from './test-instances.js';
import type { JobShopInstance } from './instance.js';

// Zero-length operations and releases included: only they let an insertion close a cycle.
const instances = jobShopInstances({
  maxMachines: 4,
  maxJobs: 7,
  maxOperations: 6,
  maxDuration: 6,
  maxRelease: 10,
});

/** A move between two positions of one machine, drawn from three numbers in [0, 1). */
function pick(graph: DisjunctiveGraph, [a, b, c]: readonly number[]): [number, number] | undefined {
  const machines = graph.machineStart.length - 1;
  const m = Math.floor(a! * machines);
  const first = graph.machineStart[m]!;
  const count = graph.machineStart[m + 1]! - first;
  if (count < 2) return undefined;
  const from = first + Math.floor(b! * count);
  let to = first + Math.floor(c! * (count - 1));
  if (to >= from) to++;
  return [from, to];
}

describe('DisjunctiveGraph.applyMove', () => {
  it('leaves heads, tails and makespan as a full longest-path evaluation would, and refuses cycles', () => {
    let cycles = 0;
    let moves = 0;
    const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(
        instances,
        fc.array(fc.tuple(unit, unit, unit), { minLength: 1, maxLength: 40 }),
        (instance: JobShopInstance, draws) => {
          const initial = dispatch(instance, 'FIFO', { mode: 'active' });
          const incremental = new DisjunctiveGraph(instance);
          const full = new DisjunctiveGraph(instance);
          incremental.setOrderFromSchedule(instance, initial);
          full.setOrderFromSchedule(instance, initial);
          expect(incremental.evaluate()).toBe(initial.makespan);
          full.evaluate();
          for (const draw of draws) {
            const move = pick(incremental, draw);
            if (move === undefined) continue;
            const [from, to] = move;
            const before = incremental.order.slice();
            const makespan = incremental.applyMove(from, to);
            full.moveOnMachine(from, to);
            const expected = full.evaluate();
            moves++;
            expect(makespan).toBe(expected);
            if (expected < 0) {
              cycles++;
              expect(incremental.order).toEqual(before);
              full.moveOnMachine(to, from);
              full.evaluate();
            }
            expect(incremental.order).toEqual(full.order);
            expect(incremental.head).toEqual(full.head);
            expect(incremental.tail).toEqual(full.tail);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
    // The property must have met both kinds of move to mean anything.
    expect(cycles).toBeGreaterThan(0);
    expect(moves - cycles).toBeGreaterThan(500);
  });

  it('keeps machine neighbours in step with the orders', () => {
    const instance: JobShopInstance = {
      machines: 1,
      jobs: [3, 4, 5, 6].map((duration) => ({ operations: [{ machine: 0, duration }] })),
    };
    const graph = new DisjunctiveGraph(instance);
    graph.setOrderFromSchedule(instance, dispatch(instance, 'SPT'));
    expect(graph.evaluate()).toBe(18);
    expect(Array.from(graph.order)).toEqual([0, 1, 2, 3]);
    expect(graph.applyMove(3, 0)).toBe(18);
    expect(Array.from(graph.order)).toEqual([3, 0, 1, 2]);
    expect(Array.from(graph.machinePred)).toEqual([3, 0, 1, -1]);
    expect(Array.from(graph.machineSucc)).toEqual([1, 2, -1, 0]);
    expect(Array.from(graph.head)).toEqual([6, 9, 13, 0]);
    expect(Array.from(graph.tail)).toEqual([9, 5, 0, 12]);
  });
});
