// The default study model: a plant file compiled by the factory library, one replication per call.
import {
  compilePlantSimulation,
  runPlantReplication,
  type PlantSimulation,
  type ScenarioOverrides,
} from '../../sim/factory/index.js';
import type { ReplicationOutput, ReplicationRequest } from '../../sim/study/index.js';
import { parsePlant } from '../../twin/plant.js';

/** Parses the plant file, then compiles its simulation; both throw typed errors listing file, line and field. */
export function compileModel(text: string, file: string): PlantSimulation {
  return compilePlantSimulation(parsePlant(text, file), file);
}

/** The warm-up a replication without its own runs: the study's size limit counts it. */
export function modelWarmup(plant: PlantSimulation): number {
  return plant.warmup;
}

export function runModelReplication(plant: PlantSimulation, request: ReplicationRequest): ReplicationOutput {
  // A study carries overrides as plain JSON; the factory checks them against the plant as it builds.
  const { scenario, ...rest } = request;
  return runPlantReplication(plant, {
    ...rest,
    ...(scenario === undefined ? {} : { scenario: scenario as ScenarioOverrides }),
  });
}
