// A station of parallel machines: setup on variant change, processing, operating-time failures, scrap, blocking after service.
import type { Distribution, Random } from '../engine/index.js';
import { FlowNode, type PlantContext } from './flow.js';
import type { StationState } from './observer.js';
import type { StationKind } from './spec.js';
import { StateTime } from './StateTime.js';
import type { Unit } from './Unit.js';

/** Machine states; the numbers index the time-weighted counters. */
export const STARVED = 0;
export const WORKING = 1;
export const SETUP = 2;
export const DOWN = 3;
export const BLOCKED = 4;
export const OFFLINE = 5;
const STATES = 6;

export interface StationOptions {
  readonly kind: StationKind;
  machines: number;
  /** Processing time per variant; `*` for the rest. */
  readonly processing: ReadonlyMap<string, Distribution>;
  readonly setup: Distribution | undefined;
  mtbf: Distribution | undefined;
  mttr: Distribution | undefined;
  readonly scrap: number;
  readonly outputs: number;
  /** Divides processing times. */
  speed: number;
}

export interface StationStreams {
  readonly processing: Random;
  readonly failures: Random;
  readonly repairs: Random;
  readonly scrap: Random;
}

class Machine {
  state = STARVED;
  unit: Unit | undefined;
  variant: string | undefined;
  /** Processing time still to do (failures interrupt it). */
  remaining = 0;
  /** The processing time of the unit in process, at the station's speed when it started: its ideal time. */
  ideal = 0;
  /** The part of `ideal` worked before the statistics were last reset, which the measured period does not own. */
  idealBefore = 0;
  /** Operating time left before the next failure, not counting the segment in the calendar. */
  timeToFailure = Infinity;
  /** The whole operating time between the last repair and the next failure. */
  lifetime = Infinity;
  /** End of the operating segment in the calendar (a finish or a failure). */
  segmentEnd = 0;
  cycleStart = 0;
  /** Units done and waiting to leave, in order. */
  readonly out: Unit[] = [];

  constructor(
    readonly station: Station,
    readonly index: number,
  ) {}
}

function setupDone(machine: Machine): void {
  machine.station.setupDone(machine);
}
function failed(machine: Machine): void {
  machine.station.failed(machine);
}
function repaired(machine: Machine): void {
  machine.station.repaired(machine);
}
function finished(machine: Machine): void {
  machine.station.finished(machine);
}
function report(station: Station): void {
  station.report();
}

export class Station extends FlowNode {
  private readonly machines: Machine[] = [];
  private readonly counts: Int32Array;
  /** Machines in each state over time; their means over the number of machines are the state fractions. */
  readonly stateTime: StateTime;
  good = 0;
  scrapped = 0;
  /**
   * Ideal time of the units finished (good and scrap) since the last reset, seconds: each unit's
   * processing time at the speed it ran, the part worked before the reset left out. The model has
   * no speed losses, so this is the working time of those units (docs/oee.md).
   */
  idealTime = 0;
  private stopped = false;
  private reported: StationState | undefined;
  private reportPending = false;
  /** Assembly: one slot per input node, filled in input order. */
  private readonly slots: (Unit | undefined)[] = [];
  private filled = 0;
  private readonly anyVariant: Distribution | undefined;
  private readonly assembly: boolean;
  /** Whether processing differs by variant (else one distribution, no lookup per unit). */
  private readonly perVariant: boolean;

  constructor(
    id: string,
    context: PlantContext,
    readonly options: StationOptions,
    private readonly streams: StationStreams,
  ) {
    super(id, context);
    const sim = context.sim;
    this.stateTime = sim.track(new StateTime(sim, STATES));
    this.counts = this.stateTime.counts;
    this.anyVariant = options.processing.get('*');
    this.assembly = options.kind === 'assembly';
    this.perVariant = !(options.processing.size === 1 && this.anyVariant !== undefined);
    for (let i = 0; i < options.machines; i++) this.addMachine();
  }

  get machineCount(): number {
    return this.machines.length;
  }

  /** Called once the inputs are known, to size the assembly slots. */
  wired(): void {
    this.slots.length = this.inputs.length;
  }

  canAccept(unit: Unit, from: FlowNode): boolean {
    if (this.stopped) return false;
    if (this.assembly) {
      const slot = this.inputs.indexOf(from);
      return this.counts[STARVED]! > 0 && slot >= 0 && this.slots[slot] === undefined;
    }
    return this.counts[STARVED]! - this.reserved > 0;
  }

