// Numbers as people read them in reports and the CLI: units, percentages, mean ± half width.
import type { MetricEstimate } from './estimate.js';

export type MetricUnit = 'units/h' | 'seconds' | 'fraction' | 'count';

/** The unit a metric is in, from its name (the model contract's naming). */
export function metricUnit(metric: string): MetricUnit {
  if (metric === 'throughput' || metric.startsWith('throughput.')) return 'units/h';
  if (metric === 'leadTime' || metric.startsWith('leadTime.')) return 'seconds';
  if (
    /^station\..+\.(utilisation|oee|availability|performance|quality|blocked|starved|down|setup)$/.test(
      metric,
    )
  )
    return 'fraction';
  return 'count';
}

/** A station as people know it: its name from the plant file, then its id; the id alone without a name. */
export function stationLabel(names: Readonly<Record<string, string>> | undefined, id: string): string {
  const name = names?.[id];
  return name === undefined || name === id ? id : `${name} (${id})`;
}

/** Significant digits enough to see a confidence interval's width, without noise. */
export function formatNumber(value: number | null, digits = 3): string {
  if (value === null || !Number.isFinite(value)) return '–';
  // Differences of identical runs come out as rounding noise (1e-16): that is zero to a reader.
  if (Math.abs(value) < 1e-9) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** Seconds in the largest unit that keeps the number readable: 5400 → "1.5 h". */
export function formatSeconds(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const [divisor, unit] = secondsUnit(value);
  return `${formatNumber(value / divisor)} ${unit}`;
}

/** One value of a metric in its unit; `scale` picks the unit for seconds so a ± reads in the same one. */
export function formatValue(metric: string, value: number | null, secondsScale?: number): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (metricUnit(metric)) {
    case 'fraction':
      return `${formatNumber(value * 100)}%`;
    case 'units/h':
      return `${formatNumber(value)} units/h`;
    case 'seconds': {
      const [divisor, unit] = secondsUnit(secondsScale ?? value);
      return `${formatNumber(value / divisor)} ${unit}`;
    }
    default:
      return formatNumber(value);
  }
}

/** "12.3 ± 0.4 units/h" (95% interval); the ± is left out when there is no interval. */
export function formatEstimate(metric: string, estimate: MetricEstimate): string {
  if (estimate.mean === null) return '–';
  if (estimate.halfWidth === null) return formatValue(metric, estimate.mean);
  const unit = metricUnit(metric);
  if (unit === 'fraction') {
    return `${formatNumber(estimate.mean * 100)} ± ${formatNumber(estimate.halfWidth * 100, 2)}%`;
  }
  if (unit === 'seconds') {
    const [divisor, name] = secondsUnit(estimate.mean);
    return `${formatNumber(estimate.mean / divisor)} ± ${formatNumber(estimate.halfWidth / divisor, 2)} ${name}`;
  }
  const suffix = unit === 'units/h' ? ' units/h' : '';
  return `${formatNumber(estimate.mean)} ± ${formatNumber(estimate.halfWidth, 2)}${suffix}`;
}

function secondsUnit(scale: number): [number, string] {
  const magnitude = Math.abs(scale);
  if (magnitude >= 86_400 * 2) return [86_400, 'd'];
  if (magnitude >= 3600) return [3600, 'h'];
  if (magnitude >= 60) return [60, 'min'];
  return [1, 's'];
}
