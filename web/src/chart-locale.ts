// uPlot in the page's language. uPlot writes its time axes and its legend's time with English month
// names and US dates ("11/25/26", "9:05am"), labels the time "Time" and writes numbers for the browser's
// language rather than the page's; these options write them all with Intl for the page's locale.
import type uPlot from 'uplot';
import type { LocaleFormat } from './i18n/core.js';

/** What each of uPlot's date template fields asks Intl for (the hour cycle is the locale's own). */
const FIELDS: Readonly<Record<string, Intl.DateTimeFormatOptions>> = {
  YYYY: { year: 'numeric' },
  YY: { year: '2-digit' },
  MMMM: { month: 'long' },
  MMM: { month: 'short' },
  MM: { month: '2-digit' },
  M: { month: 'numeric' },
  DD: { day: '2-digit' },
  D: { day: 'numeric' },
  WWWW: { weekday: 'long' },
  WWW: { weekday: 'short' },
  HH: { hour: 'numeric' },
  H: { hour: 'numeric' },
  h: { hour: 'numeric' },
  mm: { minute: '2-digit' },
  m: { minute: '2-digit' },
  ss: { second: '2-digit' },
  s: { second: '2-digit' },
  fff: { fractionalSecondDigits: 3 },
};
/** Fields that name a calendar day or an hour: a template line with none of them is only digits. */
const CALENDAR = /\{(YYYY|YY|MMMM|MMM|MM|M|DD|D|WWWW|WWW|HH|H|h)\}/;
const pad = (value: number, width: number): string => String(value).padStart(width, '0');
/** The digits-only fields, written as uPlot writes them. */
const DIGITS: Readonly<Record<string, (date: Date) => string>> = {
  mm: (d) => pad(d.getMinutes(), 2),
  m: (d) => String(d.getMinutes()),
  ss: (d) => pad(d.getSeconds(), 2),
  s: (d) => String(d.getSeconds()),
  fff: (d) => pad(d.getMilliseconds(), 3),
};

/**
 * uPlot's `fmtDate` option in a locale: each line of a uPlot date template ("{MMM}\n{YYYY}",
 * "{h}:{mm}{aa}\n{M}/{D}") becomes one Intl format of the same fields, so its order, separators,
 * month names and 12- or 24-hour clock are the locale's ("Nov" / "11月", "9:05 AM" / "9:05"). A line of
 * minutes and seconds only (":{ss}", the ticks within a minute) is digits in any locale and is
 * written as uPlot writes it.
 */
export function localeDates(locale: string): (template: string) => (date: Date) => string {
  return (template) => {
    const lines = template.split('\n').map((line): ((date: Date) => string) => {
      if (!CALENDAR.test(line)) {
        return (date) =>
          line.replace(/\{([a-zA-Z]+)\}/g, (whole, field: string) => DIGITS[field]?.(date) ?? whole);
      }
      const options: Intl.DateTimeFormatOptions = {};
      for (const [, field] of line.matchAll(/\{([a-zA-Z]+)\}/g)) Object.assign(options, FIELDS[field!]);
      const intl = new Intl.DateTimeFormat(locale, options);
      return (date) => intl.format(date);
    });
    return (date) => lines.map((line) => line(date)).join('\n');
  };
}

/** Decimals a tick step needs: 0 for 5, 1 for 0.5, 2 for 0.25. */
function decimalsOf(step: number): number {
  for (let digits = 0; digits < 10; digits++) {
    const scaled = step * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return digits;
  }
  return 10;
}

/** The options that put a uPlot chart into the page's locale. */
export interface ChartLocale {
  /** For the chart's options: the time axis and the legend's time written the locale's way. */
  readonly fmtDate: (template: string) => (date: Date) => string;
  /** The x series of a time chart: its legend label, and the hovered time with date and seconds. */
  timeSeries(label: string): uPlot.Series;
  /** A numeric axis's tick labels: as many decimals as the step needs, grouped the locale's way. */
  readonly numberTicks: uPlot.Axis.DynamicValues;
  /** A series' value in the legend, up to `digits` decimals; '–' where it has none. */
  numberValue(digits?: number): (self: uPlot, value: number | null) => string;
}

export function chartLocale(format: LocaleFormat): ChartLocale {
  const hovered = new Intl.DateTimeFormat(format.locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const ticks = new Map<number, Intl.NumberFormat>();
  const tickFormat = (digits: number): Intl.NumberFormat => {
    let intl = ticks.get(digits);
    if (!intl) {
      intl = new Intl.NumberFormat(format.locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      ticks.set(digits, intl);
    }
    return intl;
  };
  return {
    fmtDate: localeDates(format.locale),
    timeSeries: (label) => ({
      label,
      // uPlot's time scale is in seconds.
      value: (_u, value: number | null) => (value === null ? '–' : hovered.format(value * 1000)),
    }),
    numberTicks: (_u, splits, _axis, _space, step) => {
      const intl = tickFormat(decimalsOf(step));
      return splits.map((value) => (value === null ? null : intl.format(value)));
    },
    numberValue:
      (digits = 3) =>
      (_u, value) =>
        value === null || value === undefined ? '–' : format.number(value, digits),
  };
}
