// Wires a compiled PlantSimulation into a Simulation: nodes, links, carriers, scenario overrides; returns the live model.
import { distribution, type DistributionSpec, type Random, type Simulation } from '../engine/index.js';
import { agvPaths } from './agv-paths.js';
import { Buffer } from './Buffer.js';
import { AgvFleet, DelayCarrier } from './carriers.js';
import { Conveyor } from './Conveyor.js';
import { PlantSimulationError, type PlantSimulationIssue } from './errors.js';
import { Link, PlantContext, type FlowNode } from './flow.js';
import { PlantModel } from './PlantModel.js';
import type { PlantObserver } from './observer.js';
import { Sink } from './Sink.js';
import { Source } from './Source.js';
import type { PlantSimulation, ScenarioOverrides } from './spec.js';
import { Station } from './Station.js';

export interface BuildOptions {
  /** Random stream `n` of this replication (ReplicationContext.random). */
  readonly random: (stream: number) => Random;
  readonly observer?: PlantObserver;
  readonly scenario?: ScenarioOverrides;
  /** Record each unit's route; on by default when there is an observer (it costs memory over long runs). */
  readonly trackRoutes?: boolean;
}

/** Stream numbers: fixed per element, so two scenarios with one seed share arrivals and machine times. */
const SOURCE_STREAM = 1;
const SAMPLE_STREAM = 999;
const STATION_STREAM = 1000;

function scenarioDistribution(
  value: DistributionSpec | number,
  plain: 'constant' | 'exponential',
): DistributionSpec {
  if (typeof value !== 'number') return value;
  return plain === 'constant' ? { kind: 'constant', value } : { kind: 'exponential', mean: value };
}

export function buildPlantModel(sim: Simulation, plant: PlantSimulation, options: BuildOptions): PlantModel {
  const scenario = options.scenario ?? {};
  checkScenario(plant, scenario);
  const context = new PlantContext(
    sim,
    plant.prefix,
    options.observer,
    options.trackRoutes ?? options.observer !== undefined,
  );
  const nodes = new Map<string, FlowNode>();
  const sample = { values: [] as number[], seen: 0, random: options.random(SAMPLE_STREAM) };

  const stations = plant.stations.map((spec, k) => {
    const override = scenario.stations?.[spec.id] ?? {};
    const processing = new Map(
      Object.entries(
        override.processing === undefined
          ? spec.processing
          : { '*': scenarioDistribution(override.processing, 'constant') },
      ).map(([variant, d]) => [variant, distribution(d)]),
    );
    const mtbf = override.mtbf === undefined ? spec.mtbf : scenarioDistribution(override.mtbf, 'exponential');
    const mttr = override.mttr === undefined ? spec.mttr : scenarioDistribution(override.mttr, 'exponential');
    const station = new Station(
      spec.id,
      context,
      {
        kind: spec.kind,
        machines: override.machines ?? spec.machines,
        processing,
        setup: spec.setup === undefined ? undefined : distribution(spec.setup),
        mtbf: mtbf === undefined || mttr === undefined ? undefined : distribution(mtbf),
        mttr: mtbf === undefined || mttr === undefined ? undefined : distribution(mttr),
        scrap: override.scrap ?? spec.scrap,
        outputs: spec.outputs,
        speed: override.speed ?? 1,
      },
      {
        processing: options.random(STATION_STREAM + 4 * k),
        failures: options.random(STATION_STREAM + 4 * k + 1),
        repairs: options.random(STATION_STREAM + 4 * k + 2),
        scrap: options.random(STATION_STREAM + 4 * k + 3),
      },
    );
    nodes.set(spec.id, station);
    return station;
  });
  const buffers = plant.buffers.map((spec) => {
    const capacity =
      scenario.buffers?.[spec.id]?.capacity !== undefined
        ? scenario.buffers[spec.id]!.capacity!
        : spec.capacity;
    const buffer = new Buffer(spec.id, context, capacity ?? Infinity);
    nodes.set(spec.id, buffer);
    return buffer;
  });
  const conveyors = plant.conveyors.map((spec) => {
    const conveyor = new Conveyor(spec.id, context, spec.length, spec.speed, spec.pitch);
    nodes.set(spec.id, conveyor);
    return conveyor;
  });
  const sinks = plant.sinks.map((spec) => {
    const sink = new Sink(spec.id, context, sample);
    nodes.set(spec.id, sink);
    return sink;
  });
  const sources = plant.sources.map((spec, i) => {
    const total = spec.mix.reduce((sum, m) => sum + m.weight, 0);
    let running = 0;
    const cumulative = spec.mix.map((m) => (running += m.weight / total));
    cumulative[cumulative.length - 1] = 1;
    const source = new Source(
      spec.id,
      context,
      {
        interarrival: spec.interarrival === undefined ? undefined : distribution(spec.interarrival),
        rate: scenario.sources?.[spec.id]?.rate ?? 1,
        variants: spec.mix.map((m) => m.variant),
        cumulative,
        batch: spec.batch,
        orders: spec.orders,
      },
      options.random(SOURCE_STREAM + i),
    );
    nodes.set(spec.id, source);
    return source;
  });

  let fleet: AgvFleet | undefined;
  const paths = agvPaths(plant);
  if (plant.agv !== undefined) {
    const index = new Map(paths.locations.map((name, i) => [name, i]));
    const vehicles = plant.agv.vehicles.map((v) => ({ id: v.id, at: index.get(v.home)! }));
    fleet = new AgvFleet(
      context,
      paths.locations,
      paths.distance,
      vehicles,
      scenario.agv?.speed ?? plant.agv.speed,
    );
    if (scenario.agv?.count !== undefined) fleet.setSize(scenario.agv.count, vehicles[0]?.at ?? 0);
  }

  for (const spec of plant.links) {
    const from = nodes.get(spec.from)!;
    const to = nodes.get(spec.to)!;
    const link = new Link(from, to, spec.variants === undefined ? undefined : new Set(spec.variants));
    if (spec.transport === 'agv') {
      const index = (name: string): number => paths.locations.indexOf(name);
      link.carrier = fleet!.carrier(index(spec.from), index(spec.to), spec.transferTime);
    } else if (spec.transport === 'forklift' && spec.transferTime > 0) {
      link.carrier = new DelayCarrier(sim, spec.transferTime);
    }
    from.outputs.push(link);
    to.inputs.push(from);
  }
  for (const station of stations) station.wired();
  for (const source of sources) source.start();
  return new PlantModel(plant, context, { stations, buffers, conveyors, sources, sinks, fleet }, sample);
}

