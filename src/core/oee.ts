// OEE by ISO 22400-2: the one definition the dashboard (src/world/kpis.ts) and the simulation's
// studies (src/sim/factory/PlantModel.ts) both call. What goes into each time and why: docs/oee.md.

/** The times (seconds) and quantities of one work unit, or of several summed, over one period. */
export interface OeeInput {
  /** PBT, planned busy time: the period less planned downtime (maintenance, stopped, no data). */
  readonly plannedBusyTime: number;
  /**
   * APT, actual production time: the part of PBT in which the unit processed product. Blocked,
   * starved, idle, setup and down time are not production time, so they lower availability.
   */
  readonly actualProductionTime: number;
  /**
   * Ideal cycle time × produced quantity, seconds: each unit produced at the cycle time the unit is
   * set up to run at now (a station sped up has a shorter ideal cycle time). Summed over products
   * or units when they differ.
   */
  readonly idealProductionTime: number;
  /** PQ, produced quantity: good and scrapped units finished in the period. */
  readonly producedQuantity: number;
  /** GQ, good quantity. */
  readonly goodQuantity: number;
}

/** Shares 0–1 for consistent inputs; null where the period holds nothing to divide by. */
export interface OeeIndex {
  /** APT / PBT. */
  readonly availability: number | null;
  /** ISO 22400-2's effectiveness: ideal production time / APT. */
  readonly performance: number | null;
  /** GQ / PQ. */
  readonly quality: number | null;
  /** availability × performance × quality: 0 when one of them is 0, else null when one is null. */
  readonly oee: number | null;
}

/**
 * The OEE index and its three factors. Nothing is clamped: each is at most 1 when APT ≤ PBT,
 * ideal production time ≤ APT and GQ ≤ PQ, and a figure above 1 shows inputs that break one of
 * those (a wrong ideal cycle time, most often) rather than hiding them.
 */
export function oeeIndex(input: OeeInput): OeeIndex {
  const { plannedBusyTime, actualProductionTime, idealProductionTime, producedQuantity, goodQuantity } =
    input;
  const availability = plannedBusyTime > 0 ? actualProductionTime / plannedBusyTime : null;
  const performance = actualProductionTime > 0 ? idealProductionTime / actualProductionTime : null;
  const quality = producedQuantity > 0 ? goodQuantity / producedQuantity : null;
  const factors = [availability, performance, quality];
  // Planned time without production, or production time without a unit finished, is an OEE of 0
  // even though the factors after it have nothing to divide by.
  const oee = factors.includes(0)
    ? 0
    : availability === null || performance === null || quality === null
      ? null
      : availability * performance * quality;
  return { availability, performance, quality, oee };
}

/** Adds the inputs of several units (a line's stations, a plant's lines): their OEE is of the sum. */
export function sumOeeInputs(inputs: readonly OeeInput[]): OeeInput {
  let plannedBusyTime = 0;
  let actualProductionTime = 0;
  let idealProductionTime = 0;
  let producedQuantity = 0;
  let goodQuantity = 0;
  for (const input of inputs) {
    plannedBusyTime += input.plannedBusyTime;
    actualProductionTime += input.actualProductionTime;
    idealProductionTime += input.idealProductionTime;
    producedQuantity += input.producedQuantity;
    goodQuantity += input.goodQuantity;
  }
  return { plannedBusyTime, actualProductionTime, idealProductionTime, producedQuantity, goodQuantity };
}
