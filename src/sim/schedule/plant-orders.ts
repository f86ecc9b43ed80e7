// A planner's orders on the plant's own stations as a job shop: each order is a job that visits
// its variant's route (from the plant file's material flow), spending quantity × the mean
// processing time (plus one setup) at each station. Times are whole seconds.
import { distribution } from '../engine/index.js';
import type { PlantSimulation, StationSpec } from '../factory/index.js';
import { ScheduleInstanceError } from './errors.js';
import type { JobShopInstance } from './instance.js';

export interface PlantOrder {
  readonly id: string;
  readonly variant: string;
  readonly quantity: number;
  /** Seconds from the start of the schedule; none: no due date of its own. */
  readonly due?: number;
  /** Seconds from the start before which the order cannot start. */
  readonly release?: number;
}

export interface PlantJobShop {
  readonly instance: JobShopInstance;
  /** Machine index → station id. */
  readonly stations: readonly string[];
  /** Job index → order; job j's operations follow `routes[j]`. */
  readonly orders: readonly PlantOrder[];
  readonly routes: readonly (readonly string[])[];
}

/** The stations a unit of `variant` passes, in order, following the flow from its source. */
export function variantRoute(plant: PlantSimulation, variant: string): string[] {
  const source = plant.sources.find((s) => s.mix.some((m) => m.variant === variant));
  if (source === undefined) {
    throw new ScheduleInstanceError(`no source of the plant releases variant ${variant}`, {
      path: '/variant',
    });
  }
  const stations = new Set(plant.stations.map((s) => s.id));
  const route: string[] = [];
  const seen = new Set<string>();
  let node: string | undefined = source.id;
  while (node !== undefined && !seen.has(node)) {
    seen.add(node);
    if (stations.has(node)) route.push(node);
    const from: string = node;
    // Where the flow forks, the first link the plant file names: orders are planned on one route.
    node = plant.links.find(
      (l) => l.from === from && (l.variants === undefined || l.variants.includes(variant)),
    )?.to;
  }
  return route;
}

export function plantJobShop(plant: PlantSimulation, orders: readonly PlantOrder[]): PlantJobShop {
  const byId = new Map(plant.stations.map((s) => [s.id, s]));
  const stations: string[] = [];
  const machineOf = new Map<string, number>();
  const seenOrders = new Set<string>();
  const routes: string[][] = [];
  const jobs = orders.map((order, j) => {
    const path = `/orders/${j}`;
    if (seenOrders.has(order.id))
      throw new ScheduleInstanceError(`order ${order.id} is listed twice`, { path: `${path}/id` });
    seenOrders.add(order.id);
    if (!plant.variants.includes(order.variant)) {
      throw new ScheduleInstanceError(
        `order ${order.id}: unknown variant ${order.variant}; the plant makes ${plant.variants.join(', ')}`,
        {
          path: `${path}/variant`,
        },
      );
    }
    if (!Number.isInteger(order.quantity) || order.quantity < 1) {
      throw new ScheduleInstanceError(`order ${order.id}: quantity must be a whole number ≥ 1`, {
        path: `${path}/quantity`,
      });
    }
    const route = variantRoute(plant, order.variant);
    routes.push(route);
    const operations = route.map((id) => {
      if (!machineOf.has(id)) {
        machineOf.set(id, stations.length);
        stations.push(id);
      }
      return { machine: machineOf.get(id)!, duration: batchSeconds(byId.get(id)!, order) };
    });
    return {
      operations,
      ...(order.release === undefined ? {} : { release: Math.round(order.release) }),
      ...(order.due === undefined ? {} : { due: Math.round(order.due) }),
    };
  });
  return { instance: { name: plant.file, machines: stations.length, jobs }, stations, orders, routes };
}

/** A batch's time at a station: one setup, then each unit's mean processing time (across parallel machines). */
function batchSeconds(station: StationSpec, order: PlantOrder): number {
  const spec = station.processing[order.variant] ?? station.processing['*'];
  const each = spec === undefined ? 0 : distribution(spec).mean;
  const setup = station.setup === undefined ? 0 : distribution(station.setup).mean;
  return Math.round(setup + (order.quantity * each) / station.machines);
}
