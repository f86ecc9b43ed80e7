// What a running plant model tells the outside (the live virtual plant publishes it over MQTT).
import type { Unit } from './Unit.js';

/** The Station model's `state` values (src/model/ontology/Station.json). */
export type StationState =
  'running' | 'idle' | 'blocked' | 'starved' | 'down' | 'setup' | 'maintenance' | 'offline';

/** Every method is optional: implement what you publish. Times are simulated seconds. */
export interface PlantObserver {
  /** A station's overall state changed (with parallel machines: the most telling machine state). */
  stationState?(station: string, state: StationState, time: number): void;
  unitCreated?(unit: Unit, time: number): void;
  unitStarted?(unit: Unit, station: string, time: number): void;
  /** `cycleTime` runs from start to end of processing, setup and repairs included. */
  unitFinished?(unit: Unit, station: string, time: number, cycleTime: number, scrapped: boolean): void;
  /** The unit reached a sink. */
  unitCompleted?(unit: Unit, time: number): void;
  /** A vehicle leaves `from` for `to`, loaded with `unit` or empty. */
  agvMoved?(agv: string, from: string, to: string, departTime: number, arriveTime: number, unit?: Unit): void;
  bufferLevel?(buffer: string, level: number, time: number): void;
  /** A machine of the station failed and will be repaired at `repairedAt`. */
  stationFailed?(station: string, machine: number, time: number, repairedAt: number): void;
}
