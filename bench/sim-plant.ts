// One simulated year of the demo plant per replication, serial on one core: wall time and events/s;
// then, with --parallel N, N replications as a study runs them, on worker threads over every core.
// `npm run bench -- sim-plant [--replications 3] [--days 365] [--seed 1] [--parallel 20] [--workers N]`
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PLANT_MODEL_MODULE } from '../src/server/studies/load-model.js';
import { runStudy } from '../src/server/studies/run-study.js';
import { parseStudyDefinition } from '../src/sim/study/index.js';
import { compilePlantSimulation, runPlantReplication } from '../src/sim/factory/index.js';
import { parsePlant } from '../src/twin/plant.js';
import { argValue } from './_stats.js';

const replications = Number(argValue('replications', '3'));
const days = Number(argValue('days', '365'));
const seed = Number(argValue('seed', '1'));
const parallel = Number(argValue('parallel', '0'));
const workers = Number(argValue('workers', String(availableParallelism())));

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

if (parallel > 0) {
  const text = readFileSync(file, 'utf8');
  const study = parseStudyDefinition({ name: 'bench', horizon: `${days}d`, replications: parallel, seed });
  const started = performance.now();
  const result = await runStudy({
    study,
    model: { file: 'demo-plant.yaml', text },
    moduleUrl: PLANT_MODEL_MODULE,
    workers,
  });
  const wall = (performance.now() - started) / 1000;
  const throughput = result.scenarios[0]!.metrics.throughput!;
  console.log(
    `${parallel} replications of one simulated year on ${workers} worker threads: ${wall.toFixed(1)} s wall ` +
      `(${(wall / parallel).toFixed(2)} s per replication); throughput ${throughput.mean?.toFixed(2)} ± ${throughput.halfWidth?.toFixed(2)} units/h`,
  );
  console.log(
    `sim-plant: ${parallel} simulated years of the demo plant in ${wall.toFixed(1)} s on ${workers} workers`,
  );
}
