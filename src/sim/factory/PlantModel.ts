// A plant model wired into a simulation: control (stop, start, speed), health for the virtual plant, and metrics.
import type { Metrics } from '../engine/index.js';
import type { Buffer } from './Buffer.js';
import type { AgvFleet } from './carriers.js';
import type { Conveyor } from './Conveyor.js';
import type { PlantContext } from './flow.js';
import type { StationState } from './observer.js';
import type { Sink } from './Sink.js';
import type { Source } from './Source.js';
import type { PlantSimulation } from './spec.js';
import { BLOCKED, DOWN, SETUP, STARVED, WORKING, type Station } from './Station.js';
import { ImverseError } from '../../core/errors.js';
import { oeeIndex } from '../../core/oee.js';

export interface PlantNodes {
  readonly stations: readonly Station[];
  readonly buffers: readonly Buffer[];
  readonly conveyors: readonly Conveyor[];
  readonly sources: readonly Source[];
  readonly sinks: readonly Sink[];
  readonly fleet: AgvFleet | undefined;
}

export interface UnitCounts {
  /** Released into the plant (split parts included). */
  readonly created: number;
  readonly completed: number;
  readonly scrapped: number;
  /** Parts that went into an assembly. */
  readonly consumed: number;
  /** In the plant now. */
  readonly wip: number;
}

export class PlantModel {
  /** Station ids in the order of the `bottleneck` metric. */
  readonly stationIds: readonly string[];
  private readonly byId = new Map<string, Station>();
  private measureStart: number;
  private readonly lastVariants: readonly string[];

  constructor(
    readonly plant: PlantSimulation,
    readonly context: PlantContext,
    readonly nodes: PlantNodes,
    private readonly sample: { values: number[]; seen: number },
  ) {
    this.stationIds = nodes.stations.map((s) => s.id);
    for (const station of nodes.stations) this.byId.set(station.id, station);
    this.measureStart = context.sim.now;
    this.lastVariants = plant.variants;
    context.sim.track({ reset: () => this.reset() });
  }

  station(id: string): Station {
    const station = this.byId.get(id);
    if (station === undefined) {
      throw new ImverseError('IMV_SIM_PARAMETER_INVALID', `no station "${id}" in this plant`, {
        path: '/station',
      });
    }
    return station;
  }

  /** The station stops taking units; a unit in process finishes and leaves, then it reports offline. */
  stopStation(id: string): void {
    this.station(id).stop();
  }

  startStation(id: string): void {
    this.station(id).start();
  }

  /** Scales processing speed: 2 halves processing times; applies from the next unit. */
  setSpeed(id: string, factor: number): void {
    if (!(Number.isFinite(factor) && factor > 0)) {
      throw new ImverseError(
        'IMV_SIM_PARAMETER_INVALID',
        `speed factor must be a finite number > 0, got ${factor}`,
        {
          path: '/speed',
        },
      );
    }
    this.station(id).options.speed = factor;
  }

  stationState(id: string): StationState {
    return this.station(id).state;
  }

  /** 1 after a repair, falling to 0 at the next failure (by operating time); 1 for a station without failures. */
  health(id: string): number {
    return this.station(id).health;
  }

  counts(): UnitCounts {
    const c = this.context;
    return {
      created: c.created,
      completed: c.completed,
      scrapped: c.scrapped,
      consumed: c.consumed,
      wip: c.wip.current,
    };
  }

  /** Completions at the sinks since the statistics were last reset. */
  completedSinceReset(): number {
    let n = 0;
    for (const sink of this.nodes.sinks) n += sink.completed;
    return n;
  }

  /** The plant file's names of the stations that have one, by id: what a report shows. */
  stationNames(): Record<string, string> {
    const names: Record<string, string> = {};
    for (const spec of this.plant.stations) if (spec.name !== undefined) names[spec.id] = spec.name;
    return names;
  }

