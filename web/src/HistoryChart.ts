// The inspector's history chart: one numeric field of the selected twin over a chosen range (the last
// 15 min … 7 days, or the hour up to the timeline's time), drawn with uPlot from bucketed history
// reads (min, average and max per bucket), so a week costs a few hundred points, not a million.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './history-chart.css';
import { getJson, twinPath } from './api.js';
import { chartLocale } from './chart-locale.js';
import { element } from './dom.js';
import type { WorldKey } from './i18n/world.js';
import { format, t } from './i18n/world-page.js';

/** `recent`: the live sparkline instead of this chart. */
export type ChartRange = 'recent' | '15m' | '1h' | '8h' | '24h' | '7d' | 'timeline';

/** Each range's span and bucket width: about 200–350 buckets whatever the span. */
const RANGES: ReadonlyArray<{ range: ChartRange; label: WorldKey; span: number; bucket: number }> = [
  { range: 'recent', label: 'history.recent', span: 0, bucket: 0 },
  { range: '15m', label: 'history.15m', span: 15 * 60_000, bucket: 5_000 },
  { range: '1h', label: 'history.1h', span: 3_600_000, bucket: 15_000 },
  { range: '8h', label: 'history.8h', span: 8 * 3_600_000, bucket: 120_000 },
  { range: '24h', label: 'history.24h', span: 86_400_000, bucket: 300_000 },
  { range: '7d', label: 'history.7d', span: 7 * 86_400_000, bucket: 1_800_000 },
  { range: 'timeline', label: 'history.timeline', span: 3_600_000, bucket: 15_000 },
];

const chartFormat = chartLocale(format);

interface BucketAnswer {
  series: Array<{
    field: string;
    buckets?: Array<{ time: number; min?: number; max?: number; avg?: number }>;
  }>;
}

export class HistoryChart {
  /** The range picker, for the chart's heading. */
  readonly picker = element('select', 'history-range');
  /** Where the chart is drawn (hidden for `recent`). */
  readonly host = element('div', 'history-chart');
  private range: ChartRange = 'recent';
  private twin: string | undefined;
  private field: string | undefined;
  private plot: uPlot | undefined;
  /** The timeline's moment in a replay; undefined when live. */
  private timelineTime: number | undefined;
  private drawnEnd = 0;
  private lastFetch = 0;
  private request = 0;

  constructor(private readonly onRange: (range: ChartRange) => void) {
    this.picker.setAttribute('aria-label', t('history.range'));
    for (const { range, label } of RANGES) {
      const option = element('option', undefined, t(label));
      option.value = range;
      this.picker.append(option);
    }
    this.picker.addEventListener('change', () => {
      this.range = this.picker.value as ChartRange;
      this.onRange(this.range);
      void this.redraw();
    });
    this.host.hidden = true;
  }

  get current(): ChartRange {
    return this.range;
  }

  /** Charts this twin's field over the chosen range (nothing to draw for `recent`). */
  show(twin: string, field: string | undefined): void {
    this.twin = twin;
    this.field = field;
    void this.redraw();
  }

  /** The timeline moved (or went live: undefined); the `timeline` range follows it, at most once a second. */
  followTime(time: number | undefined): void {
    this.timelineTime = time;
    if (this.range !== 'timeline') return;
    const end = time ?? Date.now();
    const moved = Math.abs(end - this.drawnEnd) > 30_000;
    if (moved && performance.now() - this.lastFetch > 1000) void this.redraw();
  }

  private async redraw(): Promise<void> {
    const spec = RANGES.find((r) => r.range === this.range)!;
    this.host.hidden = this.range === 'recent' || this.field === undefined;
    if (this.host.hidden || this.twin === undefined || this.field === undefined) return;
    const to = this.range === 'timeline' ? (this.timelineTime ?? Date.now()) : Date.now();
    const from = to - spec.span;
    const request = ++this.request;
    this.lastFetch = performance.now();
    this.drawnEnd = to;
    const { twin, field } = this;
    this.host.dataset.state = 'loading';
    let answer: BucketAnswer;
    try {
      answer = await getJson<BucketAnswer>(
        `${twinPath(twin)}/telemetry?field=${encodeURIComponent(field)}&from=${Math.floor(from)}` +
          `&to=${Math.ceil(to)}&bucket=${spec.bucket}`,
      );
    } catch (error) {
      if (request !== this.request) return;
      this.plot?.destroy();
      this.plot = undefined;
      this.host.replaceChildren(
        element('p', 'error', error instanceof Error ? error.message : String(error)),
      );
      this.host.dataset.state = 'error';
      return;
    }
    if (request !== this.request) return;
    const buckets = answer.series[0]?.buckets ?? [];
    const data: uPlot.AlignedData = [
      buckets.map((b) => b.time / 1000),
      buckets.map((b) => b.avg ?? null),
      buckets.map((b) => b.min ?? null),
      buckets.map((b) => b.max ?? null),
    ];
    this.draw(field, data, from / 1000, to / 1000);
    this.host.dataset.state = 'drawn';
    this.host.dataset.points = String(buckets.length);
  }

  private draw(field: string, data: uPlot.AlignedData, from: number, to: number): void {
    this.plot?.destroy();
    this.host.replaceChildren();
    if (data[0].length === 0) {
      this.host.append(element('p', 'muted', t('history.none', { field })));
      this.plot = undefined;
      return;
    }
    const faint = 'rgba(79, 179, 255, 0.35)';
    const value = chartFormat.numberValue();
    this.plot = new uPlot(
      {
        width: Math.max(this.host.clientWidth, 200),
        height: 170,
        fmtDate: chartFormat.fmtDate,
        scales: { x: { time: true, range: [from, to] } },
        legend: { show: true, live: true },
        axes: [
          { stroke: '#8ea1b3', grid: { stroke: '#1f2c3a' }, ticks: { stroke: '#1f2c3a' } },
          {
            stroke: '#8ea1b3',
            grid: { stroke: '#1f2c3a' },
            ticks: { stroke: '#1f2c3a' },
            size: 46,
            values: chartFormat.numberTicks,
          },
        ],
        series: [
          chartFormat.timeSeries(t('chart.time')),
          { label: t('history.avg', { field }), stroke: '#4fb3ff', width: 1.5, spanGaps: false, value },
          { label: t('history.min'), stroke: faint, width: 1, value },
          { label: t('history.max'), stroke: faint, width: 1, value },
        ],
      },
      data,
      this.host,
    );
  }
}