function checkScenario(plant: PlantSimulation, scenario: ScenarioOverrides): void {
  const issues: PlantSimulationIssue[] = [];
  const fail = (path: string, message: string): void => {
    issues.push({ file: 'scenario', line: 0, col: 0, path, message: `scenario: ${path}: ${message}` });
  };
  const positive = (value: number | undefined, path: string, integer = false): void => {
    if (value === undefined) return;
    if (!(Number.isFinite(value) && value > 0) || (integer && !Number.isInteger(value))) {
      fail(path, `must be a finite ${integer ? 'integer' : 'number'} > 0, got ${value}`);
    }
  };
  const distributionOk = (value: DistributionSpec | number | undefined, path: string): void => {
    if (value === undefined) return;
    if (typeof value === 'number') return positive(value, path);
    try {
      distribution(value);
    } catch (error) {
      fail(path, error instanceof Error ? error.message : String(error));
    }
  };
  const stationIds = new Set(plant.stations.map((s) => s.id));
  for (const [id, o] of Object.entries(scenario.stations ?? {})) {
    const path = `/stations/${id}`;
    if (!stationIds.has(id)) fail(path, `no station "${id}"`);
    positive(o.machines, `${path}/machines`, true);
    positive(o.speed, `${path}/speed`);
    distributionOk(o.processing, `${path}/processing`);
    distributionOk(o.mtbf, `${path}/mtbf`);
    distributionOk(o.mttr, `${path}/mttr`);
    if (o.scrap !== undefined && !(o.scrap >= 0 && o.scrap < 1))
      fail(`${path}/scrap`, `must be in [0, 1), got ${o.scrap}`);
    const spec = plant.stations.find((s) => s.id === id);
    if (
      (o.mtbf !== undefined || o.mttr !== undefined) &&
      spec?.mtbf === undefined &&
      (o.mtbf === undefined || o.mttr === undefined)
    ) {
      fail(path, 'this station has no failures: give both mtbf and mttr');
    }
  }
  const bufferIds = new Set(plant.buffers.map((b) => b.id));
  for (const [id, o] of Object.entries(scenario.buffers ?? {})) {
    if (!bufferIds.has(id)) fail(`/buffers/${id}`, `no buffer "${id}"`);
    const c = o.capacity;
    if (c !== undefined && c !== null && !(Number.isInteger(c) && c >= 0)) {
      fail(`/buffers/${id}/capacity`, `must be an integer >= 0 or null (unlimited), got ${c}`);
    }
  }
  if (scenario.agv !== undefined && plant.agv === undefined) fail('/agv', 'this plant has no AGV transport');
  positive(scenario.agv?.count, '/agv/count', true);
  positive(scenario.agv?.speed, '/agv/speed');
  const sourceIds = new Set(plant.sources.map((s) => s.id));
  for (const [id, o] of Object.entries(scenario.sources ?? {})) {
    if (!sourceIds.has(id)) fail(`/sources/${id}`, `no source "${id}"`);
    positive(o.rate, `/sources/${id}/rate`);
  }
  if (issues.length > 0) throw new PlantSimulationError('scenario', issues);
}
