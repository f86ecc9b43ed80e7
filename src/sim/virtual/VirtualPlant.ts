// The demo plant alive: a plant simulation advanced step by step, whose events and machine signals
// come out as the MQTT messages a real plant would send (topics as in examples/demo-mappings.yaml),
// and which obeys start, stop and speed commands. Pure: the caller owns the clock and the broker.
import { Random, Simulation } from '../engine/index.js';
import {
  buildPlantModel,
  type PlantModel,
  type PlantObserver,
  type PlantSimulation,
  type StationState,
  type Unit,
} from '../factory/index.js';
import { MachineSignals } from './signals.js';

export interface OutgoingMessage {
  readonly topic: string;
  /** A JSON object; `ts` is the time of its values in ms since the epoch. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A machine (or robot) a station hosts, and the sensors on it. */
export interface HostedAsset {
  /** Identifier suffix under the plant's prefix, e.g. `line-1/st-01/cnc`. */
  readonly id: string;
  readonly station: string;
  /** kW while working. */
  readonly ratedPower: number;
  readonly sensors: readonly { readonly id: string; readonly kind: string }[];
}

export interface VirtualPlantOptions {
  readonly seed?: number;
  /** Epoch ms at simulated second 0. */
  readonly startedAt: number;
  /** Simulated seconds per real second. */
  readonly speed?: number;
  /** Simulated seconds run silently before `startedAt`, so the plant starts full, not empty. */
  readonly warmup?: number;
  readonly assets?: readonly HostedAsset[];
  /** The fields a twin takes (by identifier suffix), so the plant sends only what its twins model;
   *  undefined for a twin that does not exist. Without it, everything is sent. */
  readonly fieldsOf?: (id: string) => ReadonlySet<string> | undefined;
}

interface Trip {
  readonly from: string;
  readonly to: string;
  readonly depart: number;
  readonly arrive: number;
  readonly unit: Unit | undefined;
}

const SIGNAL_STREAM = 5000;

export class VirtualPlant {
  readonly sim = new Simulation();
  readonly model: PlantModel;
  readonly speed: number;
  private outbox: OutgoingMessage[] = [];
  private readonly goods = new Map<string, { good: number; scrap: number }>();
  private readonly signals: { asset: HostedAsset; signals: MachineSignals }[];
  private readonly trips = new Map<string, Trip>();
  /** Units finished by the last station of each line in the last simulated hour (their times). */
  private readonly lineOutput = new Map<string, number[]>();
  private lastSample = 0;
  /** The simulated second at `startedAt`. */
  private readonly offset: number;

  constructor(
    readonly plant: PlantSimulation,
    private readonly options: VirtualPlantOptions,
  ) {
    this.speed = options.speed ?? 1;
    const seed = options.seed ?? 1;
    this.model = buildPlantModel(this.sim, plant, {
      random: (stream) => new Random(seed, stream, 0),
      observer: this.observer(),
    });
    this.signals = (options.assets ?? []).map((asset, i) => ({
      asset,
      signals: new MachineSignals(new Random(seed, SIGNAL_STREAM + i, 0), asset.ratedPower),
    }));
    for (const station of plant.stations) this.goods.set(station.id, { good: 0, scrap: 0 });
    this.offset = options.warmup ?? 0;
    if (this.offset > 0) {
      this.sim.run(this.offset);
      this.outbox = [];
      this.lastSample = this.offset;
    }
  }

