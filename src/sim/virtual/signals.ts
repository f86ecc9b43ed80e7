// The physical signals of one simulated machine — temperature, vibration, power, energy — from its
// station's state and health, so a failure is preceded by rising vibration and heat as on a real
// machine. Deterministic for a given random stream.
import { normal, type Random } from '../engine/index.js';
import type { StationState } from '../factory/index.js';

export interface MachineReadings {
  /** °C */
  readonly temperature: number;
  /** mm/s RMS */
  readonly vibration: number;
  /** kW */
  readonly power: number;
  /** kWh since the start of the run */
  readonly energy: number;
}

/** Below this health (share of the time between failures left) the machine shows wear. */
const WEAR_FROM = 0.25;
const AMBIENT = 22;
/** Thermal time constant, seconds. */
const HEAT_TAU = 600;
const noise = normal(0, 1);

export class MachineSignals {
  private temperature = AMBIENT + 4;
  private energy = 0;

  constructor(
    private readonly random: Random,
    /** kW drawn while working. */
    private readonly ratedPower: number,
  ) {}

  /** Advances the machine by `seconds` in `state` and returns its readings. */
  sample(state: StationState, health: number, seconds: number): MachineReadings {
    const working = state === 'running' || state === 'setup';
    const wear = Math.max(0, (WEAR_FROM - health) / WEAR_FROM);
    const load = working ? 1 : state === 'down' || state === 'offline' ? 0 : 0.15;
    const target = AMBIENT + 6 + 22 * load + 14 * wear * wear;
    this.temperature += (target - this.temperature) * (1 - Math.exp(-seconds / HEAT_TAU));
    const power = this.ratedPower * (load === 1 ? 0.7 + 0.1 * wear : load) * (1 + 0.03 * this.gauss());
    this.energy += (Math.max(0, power) * seconds) / 3600;
    const vibration = (working ? 1.8 : load > 0 ? 0.4 : 0.05) + 6 * wear * wear;
    return {
      temperature: round(this.temperature + 0.15 * this.gauss(), 1),
      vibration: round(Math.max(0, vibration * (1 + 0.05 * this.gauss())), 2),
      power: round(Math.max(0, power), 2),
      energy: round(this.energy, 3),
    };
  }

  private gauss(): number {
    return noise.sample(this.random);
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
