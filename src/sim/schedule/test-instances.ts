// fast-check instances for the scheduling tests: small job shops with routes that skip or revisit
// machines, zero-length operations and release times (the cases that break naive schedulers).
import fc from 'fast-check';
import type { JobShopInstance } from './instance.js';

export interface InstanceLimits {
  readonly maxMachines: number;
  readonly maxJobs: number;
  readonly maxOperations: number;
  readonly maxDuration: number;
  readonly maxRelease: number;
}

export function jobShopInstances(limits: InstanceLimits): fc.Arbitrary<JobShopInstance> {
  return fc.integer({ min: 1, max: limits.maxMachines }).chain((machines) =>
    fc.record({
      machines: fc.constant(machines),
      jobs: fc.array(
        fc.record(
          {
            operations: fc.array(
              fc.record({
                machine: fc.integer({ min: 0, max: machines - 1 }),
                duration: fc.integer({ min: 0, max: limits.maxDuration }),
              }),
              { minLength: 1, maxLength: limits.maxOperations },
            ),
            release: fc.integer({ min: 0, max: limits.maxRelease }),
          },
          { requiredKeys: ['operations'] },
        ),
        { minLength: 1, maxLength: limits.maxJobs },
      ),
    }),
  );
}
