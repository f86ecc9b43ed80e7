// The bottleneck of a scenario by the active-period method: the station busiest with work or repair.
import type { MetricEstimate } from './estimate.js';

export interface Bottleneck {
  readonly station: string;
  /** Mean share of time the station was active: processing (utilisation) plus down for repair. */
  readonly active: number;
  readonly utilisation: number | null;
  /** Share of replications in which this station was the most active. */
  readonly shareOfReplications: number;
}

const STATION_METRIC = /^station\.(.+)\.(utilisation|down)$/;

/**
 * A station that is neither blocked nor starved, but working or being repaired, limits the line:
 * the most active station is the bottleneck (Roser's active-period method, averaged over the run).
 * Null when the model reports no station utilisation.
 */
export function findBottleneck(
  metrics: Readonly<Record<string, MetricEstimate>>,
  rows: readonly Readonly<Record<string, number | null>>[],
): Bottleneck | null {
  // The rows keep the model's order (stations in plant order), so ties go to the upstream station.
  const stations = stationIds(Object.keys(rows[0] ?? metrics));
  if (stations.length === 0) return null;
  const activeMean = (id: string): number =>
    (metrics[`station.${id}.utilisation`]?.mean ?? 0) + (metrics[`station.${id}.down`]?.mean ?? 0);
  let best = stations[0]!;
  for (const id of stations) if (activeMean(id) > activeMean(best)) best = id;

  let wins = 0;
  for (const row of rows) {
    const active = (id: string): number =>
      finiteOr0(row[`station.${id}.utilisation`]) + finiteOr0(row[`station.${id}.down`]);
    let top = stations[0]!;
    for (const id of stations) if (active(id) > active(top)) top = id;
    if (top === best) wins++;
  }
  return {
    station: best,
    active: activeMean(best),
    utilisation: metrics[`station.${best}.utilisation`]?.mean ?? null,
    shareOfReplications: rows.length > 0 ? wins / rows.length : 0,
  };
}

/** Station ids that have a utilisation metric, in the order of first appearance. */
export function stationIds(metricNames: readonly string[]): string[] {
  const ids: string[] = [];
  for (const name of metricNames) {
    const match = STATION_METRIC.exec(name);
    if (match !== null && match[2] === 'utilisation' && !ids.includes(match[1]!)) ids.push(match[1]!);
  }
  return ids;
}

function finiteOr0(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
