// One simulated year of the demo plant per replication, serial on one core: wall time and events/s.
// `npm run bench -- sim-plant [--replications 3] [--days 365] [--seed 1]`
import { readFileSync } from 'node:fs';
import { compilePlantSimulation, runPlantReplication } from '../src/sim/factory/index.js';
import { parsePlant } from '../src/twin/plant.js';
import { argValue } from './_stats.js';

const replications = Number(argValue('replications', '3'));
const days = Number(argValue('days', '365'));
const seed = Number(argValue('seed', '1'));

const file = new URL('../examples/demo-plant.yaml', import.meta.url);
const plant = compilePlantSimulation(
  parsePlant(readFileSync(file, 'utf8'), 'demo-plant.yaml'),
  'demo-plant.yaml',
);

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// A simulated week first, so the year runs on compiled code as a worker's later replications do.
runPlantReplication(plant, { seed, replication: replications, warmup: 0, horizon: 7 * 86_400 });

const seconds: number[] = [];
const rates: number[] = [];
for (let r = 0; r < replications; r++) {
  const started = performance.now();
  const { metrics, events } = runPlantReplication(plant, { seed, replication: r, horizon: days * 86_400 });
  const wall = (performance.now() - started) / 1000;
  seconds.push(wall);
  rates.push(events / wall);
  console.log(
    `replication ${r}: ${wall.toFixed(2)} s wall, ${events} events (${Math.round(events / wall)} events/s), ` +
      `throughput ${metrics.throughput!.toFixed(1)} units/h, lead time ${(metrics.leadTime! / 60).toFixed(1)} min, ` +
      `WIP ${metrics.wip!.toFixed(1)}`,
  );
}
console.log(
  `sim-plant: one simulated year of the demo plant in ${median(seconds).toFixed(2)} s ` +
    `(median of ${replications}), ${Math.round(median(rates))} events/s`,
);
