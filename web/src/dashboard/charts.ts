// The dashboard's two uPlot charts: throughput per line over time, and OEE per station as bars
// coloured by line. Each is created once and fed new data on each refresh.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { WorldKpis } from '../../../src/core/wire-dashboard.js';
import { chartLocale } from '../chart-locale.js';
import { format, t } from '../i18n/dashboard-page.js';

/** One colour per line, apart from the state colours so a line is not read as a state. */
const LINE_COLOURS = ['#4fb3ff', '#f5a524', '#3ecf8e', '#d97cff', '#ff7a59', '#2fd0e0', '#e6d84f', '#9aa7b4'];
export const lineColour = (index: number): string => LINE_COLOURS[index % LINE_COLOURS.length]!;

const HEIGHT = 220;
const AXIS = { stroke: '#8ea1b3', grid: { stroke: '#253241', width: 1 }, ticks: { stroke: '#253241' } };
const chartFormat = chartLocale(format);

/** A chart whose series follow the lines: rebuilt when the set of lines changes, else given new data. */
class Chart {
  private plot: uPlot | undefined;
  private signature = '';

  constructor(private readonly host: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(host);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.host.clientWidth), height: HEIGHT };
  }

  show(
    signature: string,
    options: () => Omit<uPlot.Options, 'width' | 'height'>,
    data: uPlot.AlignedData,
  ): void {
    if (this.plot === undefined || signature !== this.signature) {
      this.plot?.destroy();
      this.signature = signature;
      this.plot = new uPlot({ ...options(), ...this.size() }, data, this.host);
    } else this.plot.setData(data);
  }
}

export class DashboardCharts {
  private readonly throughput: Chart;
  private readonly oee: Chart;

  constructor(throughputHost: HTMLElement, oeeHost: HTMLElement) {
    this.throughput = new Chart(throughputHost);
    this.oee = new Chart(oeeHost);
  }

  update(kpis: WorldKpis): void {
    this.showThroughput(kpis);
    this.showOee(kpis);
  }

  private showThroughput(kpis: WorldKpis): void {
    const names = new Map(kpis.lines.map((l) => [l.id, l.name]));
    const lines = kpis.series.lines;
    const data: uPlot.AlignedData = [
      kpis.series.time.map((t) => t / 1000), // uPlot's time scale is in seconds
      ...lines.map((l) => [...l.values]),
    ];
    this.throughput.show(
      `throughput ${lines.map((l) => l.id).join(' ')}`,
      () => ({
        fmtDate: chartFormat.fmtDate,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [AXIS, { ...AXIS, size: 60, values: chartFormat.numberTicks }],
        series: [
          chartFormat.timeSeries(t('chart.time')),
          ...lines.map((l, i) => ({
            label: names.get(l.id) ?? l.id,
            stroke: lineColour(i),
            width: 2,
            // Few buckets hold data soon after a start: show each as a point, not only as a line.
            points: { show: true, size: 5, fill: lineColour(i) },
            value: (_u: uPlot, v: number | null) =>
              v === null ? '–' : t('chart.rate', { rate: format.number(Math.round(v)) }),
          })),
        ],
      }),
      data,
    );
  }

  private showOee(kpis: WorldKpis): void {
    const stations = kpis.lines.flatMap((line, lineIndex) => line.stations.map((s) => ({ s, lineIndex })));
    // Short tick labels, "2·05" for a line's fifth station: forty of them share one axis.
    const labels = kpis.lines.flatMap((line, lineIndex) =>
      line.stations.map((_, i) => `${lineIndex + 1}·${String(i + 1).padStart(2, '0')}`),
    );
    const names = stations.map(({ s }) => s.name);
    // One series per line, null at the other lines' stations, so each bar takes its line's colour.
    const data: uPlot.AlignedData = [
      stations.map((_, i) => i),
      ...kpis.lines.map((_, lineIndex) =>
        stations.map(({ s, lineIndex: own }) => (own === lineIndex && s.oee !== null ? s.oee * 100 : null)),
      ),
    ];
    const bars = uPlot.paths.bars!({ size: [0.7, 40], align: 0 });
    this.oee.show(
      `oee ${stations.map(({ s }) => s.id).join(' ')}`,
      () => ({
        scales: {
          x: { time: false, range: [-0.5, Math.max(0.5, stations.length - 0.5)] },
          y: { range: [0, 100] },
        },
        axes: [
          {
            ...AXIS,
            space: 34,
            incrs: [1, 2, 5, 10],
            values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
          },
          { ...AXIS, values: (_u, splits) => splits.map((v) => format.percent(v / 100, 0)) },
        ],
        series: [
          { label: t('chart.station'), value: (_u, i) => (i === null ? '' : `${labels[i]} ${names[i]}`) },
          ...kpis.lines.map((line, i) => ({
            label: line.name,
            stroke: lineColour(i),
            fill: `${lineColour(i)}cc`,
            paths: bars,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : format.percent(v / 100, 1)),
          })),
        ],
      }),
      data,
    );
  }
}
