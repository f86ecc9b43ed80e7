// Transports between nodes that take time: a forklift delay per unit, and the AGV fleet.
import type { Simulation, TimeWeighted } from '../engine/index.js';
import type { Carrier, Link, PlantContext } from './flow.js';
import type { Unit } from './Unit.js';

interface Delivery {
  readonly unit: Unit;
  readonly link: Link;
}

function deliver(delivery: Delivery): void {
  const { link, unit } = delivery;
  link.to.reserved--;
  link.to.accept(unit, link.from);
}

/** A fixed handling delay per unit with as many handlers as needed (forklift or manual transport). */
export class DelayCarrier implements Carrier {
  readonly holds = false;
  constructor(
    private readonly sim: Simulation,
    private readonly delay: number,
  ) {}

  carry(unit: Unit, link: Link): void {
    link.to.reserved++;
    this.sim.schedule(this.delay, deliver, { unit, link });
  }
}

interface Request {
  readonly unit: Unit;
  readonly link: Link;
  /** Location indices of the pickup and drop points. */
  readonly from: number;
  readonly to: number;
  readonly load: number;
  readonly unload: number;
}

class Vehicle {
  busy = false;
  request: Request | undefined;
  constructor(
    readonly fleet: AgvFleet,
    readonly id: string,
    public at: number,
  ) {}
}

function loaded(vehicle: Vehicle): void {
  vehicle.fleet.loaded(vehicle);
}
function unloaded(vehicle: Vehicle): void {
  vehicle.fleet.unloaded(vehicle);
}

/**
 * Vehicles answer transport requests oldest first; a new request goes to the nearest idle vehicle.
 * A trip is empty travel to the pickup, loading, loaded travel and unloading; an idle vehicle
 * waits where it unloaded. Room at the drop point is reserved when the request is made, so a
 * loaded vehicle never waits for room.
 */
export class AgvFleet {
  private readonly vehicles: Vehicle[];
  private readonly queue: Request[] = [];
  private queueHead = 0;
  readonly busy: TimeWeighted;
  trips = 0;

  constructor(
    private readonly context: PlantContext,
    /** Location names, indexed as in `distance`. */
    private readonly locations: readonly string[],
    /** Shortest path lengths in metres, row-major locations × locations. */
    private readonly distance: Float64Array,
    vehicles: readonly { id: string; at: number }[],
    public speed: number,
  ) {
    this.vehicles = vehicles.map((v) => new Vehicle(this, v.id, v.at));
    this.busy = context.sim.timeWeighted(0);
  }

  get size(): number {
    return this.vehicles.length;
  }

  /** A carrier for one link: `transferTime` is split evenly into loading and unloading. */
  carrier(from: number, to: number, transferTime: number): Carrier {
    return {
      holds: true,
      carry: (unit, link) => {
        link.to.reserved++;
        this.queue.push({ unit, link, from, to, load: transferTime / 2, unload: transferTime / 2 });
        this.dispatch();
      },
    };
  }

  private travel(from: number, to: number): number {
    return this.distance[from * this.locations.length + to]! / this.speed;
  }

  private dispatch(): void {
    while (this.queueHead < this.queue.length) {
      const request = this.queue[this.queueHead]!;
      let best: Vehicle | undefined;
      let bestDistance = Infinity;
      for (const vehicle of this.vehicles) {
        if (vehicle.busy) continue;
        const d = this.distance[vehicle.at * this.locations.length + request.from]!;
        if (d < bestDistance) {
          best = vehicle;
          bestDistance = d;
        }
      }
      if (best === undefined) return;
      this.queueHead++;
      if (this.queueHead > 64 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.assign(best, request);
    }
  }

  private assign(vehicle: Vehicle, request: Request): void {
    vehicle.busy = true;
    vehicle.request = request;
    this.busy.add(1);
    const sim = this.context.sim;
    const travel = this.travel(vehicle.at, request.from);
    this.context.observer?.agvMoved?.(
      vehicle.id,
      this.locations[vehicle.at]!,
      this.locations[request.from]!,
      sim.now,
      sim.now + travel,
    );
    vehicle.at = request.from;
    sim.schedule(travel + request.load, loaded, vehicle);
  }

  loaded(vehicle: Vehicle): void {
    const request = vehicle.request!;
    request.link.from.pickedUp(request.unit);
    const sim = this.context.sim;
    const travel = this.travel(request.from, request.to);
    this.context.observer?.agvMoved?.(
      vehicle.id,
      this.locations[request.from]!,
      this.locations[request.to]!,
      sim.now,
      sim.now + travel,
      request.unit,
    );
    vehicle.at = request.to;
    sim.schedule(travel + request.unload, unloaded, vehicle);
  }

  unloaded(vehicle: Vehicle): void {
    const request = vehicle.request!;
    vehicle.request = undefined;
    vehicle.busy = false;
    this.busy.add(-1);
    this.trips++;
    request.link.to.reserved--;
    request.link.to.accept(request.unit, request.link.from);
    this.dispatch();
  }

  /** Adds vehicles at a location, or retires idle ones (a scenario or control action). */
  setSize(count: number, at: number): void {
    while (this.vehicles.length < count) {
      this.vehicles.push(new Vehicle(this, `agv-${String(this.vehicles.length + 1).padStart(2, '0')}`, at));
    }
    while (this.vehicles.length > count && !this.vehicles[this.vehicles.length - 1]!.busy)
      this.vehicles.pop();
    this.dispatch();
  }
}
