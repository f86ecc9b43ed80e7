// The compiled plant simulation: plain, validated data that crosses worker threads and feeds buildPlantModel.
import type { DistributionSpec } from '../engine/index.js';

export type StationKind = 'station' | 'assembly' | 'split';
export type TransportKind = 'direct' | 'conveyor' | 'agv' | 'forklift';

/** Processing time per variant; the `*` entry applies to variants not listed. Seconds. */
export type ProcessingSpec = Readonly<Record<string, DistributionSpec>>;

export interface StationSpec {
  readonly id: string;
  /** The twin's name in the plant file, for reports; undefined when it has none. */
  readonly name?: string;
  readonly kind: StationKind;
  /** Parallel identical machines. */
  readonly machines: number;
  readonly processing: ProcessingSpec;
  /** Changeover time when a machine switches variant; undefined: none. */
  readonly setup?: DistributionSpec;
  /** Operating time between failures and time to repair; both or neither. */
  readonly mtbf?: DistributionSpec;
  readonly mttr?: DistributionSpec;
  /** Probability in [0, 1) that a processed unit is scrap. */
  readonly scrap: number;
  /** Units out per unit in (split only; 1 otherwise). */
  readonly outputs: number;
}

export interface BufferSpec {
  readonly id: string;
  /** Places; 0 is a direct hand-over, null unlimited. */
  readonly capacity: number | null;
}

export interface ConveyorSpec {
  readonly id: string;
  /** Metres. */
  readonly length: number;
  /** Metres per second. */
  readonly speed: number;
  /** Metres one unit occupies when accumulated. */
  readonly pitch: number;
}

export interface OrderSpec {
  readonly id: string;
  readonly variant: string;
  readonly quantity: number;
  /** Seconds from the start of the run at which the order may start. */
  readonly release: number;
}

export interface SourceSpec {
  readonly id: string;
  /** Time between arrivals; undefined: an unlimited supply that releases a unit whenever the next node takes one. */
  readonly interarrival?: DistributionSpec;
  /** Variant weights (normalised). */
  readonly mix: readonly { readonly variant: string; readonly weight: number }[];
  /** Consecutive units of one variant, forming one order. */
  readonly batch: number;
  /** A fixed order list instead of random arrivals (released in order, each unit when the next node takes it). */
  readonly orders?: readonly OrderSpec[];
}

export interface SinkSpec {
  readonly id: string;
}

export interface LinkSpec {
  readonly from: string;
  readonly to: string;
  readonly transport: TransportKind;
  /** Metres, for AGV travel; undefined: from the layout. */
  readonly distance?: number;
  /** Seconds of handling per trip (AGV: half to load, half to unload; forklift: a delay per unit). */
  readonly transferTime: number;
  /** Only these variants take this link; undefined: all. */
  readonly variants?: readonly string[];
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface AgvFleetSpec {
  readonly vehicles: readonly { readonly id: string; readonly home: string }[];
  /** Metres per second. */
  readonly speed: number;
}

export interface PlantSimulation {
  readonly file: string;
  readonly prefix: string;
  readonly variants: readonly string[];
  /** In a stable order: the `bottleneck` metric is an index into this list. */
  readonly stations: readonly StationSpec[];
  readonly buffers: readonly BufferSpec[];
  readonly conveyors: readonly ConveyorSpec[];
  readonly sources: readonly SourceSpec[];
  readonly sinks: readonly SinkSpec[];
  readonly links: readonly LinkSpec[];
  readonly agv?: AgvFleetSpec;
  /** Layout positions (metres) of the nodes and vehicle homes that have one. */
  readonly locations: Readonly<Record<string, Point>>;
  /** Default warm-up in seconds stated by the file (0 when silent). */
  readonly warmup: number;
}

/** What-if changes applied at build time, so a study needs no file edits. */
export interface ScenarioOverrides {
  readonly stations?: Readonly<
    Record<
      string,
      {
        readonly machines?: number;
        readonly processing?: DistributionSpec | number;
        readonly mtbf?: DistributionSpec | number;
        readonly mttr?: DistributionSpec | number;
        /** Divides processing times (2 = twice as fast). */
        readonly speed?: number;
        readonly scrap?: number;
      }
    >
  >;
  readonly buffers?: Readonly<Record<string, { readonly capacity?: number | null }>>;
  readonly agv?: { readonly count?: number; readonly speed?: number };
  /** `rate` multiplies the arrival rate (divides the interarrival time). */
  readonly sources?: Readonly<Record<string, { readonly rate?: number }>>;
}
