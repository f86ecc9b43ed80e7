// A unit of product moving through the plant: its serial identifier, variant, order and route.

export interface RouteStep {
  readonly station: string;
  readonly enter: number;
  leave: number;
}

export class Unit {
  /** Filled only when the model tracks routes (with an observer, or on request): a year of routes is large. */
  readonly route: RouteStep[] | undefined;

  constructor(
    /** Handle-style serial, `PREFIX/unit/VARIANT-000001`. */
    readonly serial: string,
    readonly variant: string,
    readonly order: string,
    /** Simulated time it was released into the plant (set on release). */
    public created: number,
    trackRoute: boolean,
  ) {
    this.route = trackRoute ? [] : undefined;
  }
}

/** Serials count per variant from 1, padded to six digits (more digits once past a million). */
export function unitSerial(prefix: string, variant: string, n: number): string {
  return `${prefix}/unit/${variant}-${String(n).padStart(6, '0')}`;
}
