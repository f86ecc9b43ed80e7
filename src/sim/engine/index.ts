// The simulation engine's public surface: import from here, not from the files behind it.
//
//   const sim = new Simulation();
//   const machine = new Resource(sim, 1, 'press');          // capacity, name
//   const times = random(1);                                  // a seeded stream (see replications)
//   sim.process(function* (): ProcessGenerator {
//     const request = machine.request(priority);             // lower priority value is served first
//     yield request;                                          // wait for a unit
//     yield cycle.sample(times);                              // a number is a delay
//     machine.release(request);
//   });
//   sim.schedule(delay, handler, payload);                   // callbacks, for hot paths
//   sim.run(until);
export { Simulation } from './Simulation.js';
export { EventQueue, type EventHandler } from './event-queue.js';
export { SimEvent, type EventCallback } from './SimEvent.js';
export { Process, Interrupt, isInterrupt, type ProcessGenerator, type Yieldable } from './Process.js';
export { Resource, Request, type RequestState } from './Resource.js';
export { Store, StorePut } from './Store.js';
export { Random } from './random.js';
export {
  constant,
  discrete,
  distribution,
  empirical,
  erlang,
  exponential,
  lognormal,
  normal,
  triangular,
  uniform,
  weibull,
  type Distribution,
  type DistributionKind,
  type DistributionSpec,
} from './distributions.js';
export {
  Tally,
  TimeWeighted,
  confidenceInterval,
  type Clock,
  type ConfidenceInterval,
  type Resettable,
} from './statistics.js';
export { studentTQuantile, normalQuantile } from './special-functions.js';
export {
  runReplication,
  runReplications,
  summarizeReplications,
  type MetricSummary,
  type Metrics,
  type ModelBuilder,
  type ReplicationContext,
  type ReplicationOptions,
  type ReplicationPlan,
  type ReplicationsResult,
} from './replications.js';
export { SimModelError, SimParameterError, isSimParameterError } from './errors.js';
