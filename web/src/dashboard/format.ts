// How the dashboard writes its numbers; no DOM, so the end-to-end test formats the API's numbers
// the same way and compares them with what the page shows.

/** Shown for a KPI the window has no data for. */
export const NO_DATA = '–';

/** Units per hour: whole units from 100 up, one decimal below. */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined) return NO_DATA;
  return value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A share 0–1 as a percentage with one decimal. */
export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined) return NO_DATA;
  return `${(value * 100).toFixed(1)} %`;
}

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return NO_DATA;
  return value.toLocaleString('en-US');
}

/** The plant tiles: key in the hook and the DOM (data-kpi), label, and how the value is written. */
export const TILES = [
  { key: 'throughput', label: 'Throughput', unit: 'units/h', format: formatRate },
  { key: 'output', label: 'Output', unit: 'good units', format: formatCount },
  { key: 'oee', label: 'OEE', unit: 'A × P × Q', format: formatShare },
  { key: 'availability', label: 'Availability', unit: 'running / planned', format: formatShare },
  { key: 'performance', label: 'Performance', unit: 'ideal / actual cycle', format: formatShare },
  { key: 'quality', label: 'Quality', unit: 'good / all units', format: formatShare },
  { key: 'alarmsNow', label: 'Alarms now', unit: 'down or maintenance', format: formatCount },
  { key: 'downEvents', label: 'Breakdowns', unit: 'went down in range', format: formatCount },
] as const;

export type TileKey = (typeof TILES)[number]['key'];

/** The ranges the picker offers, in ms. */
export const RANGES: Readonly<Record<string, number>> = {
  '1h': 3_600_000,
  '8h': 8 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
};
export const DEFAULT_RANGE = '1h';