  accept(unit: Unit, from: FlowNode): void {
    if (this.assembly) {
      const slot = this.inputs.indexOf(from);
      this.slots[slot] = unit;
      if (++this.filled < this.slots.length) return;
      // The first input's unit carries on; the others become part of it.
      for (let i = 1; i < this.slots.length; i++) {
        this.context.consumed++;
        this.context.wip.add(-1);
      }
      unit = this.slots[0]!;
      this.slots.fill(undefined);
      this.filled = 0;
    }
    const machine = this.freeMachine();
    machine.unit = unit;
    const now = this.context.sim.now;
    machine.cycleStart = now;
    unit.route?.push({ station: this.id, enter: now, leave: NaN });
    this.context.observer?.unitStarted?.(unit, this.id, now);
    const setup = this.options.setup;
    if (setup !== undefined && machine.variant !== undefined && machine.variant !== unit.variant) {
      machine.variant = unit.variant;
      this.setState(machine, SETUP);
      this.context.sim.schedule(Math.max(0, setup.sample(this.streams.processing)), setupDone, machine);
      return;
    }
    machine.variant = unit.variant;
    this.startProcessing(machine);
  }

  setupDone(machine: Machine): void {
    this.startProcessing(machine);
  }

  private startProcessing(machine: Machine): void {
    const distribution = this.perVariant
      ? (this.options.processing.get(machine.unit!.variant) ?? this.anyVariant!)
      : this.anyVariant!;
    const time = distribution.sample(this.streams.processing);
    machine.remaining = (time > 0 ? time : 0) / this.options.speed;
    machine.ideal = machine.remaining;
    machine.idealBefore = 0;
    this.operate(machine);
  }

  /** Runs the remaining processing, unless a failure comes first (failures count operating time only). */
  private operate(machine: Machine): void {
    this.setState(machine, WORKING);
    const sim = this.context.sim;
    if (machine.timeToFailure <= machine.remaining) {
      machine.remaining -= machine.timeToFailure;
      machine.segmentEnd = sim.now + machine.timeToFailure;
      sim.schedule(machine.timeToFailure, failed, machine);
      machine.timeToFailure = 0;
    } else {
      machine.timeToFailure -= machine.remaining;
      machine.segmentEnd = sim.now + machine.remaining;
      sim.schedule(machine.remaining, finished, machine);
      machine.remaining = 0;
    }
  }

  failed(machine: Machine): void {
    this.setState(machine, DOWN);
    const sim = this.context.sim;
    const repair = Math.max(0, this.options.mttr!.sample(this.streams.repairs));
    this.context.observer?.stationFailed?.(this.id, machine.index, sim.now, sim.now + repair);
    sim.schedule(repair, repaired, machine);
  }

  repaired(machine: Machine): void {
    this.drawLifetime(machine);
    this.operate(machine);
  }

  finished(machine: Machine): void {
    const unit = machine.unit!;
    machine.unit = undefined;
    const context = this.context;
    const now = context.sim.now;
    const step = unit.route?.[unit.route.length - 1];
    if (step !== undefined) step.leave = now;
    const scrap = this.options.scrap > 0 && this.streams.scrap.next() < this.options.scrap;
    context.observer?.unitFinished?.(unit, this.id, now, now - machine.cycleStart, scrap);
    // A scrapped unit took production time too: ISO 22400 counts it in the produced quantity.
    this.idealTime += machine.ideal - machine.idealBefore;
    if (scrap) {
      this.scrapped++;
      context.scrapped++;
      context.wip.add(-1);
      this.setState(machine, this.stopped ? OFFLINE : STARVED);
      this.wakeInputs();
      return;
    }
    this.good++;
    if (this.options.outputs === 1) {
      // The common case, without the detour through out and flush: hand the unit on if there is room.
      const link = this.pickLink(unit);
      if (link !== undefined) {
        this.setState(machine, this.stopped ? OFFLINE : STARVED);
        link.send(unit);
        if (!this.stopped) this.wakeInputs();
        return;
      }
    }
    machine.out.push(unit);
    for (let i = 1; i < this.options.outputs; i++) {
      const part = context.newUnit(unit.variant, unit.order);
      context.release(part);
      machine.out.push(part);
    }
    this.setState(machine, BLOCKED);
    this.wake();
  }

