// The plant KPIs the dashboard reads from GET /api/v1/world/kpis: shared by the server and the page.
// Inputs: docs/dashboard.md; the OEE definition, shared with the studies: docs/oee.md.

/**
 * ISO 22400-2's availability, performance (effectiveness) and quality as shares 0–1, and the OEE
 * index their product (src/core/oee.ts); null without data.
 */
export interface KpiRatios {
  readonly availability: number | null;
  readonly performance: number | null;
  readonly quality: number | null;
  readonly oee: number | null;
}

/** Seconds spent in each operating state within the window (only states that occurred). */
export type StateSeconds = Readonly<Record<string, number>>;

export interface StationKpis extends KpiRatios {
  readonly id: string;
  readonly name: string;
  /** The state now (the twin's `state`), or null when the station never reported one. */
  readonly state: string | null;
  readonly stateSeconds: StateSeconds;
  /** Good and scrapped units finished within the window. */
  readonly good: number;
  readonly scrap: number;
  /** Transitions into `down` within the window. */
  readonly downEvents: number;
  /** Down or in maintenance now. */
  readonly alarm: boolean;
  /** The twin's planned seconds per unit, or null when it has none. */
  readonly nominalCycleTime: number | null;
  /**
   * The ideal seconds per unit performance was measured against: nominalCycleTime, or the faster
   * cycle the station ran at within the window when it beat it (sped up, or nominalCycleTime set too slow).
   */
  readonly idealCycleTime: number | null;
}

export interface LineKpis extends KpiRatios {
  readonly id: string;
  readonly name: string;
  /** Good units per hour out of the line (wall-clock hours), or null when nothing reported output. */
  readonly throughput: number | null;
  /** Good units out of the line within the window. */
  readonly output: number;
  /** How many of its stations are in each state now. */
  readonly stateCounts: Readonly<Record<string, number>>;
  readonly alarms: {
    /** Stations down or in maintenance now. */
    readonly now: readonly string[];
    /** Transitions into `down` of its stations within the window. */
    readonly downEvents: number;
  };
  readonly stations: readonly StationKpis[];
}

export interface PlantKpis extends KpiRatios {
  /** Sum of the lines' throughputs (units per hour), or null when no line reported output. */
  readonly throughput: number | null;
  readonly output: number;
  readonly alarmsNow: number;
  readonly downEvents: number;
  readonly stations: number;
}

/** Good units per hour out of each line, bucket by bucket: uPlot's columnar shape. */
export interface ThroughputSeries {
  /** Bucket starts, ms since the epoch. */
  readonly time: readonly number[];
  readonly lines: readonly { readonly id: string; readonly values: readonly (number | null)[] }[];
}

export interface WorldKpis {
  /** The window, ms since the epoch (to is clamped to now). */
  readonly from: number;
  readonly to: number;
  /** Width of the throughput series' buckets, ms. */
  readonly bucket: number;
  /** When this was computed, ms since the epoch. */
  readonly computedAt: number;
  readonly plant: PlantKpis;
  readonly lines: readonly LineKpis[];
  readonly series: ThroughputSeries;
}
