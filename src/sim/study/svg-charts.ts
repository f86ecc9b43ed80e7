// Inline SVG charts for the study report: lines over time, bars with interval whiskers, a histogram.
import { escapeHtml } from './escape-html.js';

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

export interface Bar {
  readonly group: string;
  readonly series: string;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 40 };
/** Colour-blind-safe (Okabe–Ito), one per scenario, repeating past eight. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];

const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

export function colour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** One line per series over x = 0, 1, 2 … (hours). */
export function lineChart(title: string, series: readonly Series[], xLabel: string, yLabel: string): string {
  const length = maxOf(series.map((s) => s.values.length));
  const yMax = niceMax(maxOf(series.map((s) => maxOf(s.values))));
  const x = (i: number): number =>
    MARGIN.left + (length > 1 ? (i / (length - 1)) * plotWidth : plotWidth / 2);
  const y = (v: number): number => MARGIN.top + plotHeight - (v / yMax) * plotHeight;
  const lines = series.map((s, k) => {
    const points = s.values
      .map((v, i) => (Number.isFinite(v) ? `${round(x(i))},${round(y(v))}` : ''))
      .filter((p) => p !== '')
      .join(' ');
    return `<polyline fill="none" stroke="${colour(k)}" stroke-width="1.5" points="${points}"><title>${escapeHtml(s.name)}</title></polyline>`;
  });
  return frame(
    title,
    [...axes(yMax, length > 0 ? length - 1 : 0, xLabel, yLabel), ...lines].join(''),
    legend(series.map((s) => s.name)),
  );
}

/** Bars grouped by `group` (e.g. station), one per series (scenario), with whiskers from low to high. */
export function barChart(title: string, bars: readonly Bar[], yLabel: string, yMaxHint?: number): string {
  const groups = [...new Set(bars.map((b) => b.group))];
  const names = [...new Set(bars.map((b) => b.series))];
  const top = maxOf(bars.map((b) => Math.max(b.high ?? 0, b.value ?? 0)));
  const yMax = yMaxHint !== undefined && top <= yMaxHint ? yMaxHint : niceMax(top);
  const groupWidth = plotWidth / Math.max(1, groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, names.length);
  const y = (v: number): number => MARGIN.top + plotHeight - (Math.max(0, v) / yMax) * plotHeight;
  const parts: string[] = [];
  groups.forEach((group, g) => {
    const x0 = MARGIN.left + g * groupWidth + groupWidth * 0.1;
    names.forEach((name, k) => {
      const bar = bars.find((b) => b.group === group && b.series === name);
      if (bar === undefined || bar.value === null) return;
      const x = x0 + k * barWidth;
      const label = `${group} · ${name}: ${formatTick(bar.value)}${bar.low !== null && bar.high !== null ? ` (${formatTick(bar.low)}–${formatTick(bar.high)})` : ''}`;
      parts.push(
        `<rect x="${round(x)}" y="${round(y(bar.value))}" width="${round(Math.max(1, barWidth - 1))}" height="${round(MARGIN.top + plotHeight - y(bar.value))}" fill="${colour(k)}"><title>${escapeHtml(label)}</title></rect>`,
      );
      if (bar.low !== null && bar.high !== null) {
        const cx = round(x + barWidth / 2);
        parts.push(
          `<path class="whisker" d="M${cx},${round(y(bar.low))}V${round(y(bar.high))}M${round(cx - 3)},${round(y(bar.low))}h6M${round(cx - 3)},${round(y(bar.high))}h6" stroke="#333" fill="none"/>`,
        );
      }
    });
    // Group names turn when they would collide.
    const lx = round(MARGIN.left + (g + 0.5) * groupWidth);
    const ly = MARGIN.top + plotHeight + 12;
    const rotate = groups.length > 8 ? ` transform="rotate(30 ${lx} ${ly})"` : '';
    parts.push(
      `<text x="${lx}" y="${ly}" text-anchor="${rotate ? 'start' : 'middle'}" class="tick"${rotate}>${escapeHtml(group)}</text>`,
    );
  });
  return frame(title, [...axes(yMax, undefined, '', yLabel), ...parts].join(''), legend(names));
}

