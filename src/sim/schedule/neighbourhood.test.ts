import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch.js';
import { DisjunctiveGraph } from './graph.js';
import type { JobShopInstance } from './instance.js';
import { Neighbourhood } from './neighbourhood.js';

// Every job visits every machine once, in a random order, as in Taillard's instances.
const instances = fc
  .record({ machines: fc.integer({ min: 2, max: 6 }), jobs: fc.integer({ min: 2, max: 8 }) })
  .chain(({ machines, jobs }) =>
    fc.record({
      machines: fc.constant(machines),
      jobs: fc.array(
        fc.record({
          route: fc.shuffledSubarray(
            Array.from({ length: machines }, (_, m) => m),
            { minLength: machines, maxLength: machines },
          ),
          durations: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: machines, maxLength: machines }),
        }),
        { minLength: jobs, maxLength: jobs },
      ),
    }),
  )
  .map(({ machines, jobs }): JobShopInstance => ({
    machines,
    jobs: jobs.map(({ route, durations }) => ({
      operations: route.map((machine, k) => ({ machine, duration: durations[k]! })),
    })),
  }));

describe('Neighbourhood.estimate', () => {
  it('with a limit, gives the full estimate when it is within the limit, else a value above the limit and no more than it', () => {
    let early = 0;
    fc.assert(
      fc.property(instances, fc.integer({ min: -30, max: 30 }), (instance, offset) => {
        const graph = new DisjunctiveGraph(instance);
        graph.setOrderFromSchedule(instance, dispatch(instance, 'FIFO', { mode: 'active' }));
        const makespan = graph.evaluate();
        const neighbourhood = new Neighbourhood(graph);
        const moves = neighbourhood.generate(makespan);
        for (let i = 0; i < moves; i++) {
          const from = neighbourhood.from[i]!;
          const to = neighbourhood.to[i]!;
          const full = neighbourhood.estimate(from, to);
          const limit = makespan + offset;
          const bounded = neighbourhood.estimate(from, to, limit);
          if (full <= limit) {
            expect(bounded).toBe(full);
          } else {
            expect(bounded).toBeGreaterThan(limit);
            expect(bounded).toBeLessThanOrEqual(full);
            if (bounded < full) early++;
          }
        }
      }),
      { seed: 5, numRuns: 300 },
    );
    // The property must have met the early return, not only full estimates.
    expect(early).toBeGreaterThan(0);
  });
});
