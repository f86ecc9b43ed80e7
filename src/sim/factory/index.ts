// The factory library's public surface: compile a plant file's simulation, build it into a Simulation, run a replication.
//
//   const plant = parsePlant(text, file);                       // src/twin/plant.ts
//   const compiled = compilePlantSimulation(plant, file);       // throws PlantSimulationError with file:line:col
//   const { metrics, traces } = runPlantReplication(compiled, { seed: 1, replication: 0, horizon: 7 * 86_400 });
//   // or, for a live plant: const model = buildPlantModel(sim, compiled, { random, observer });
//   //                       model.stopStation('line-1/st-05'); model.health('line-1/st-05');
export { compilePlantSimulation, DEFAULT_VARIANT, DEFAULT_PITCH } from './compile.js';
export { buildPlantModel, type BuildOptions } from './build.js';
export { PlantModel, type UnitCounts } from './PlantModel.js';
export {
  runPlantReplication,
  type PlantReplicationOptions,
  type PlantReplicationResult,
} from './replication.js';
export { PlantSimulationError, isPlantSimulationError, type PlantSimulationIssue } from './errors.js';
export type { PlantObserver, StationState } from './observer.js';
export { Unit, unitSerial, type RouteStep } from './Unit.js';
export { LEAD_TIME_SAMPLE } from './Sink.js';
export type {
  AgvFleetSpec,
  BufferSpec,
  ConveyorSpec,
  LinkSpec,
  OrderSpec,
  PlantSimulation,
  Point,
  ProcessingSpec,
  ScenarioOverrides,
  SinkSpec,
  SourceSpec,
  StationKind,
  StationSpec,
  TransportKind,
} from './spec.js';

import type { PlantSimulation } from './spec.js';

/** Station ids in the order the `bottleneck` metric indexes. */
export function stationIds(plant: PlantSimulation): string[] {
  return plant.stations.map((station) => station.id);
}