  /** A message to the twin `id` on its `status` or `telemetry` topic, with the fields it takes. */
  private message(
    id: string,
    channel: 'status' | 'telemetry',
    ts: number,
    values: Record<string, unknown>,
  ): OutgoingMessage | undefined {
    const fields = this.options.fieldsOf?.(id);
    if (this.options.fieldsOf !== undefined && fields === undefined) return undefined;
    const payload: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values))
      if (fields === undefined || fields.has(key)) payload[key] = value;
    if (Object.keys(payload).length === 0) return undefined;
    payload.ts = ts;
    return { topic: `plant/${id}/${channel}`, payload };
  }

  /** The epoch ms of a simulated second. */
  epochOf(seconds: number): number {
    return Math.round(this.options.startedAt + ((seconds - this.offset) * 1000) / this.speed);
  }

  /** The simulated second of an epoch ms. */
  secondsAt(epochMs: number): number {
    return this.offset + ((epochMs - this.options.startedAt) * this.speed) / 1000;
  }

  /** Runs the plant up to `epochMs` and returns what happened meanwhile, in order. */
  advance(epochMs: number): OutgoingMessage[] {
    const until = this.secondsAt(epochMs);
    if (until > this.sim.now) this.sim.run(until);
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  /** The continuous readings at `epochMs`: machines and their sensors, vehicles, lines. */
  sample(epochMs: number): OutgoingMessage[] {
    const now = this.secondsAt(epochMs);
    const elapsed = Math.max(0, now - this.lastSample);
    this.lastSample = now;
    const ts = Math.round(epochMs);
    const out: OutgoingMessage[] = [];
    const push = (message: OutgoingMessage | undefined) => message !== undefined && out.push(message);
    for (const { asset, signals } of this.signals) {
      const state = this.model.stationState(asset.station);
      const readings = signals.sample(state, this.model.health(asset.station), elapsed);
      push(this.message(asset.id, 'telemetry', ts, { ...readings }));
      for (const sensor of asset.sensors) {
        const value = readings[sensor.kind as keyof typeof readings];
        if (value !== undefined) push(this.message(sensor.id, 'telemetry', ts, { value }));
      }
    }
    for (const [agv, trip] of this.trips) push(this.message(agv, 'telemetry', ts, this.vehicleAt(trip, now)));
    for (const [line, times] of this.lineOutput) {
      while (times.length > 0 && times[0]! < now - 3600) times.shift();
      // Over the first hour, the rate so far; after it, the last hour's count.
      const window = Math.min(3600, Math.max(now, 1));
      push(this.message(line, 'status', ts, { throughput: round((times.length * 3600) / window) }));
    }
    return out;
  }

  /** Every station's state and counts now: what a plant's devices send when they (re)connect, so a
   *  viewer sees the whole plant at once instead of each station only at its next change. */
  snapshot(epochMs: number): OutgoingMessage[] {
    const ts = Math.round(epochMs);
    const out: OutgoingMessage[] = [];
    for (const station of this.plant.stations) {
      const counts = this.goods.get(station.id)!;
      const message = this.message(station.id, 'status', ts, {
        state: this.model.stationState(station.id),
        goodCount: counts.good,
        scrapCount: counts.scrap,
      });
      if (message !== undefined) out.push(message);
    }
    return out;
  }

  /** Carries out a command addressed to a station: start, stop, or setSpeed with a factor. */
  command(station: string, command: unknown): { ok: true } | { ok: false; reason: string } {
    if (!this.plant.stations.some((s) => s.id === station))
      return { ok: false, reason: `no station ${station}` };
    const body = typeof command === 'object' && command !== null ? (command as Record<string, unknown>) : {};
    switch (body.command) {
      case 'start':
        this.model.startStation(station);
        return { ok: true };
      case 'stop':
        this.model.stopStation(station);
        return { ok: true };
      case 'setSpeed': {
        const factor = body.value;
        if (typeof factor !== 'number' || !(factor > 0 && factor <= 10)) {
          return { ok: false, reason: 'setSpeed needs "value", a factor above 0 and at most 10' };
        }
        this.model.setSpeed(station, factor);
        return { ok: true };
      }
      default:
        return { ok: false, reason: 'expected {"command": "start" | "stop" | "setSpeed", "value"?: factor}' };
    }
  }

  private observer(): PlantObserver {
    const emit = (
      id: string,
      channel: 'status' | 'telemetry',
      time: number,
      values: Record<string, unknown>,
    ) => {
      const message = this.message(id, channel, this.epochOf(time), values);
      if (message !== undefined) this.outbox.push(message);
    };
    const lineOf = (station: string) => station.slice(0, station.lastIndexOf('/'));
    const lastOfLine = new Set<string>();
    const byLine = new Map<string, string>();
    for (const s of this.plant.stations) byLine.set(lineOf(s.id), s.id); // stations are listed in line order
    for (const last of byLine.values()) lastOfLine.add(last);
    return {
      stationState: (station: string, state: StationState, time: number) =>
        emit(station, 'status', time, { state }),
      unitStarted: (unit: Unit, station: string, time: number) =>
        emit(station, 'status', time, { unit: unit.serial, order: unit.order }),
      unitFinished: (unit: Unit, station: string, time: number, cycleTime: number, scrapped: boolean) => {
        const counts = this.goods.get(station)!;
        if (scrapped) counts.scrap++;
        else counts.good++;
        emit(station, 'status', time, {
          goodCount: counts.good,
          scrapCount: counts.scrap,
          cycleTime: round(cycleTime),
        });
        if (!scrapped && lastOfLine.has(station)) {
          const line = lineOf(station);
          const times = this.lineOutput.get(line) ?? [];
          times.push(time);
          this.lineOutput.set(line, times);
          emit(line, 'status', time, { goodCount: counts.good });
        }
      },
      bufferLevel: (buffer: string, level: number, time: number) => emit(buffer, 'status', time, { level }),
      agvMoved: (agv: string, from: string, to: string, depart: number, arrive: number, unit?: Unit) => {
        this.trips.set(agv, { from, to, depart, arrive, unit });
        emit(agv, 'telemetry', depart, {
          mission: unit === undefined ? `to ${to}` : `${unit.serial} to ${to}`,
        });
      },
    };
  }

  private vehicleAt(trip: Trip, now: number): Record<string, unknown> {
    const from = this.plant.locations[trip.from];
    const to = this.plant.locations[trip.to];
    const moving = now < trip.arrive;
    const share =
      trip.arrive > trip.depart
        ? Math.min(1, Math.max(0, (now - trip.depart) / (trip.arrive - trip.depart)))
        : 1;
    const position =
      from === undefined || to === undefined
        ? undefined
        : { x: round(from.x + (to.x - from.x) * share), y: round(from.y + (to.y - from.y) * share) };
    const distance = from === undefined || to === undefined ? 0 : Math.hypot(to.x - from.x, to.y - from.y);
    const speed = moving && trip.arrive > trip.depart ? distance / (trip.arrive - trip.depart) : 0;
    return { ...(position === undefined ? {} : { position }), speed: round(speed) };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