/** Counts over bin edges, as adjoining bars; `format` labels the edges. */
export function histogramChart(
  title: string,
  edges: readonly number[],
  counts: readonly number[],
  xLabel: string,
  format: (value: number) => string,
  colourIndex = 0,
): string {
  if (counts.length === 0)
    return frame(
      title,
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no observations</text>`,
      '',
    );
  const total = counts.reduce((a, b) => a + b, 0);
  const shares = counts.map((c) => c / Math.max(1, total));
  const yMax = niceMax(maxOf(shares));
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  const x = (v: number): number => MARGIN.left + ((v - lo) / (hi - lo || 1)) * plotWidth;
  const y = (v: number): number => MARGIN.top + plotHeight - (v / yMax) * plotHeight;
  const bars = shares.map((share, i) => {
    const x0 = x(edges[i]!);
    const x1 = x(edges[i + 1]!);
    const label = `${format(edges[i]!)}–${format(edges[i + 1]!)}: ${counts[i]} (${(share * 100).toFixed(1)}%)`;
    return `<rect x="${round(x0)}" y="${round(y(share))}" width="${round(Math.max(0.5, x1 - x0 - 0.5))}" height="${round(MARGIN.top + plotHeight - y(share))}" fill="${colour(colourIndex)}"><title>${escapeHtml(label)}</title></rect>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = lo + f * (hi - lo);
    return `<text x="${round(x(v))}" y="${MARGIN.top + plotHeight + 14}" text-anchor="middle" class="tick">${escapeHtml(format(v))}</text>`;
  });
  return frame(
    title,
    [...axes(yMax, undefined, xLabel, 'share of units', true), ...ticks, ...bars].join(''),
    '',
  );
}

function frame(title: string, body: string, legendHtml: string): string {
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">${body}</svg>${legendHtml}</figure>`;
}

function axes(
  yMax: number,
  xMax: number | undefined,
  xLabel: string,
  yLabel: string,
  percent = false,
): string[] {
  const parts = [
    `<path d="M${MARGIN.left},${MARGIN.top}V${MARGIN.top + plotHeight}H${MARGIN.left + plotWidth}" stroke="#555" fill="none"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const yy = round(MARGIN.top + plotHeight - (i / 4) * plotHeight);
    parts.push(`<path d="M${MARGIN.left},${yy}H${MARGIN.left + plotWidth}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${yy + 4}" text-anchor="end" class="tick">${escapeHtml(percent ? `${formatTick(v * 100)}%` : formatTick(v))}</text>`,
    );
  }
  if (xMax !== undefined) {
    for (let i = 0; i <= 4; i++) {
      const v = Math.round((xMax * i) / 4);
      const xx = round(MARGIN.left + (xMax > 0 ? (v / xMax) * plotWidth : 0));
      parts.push(
        `<text x="${xx}" y="${MARGIN.top + plotHeight + 14}" text-anchor="middle" class="tick">${v}</text>`,
      );
    }
  }
  if (xLabel !== '') {
    parts.push(
      `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 4}" text-anchor="middle" class="label">${escapeHtml(xLabel)}</text>`,
    );
  }
  parts.push(
    `<text x="12" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" class="label" transform="rotate(-90 12 ${MARGIN.top + plotHeight / 2})">${escapeHtml(yLabel)}</text>`,
  );
  return parts;
}

function legend(names: readonly string[]): string {
  if (names.length === 0) return '';
  return `<p class="legend">${names.map((name, k) => `<span><i style="background:${colour(k)}"></i>${escapeHtml(name)}</span>`).join(' ')}</p>`;
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
export function niceMax(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** The largest finite value, at least 0; a loop, since a year of hours overflows Math.max(...spread). */
function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (Number.isFinite(v) && v > max) max = v;
  return max;
}

function formatTick(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
