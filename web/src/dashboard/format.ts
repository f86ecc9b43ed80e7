// How the dashboard writes its numbers; no DOM, so the end-to-end test formats the API's numbers
// the same way and compares them with what the page shows. Numbers are written for the page's locale.
import { localeFormat, type Locale } from '../i18n/core.js';

/** Shown for a KPI the window has no data for. */
export const NO_DATA = '–';

/** Units per hour: whole units from 100 up, one decimal below. */
export function formatRate(value: number | null | undefined, locale: Locale = 'en'): string {
  if (value === null || value === undefined) return NO_DATA;
  return value >= 100
    ? Math.round(value).toLocaleString(locale)
    : value.toLocaleString(locale, { maximumFractionDigits: 1 });
}

/** A share 0–1 as a percentage with one decimal, the locale's way ("85.3%"). */
export function formatShare(value: number | null | undefined, locale: Locale = 'en'): string {
  if (value === null || value === undefined) return NO_DATA;
  return localeFormat(locale).percent(value, 1);
}

/** Seconds per unit: one decimal, or `digits` to tell two close cycles apart; the unit is the catalogue's. */
export function formatSeconds(value: number, locale: Locale = 'en', digits = 1): string {
  return value.toLocaleString(locale, { maximumFractionDigits: digits });
}

export function formatCount(value: number | null | undefined, locale: Locale = 'en'): string {
  if (value === null || value === undefined) return NO_DATA;
  return value.toLocaleString(locale);
}

/** The plant tiles: key in the hook and the DOM (data-kpi) and how the value is written; the label and
 * unit are the catalogue's `tile.<key>` and `tile.<key>.unit` (web/src/i18n/dashboard.ts). */
export const TILES = [
  { key: 'throughput', format: formatRate },
  { key: 'output', format: formatCount },
  { key: 'oee', format: formatShare },
  { key: 'availability', format: formatShare },
  { key: 'performance', format: formatShare },
  { key: 'quality', format: formatShare },
  { key: 'alarmsNow', format: formatCount },
  { key: 'downEvents', format: formatCount },
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
