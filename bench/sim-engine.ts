// Raw speed of the simulation engine's event calendar and of its generator processes, on one core.
// `npm run bench -- sim-engine [--events 10000000] [--entities 1000] [--customers 1000000] [--runs 3]`
import { Resource, Random, Simulation, type ProcessGenerator } from '../src/sim/engine/index.js';
import { argValue } from './_stats.js';

const events = Number(argValue('events', '10000000'));
const entities = Number(argValue('entities', '1000'));
const customers = Number(argValue('customers', '1000000'));
const runs = Number(argValue('runs', '3'));

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A closed system: each entity reschedules itself after an exponential delay, so the calendar holds `entities` events. */
function calendar(seed: number): number {
  const sim = new Simulation();
  const random = new Random(seed);
  const perEntity = new Float64Array(entities);
  const handler = (entity: number): void => {
    perEntity[entity]!++;
    sim.schedule(random.exponential(1), handler, entity);
  };
  for (let i = 0; i < entities; i++) sim.schedule(random.exponential(1), handler, i);
  const started = performance.now();
  let done = 0;
  // Run by slices of simulated time until the target count, as a long study would.
  while (done < events) done += sim.run(sim.now + Math.max(1, (events - done) / entities));
  const seconds = (performance.now() - started) / 1000;
  return done / seconds;
}

/** M/M/1 at load 0.9 written as SimPy would: a source process and one process per customer with a Resource. */
function processes(seed: number): { eventsPerSecond: number; customersPerSecond: number } {
  const sim = new Simulation();
  const arrivals = new Random(seed, 0);
  const service = new Random(seed, 1);
  const server = new Resource(sim, 1, 'server');
  let served = 0;
  function* customer(): ProcessGenerator {
    const request = server.request();
    yield request;
    yield service.exponential(0.9);
    server.release(request);
    served++;
  }
  sim.process(function* source(): ProcessGenerator {
    for (let i = 0; i < customers; i++) {
      yield arrivals.exponential(1);
      sim.process(customer());
    }
  });
  const started = performance.now();
  sim.run();
  const seconds = (performance.now() - started) / 1000;
  if (served !== customers) throw new Error(`served ${served} of ${customers}`);
  return { eventsPerSecond: sim.eventsProcessed / seconds, customersPerSecond: served / seconds };
}

calendar(1); // warm the JIT
const processFigures = Array.from({ length: runs }, (_, i) => processes(100 + i));
const calendarFigures = Array.from({ length: runs }, (_, i) => calendar(200 + i));
console.log(
  `sim-engine: processes (M/M/1, Resource, ${customers} customers): ` +
    `${Math.round(median(processFigures.map((f) => f.eventsPerSecond)))} events/s, ` +
    `${Math.round(median(processFigures.map((f) => f.customersPerSecond)))} customers/s (median of ${runs})`,
);
console.log(
  `sim-engine: calendar runs (${events} events, ${entities} entities): ${calendarFigures.map((f) => Math.round(f)).join(', ')} events/s`,
);
console.log(`sim-engine: ${Math.round(median(calendarFigures))} events/s`);