  protected flush(): void {
    // Woken whenever room frees downstream; usually nothing here is waiting.
    if (this.counts[BLOCKED] === 0) return;
    let freed = false;
    const machines = this.machines;
    for (let m = 0; m < machines.length; m++) {
      const machine = machines[m]!;
      if (machine.state !== BLOCKED) continue;
      const out = machine.out;
      while (out.length > 0) {
        const link = this.pickLink(out[0]!);
        if (link === undefined) break;
        const unit = out.shift()!;
        if (out.length === 0) {
          this.setState(machine, this.stopped ? OFFLINE : STARVED);
          freed = true;
        }
        link.send(unit);
      }
    }
    if (freed && !this.stopped) this.wakeInputs();
  }

  // ---- control ----

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const machine of this.machines) if (machine.state === STARVED) this.setState(machine, OFFLINE);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const machine of this.machines) if (machine.state === OFFLINE) this.setState(machine, STARVED);
    this.wakeInputs();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Adds or removes idle machines (a scenario, or a control action); busy machines finish first. */
  setMachines(count: number): void {
    while (this.machines.length < count) this.addMachine();
    for (let i = this.machines.length - 1; i >= count; i--) {
      const machine = this.machines[i]!;
      if (machine.state !== STARVED && machine.state !== OFFLINE) break;
      this.stateTime.add(machine.state, -1);
      this.machines.pop();
    }
    this.options.machines = this.machines.length;
    this.wakeInputs();
  }

  /**
   * 1 just after a repair, falling to 0 at the next failure, by operating time: what the virtual
   * plant turns into rising vibration and temperature. The lowest over the machines.
   */
  get health(): number {
    let health = 1;
    const now = this.context.sim.now;
    for (const machine of this.machines) {
      if (machine.lifetime === Infinity) continue;
      if (machine.state === DOWN) return 0;
      let left = machine.timeToFailure;
      // timeToFailure is settled up front for the segment in the calendar: add back what is not yet run.
      if (machine.state === WORKING) left += Math.max(0, machine.segmentEnd - now);
      health = Math.min(health, Math.max(0, left / machine.lifetime));
    }
    return health;
  }

  /** The station's state as its twin shows it. */
  get state(): StationState {
    const c = this.counts;
    if (c[OFFLINE] === this.machines.length) return 'offline';
    if (c[DOWN]! > 0) return 'down';
    if (c[WORKING]! > 0) return 'running';
    if (c[SETUP]! > 0) return 'setup';
    if (c[BLOCKED]! > 0) return 'blocked';
    return 'starved';
  }

  /**
   * Starts a measured period: counts from zero, and each unit in process owes the period only the
   * processing still to do, so the period's ideal time never exceeds its working time.
   */
  resetCounts(): void {
    this.good = 0;
    this.scrapped = 0;
    this.idealTime = 0;
    const now = this.context.sim.now;
    for (const machine of this.machines) {
      if (machine.state === WORKING) {
        machine.idealBefore = machine.ideal - machine.remaining - Math.max(0, machine.segmentEnd - now);
      } else if (machine.state === DOWN) {
        machine.idealBefore = machine.ideal - machine.remaining;
      }
    }
  }

  private setState(machine: Machine, state: number): void {
    const old = machine.state;
    if (old === state) return;
    machine.state = state;
    this.stateTime.move(old, state);
    if (!this.reportPending && this.context.observer?.stationState !== undefined) {
      // Report once the instant's events are done: a hand-over passes through blocked and
      // starved to running in no time, and only where it ends is worth publishing.
      this.reportPending = true;
      this.context.sim.schedule(0, report, this);
    }
  }

  report(): void {
    this.reportPending = false;
    const state = this.state;
    if (state === this.reported) return;
    this.reported = state;
    this.context.observer!.stationState!(this.id, state, this.context.sim.now);
  }

  private freeMachine(): Machine {
    for (const machine of this.machines)
      if (machine.unit === undefined && machine.out.length === 0) {
        if (machine.state === STARVED || machine.state === OFFLINE) return machine;
      }
    throw new Error(`station ${this.id} has no free machine`);
  }

  private addMachine(): void {
    const machine = new Machine(this, this.machines.length);
    this.drawLifetime(machine);
    this.machines.push(machine);
    this.stateTime.add(STARVED, 1);
  }

  private drawLifetime(machine: Machine): void {
    const mtbf = this.options.mtbf;
    machine.lifetime = mtbf === undefined ? Infinity : Math.max(1e-9, mtbf.sample(this.streams.failures));
    machine.timeToFailure = machine.lifetime;
  }
}