  /** The lead-time sample (at most LEAD_TIME_SAMPLE values, uniform over the measured period). */
  leadTimes(): number[] {
    return [...this.sample.values];
  }

  /** The flat metrics of docs/simulation.md, over the time since the last statistics reset. */
  metrics(): Metrics {
    const now = this.context.sim.now;
    const hours = (now - this.measureStart) / 3600;
    const metrics: Metrics = {};
    const perVariant = new Map<string, number>(this.lastVariants.map((v) => [v, 0]));
    let completed = 0;
    for (const sink of this.nodes.sinks) {
      completed += sink.completed;
      for (const [variant, n] of sink.perVariant) perVariant.set(variant, (perVariant.get(variant) ?? 0) + n);
    }
    metrics.throughput = hours > 0 ? completed / hours : NaN;
    for (const [variant, n] of perVariant) metrics[`throughput.${variant}`] = hours > 0 ? n / hours : NaN;
    metrics.completed = completed;
    metrics.leadTime = this.context.leadTime.mean;
    metrics.wip = this.context.wip.mean;
    let bottleneck = -1;
    let highest = -Infinity;
    this.nodes.stations.forEach((station, k) => {
      const machines = station.machineCount;
      const fraction = (state: number): number => station.stateTime.mean(state) / machines;
      const working = fraction(WORKING);
      const setup = fraction(SETUP);
      const down = fraction(DOWN);
      const prefix = `station.${station.id}`;
      metrics[`${prefix}.utilisation`] = working;
      metrics[`${prefix}.blocked`] = fraction(BLOCKED);
      metrics[`${prefix}.starved`] = fraction(STARVED);
      metrics[`${prefix}.down`] = down;
      metrics[`${prefix}.setup`] = setup;
      // ISO 22400-2 (docs/oee.md), in machine-seconds: planned busy time is all but stopped time;
      // production time is working time only, so blocked, starved, setup and down lower availability.
      const time = station.stateTime;
      const oee = oeeIndex({
        plannedBusyTime:
          time.total(WORKING) +
          time.total(SETUP) +
          time.total(DOWN) +
          time.total(BLOCKED) +
          time.total(STARVED),
        actualProductionTime: time.total(WORKING),
        idealProductionTime: station.idealTime,
        producedQuantity: station.good + station.scrapped,
        goodQuantity: station.good,
      });
      metrics[`${prefix}.availability`] = oee.availability ?? NaN;
      metrics[`${prefix}.performance`] = oee.performance ?? NaN;
      metrics[`${prefix}.quality`] = oee.quality ?? NaN;
      metrics[`${prefix}.oee`] = oee.oee ?? NaN;
      metrics[`${prefix}.good`] = station.good;
      metrics[`${prefix}.scrap`] = station.scrapped;
      const active = working + setup + down;
      if (active > highest) {
        highest = active;
        bottleneck = k;
      }
    });
    metrics.bottleneck = bottleneck;
    for (const buffer of this.nodes.buffers) metrics[`buffer.${buffer.id}.level`] = buffer.level.mean;
    for (const conveyor of this.nodes.conveyors)
      metrics[`conveyor.${conveyor.id}.level`] = conveyor.level.mean;
    for (const source of this.nodes.sources) metrics[`source.${source.id}.backlog`] = source.backlog;
    const fleet = this.nodes.fleet;
    if (fleet !== undefined) {
      metrics['agv.utilisation'] = fleet.busy.mean / fleet.size;
      metrics['agv.trips'] = fleet.trips;
    }
    return metrics;
  }

  private reset(): void {
    this.measureStart = this.context.sim.now;
    for (const station of this.nodes.stations) station.resetCounts();
    for (const sink of this.nodes.sinks) sink.reset();
    if (this.nodes.fleet !== undefined) this.nodes.fleet.trips = 0;
    this.sample.values.length = 0;
    this.sample.seen = 0;
  }
}
