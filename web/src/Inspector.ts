// The side panel for the selected twin: name, identifier, model, every property and telemetry value
// (kept current from the live feed), and a chart of one numeric field (click a number to chart it):
// a live sparkline of the recent minutes, or its history over a chosen range (HistoryChart). The chart
// opens on a field that has values: one with history, else the first that arrives live.
import type { TwinDoc, WorldObject } from '../../src/core/wire.js';
import { getJson, twinPath } from './api.js';
import { element, formatValue } from './dom.js';
import { HistoryChart } from './HistoryChart.js';
import { t } from './i18n/world-page.js';
import { drawSparkline, type Sample } from './sparkline.js';
import { warnOnce } from './warn-once.js';

/** Fields worth charting first, when the twin has them. */
const PREFERRED_CHART = ['temperature', 'power', 'vibration', 'spindleLoad', 'speed', 'goodCount', 'count'];
const MAX_SAMPLES = 240;
const HISTORY_MS = 15 * 60_000;

/** The fields of a twin that have history (the telemetry route without a field). */
interface HistoryFields {
  fields: string[];
}

interface TelemetryAnswer {
  series: Array<{ field: string; samples?: Array<{ time: number; value: unknown }> }>;
}

export class Inspector {
  private id: string | undefined;
  private table: HTMLTableElement | undefined;
  private chart: HTMLCanvasElement | undefined;
  private chartLabel: HTMLElement | undefined;
  private chartField: string | undefined;
  private samples: Sample[] = [];
  /** The page chose the charted field (not the viewer), and it has shown no value yet: a live one may take over. */
  private chartIsEmptyGuess = false;
  private live = false;
  private readonly history = new HistoryChart(() => this.redrawChart());

  constructor(private readonly host: HTMLElement) {}

  /** The timeline shows the past at `time` (undefined: live); a chart over the timeline's range follows it. */
  followTime(time: number | undefined): void {
    this.history.followTime(time);
  }

  get selected(): string | undefined {
    return this.id;
  }

  /** Live values flow (or stopped): marked on the panel as `data-live` for viewers and tests. */
  setLive(live: boolean): void {
    this.live = live;
    this.markLive();
  }

  async show(id: string, object: WorldObject | undefined): Promise<void> {
    this.id = id;
    this.table = undefined;
    delete this.host.dataset.live;
    let twin: TwinDoc;
    let withHistory: string[];
    try {
      const fields = getJson<HistoryFields>(`${twinPath(id)}/telemetry`).then(
        (answer) => answer.fields,
        () => [],
      );
      [twin, withHistory] = await Promise.all([getJson<TwinDoc>(twinPath(id)), fields]);
    } catch (error) {
      if (this.id !== id) return;
      this.host.replaceChildren(element('h2', undefined, object?.name ?? id), element('code', undefined, id));
      this.host.append(element('p', 'error', error instanceof Error ? error.message : String(error)));
      return;
    }
    if (this.id !== id) return; // another twin was selected meanwhile
    const heading = element(
      'h2',
      undefined,
      typeof twin.name === 'string' ? twin.name : (object?.name ?? id),
    );
    const meta = element('p', 'muted');
    meta.append(element('code', undefined, id), ` · ${twin.$metadata.$model}`);
    if (object) meta.append(` · ${object.type ?? object.kind}`);
    const links = element('p');
    const resolve = element('a', undefined, t('inspector.resolve'));
    resolve.href = `/api/v1/resolve/${id}`;
    const json = element('a', undefined, 'JSON');
    json.href = twinPath(id);
    links.append(resolve, ' · ', json);

    this.chartLabel = element('span');
    this.chart = element('canvas', 'sparkline');
    const chartHeading = element('h3', 'chart-heading');
    chartHeading.append(this.chartLabel, this.history.picker);
    this.table = element('table');
    for (const [field, value] of Object.entries(twin)) if (!field.startsWith('$')) this.setRow(field, value);
    this.host.replaceChildren(
      heading,
      meta,
      links,
      chartHeading,
      this.chart,
      this.history.host,
      element('h3', undefined, t('inspector.values')),
      this.table,
    );
    this.markLive();
    const first = firstToChart(twin, withHistory);
    this.chartField = undefined;
    this.history.show(id, undefined);
    if (first) void this.chartOf(first.field, first.hasHistory);
    else this.redrawChart();
  }

  /** Values from the live feed for the twin on show. */
  apply(twin: string, values: ReadonlyArray<readonly [string, unknown]>): boolean {
    if (twin !== this.id || !this.table) return false;
    const now = Date.now();
    for (const [field, value] of values) {
      this.setRow(field, value);
      const takeOver = this.chartIsEmptyGuess && this.samples.length === 0 && field !== this.chartField;
      if ((this.chartField === undefined || takeOver) && typeof value === 'number') void this.chartOf(field);
      if (field === this.chartField && typeof value === 'number') {
        this.samples.push({ time: now, value });
        if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
      }
    }
    this.redrawChart();
    return true;
  }

  private setRow(field: string, value: unknown): void {
    if (!this.table) return;
    let cell = this.table.querySelector<HTMLTableCellElement>(`td[data-field="${CSS.escape(field)}"]`);
    if (!cell) {
      const row = element('tr');
      cell = element('td');
      cell.dataset.field = field;
      row.append(element('th', undefined, field), cell);
      row.addEventListener('click', () => {
        if (row.dataset.numeric !== undefined) void this.chartOf(field, true);
      });
      this.table.append(row);
    }
    const text = formatValue(value);
    if (cell.textContent !== text) cell.textContent = text;
    const row = cell.parentElement;
    if (row && typeof value === 'number') row.dataset.numeric = '';
  }

  /**
   * Charts this field: its last minutes from history, then live values as they come. `sure`: the viewer
   * picked it, or it has history; otherwise the first live value of another field takes its place.
   */
  private async chartOf(field: string, sure = false): Promise<void> {
    const id = this.id;
    if (!id || field === this.chartField) return;
    this.chartField = field;
    this.chartIsEmptyGuess = !sure;
    this.samples = [];
    for (const row of this.table?.querySelectorAll('tr') ?? []) {
      row.classList.toggle('charted', row.querySelector('td')?.dataset.field === field);
    }
    this.redrawChart();
    this.history.show(id, field);
    const from = new Date(Date.now() - HISTORY_MS).toISOString();
    try {
      const answer = await getJson<TelemetryAnswer>(
        `${twinPath(id)}/telemetry?field=${encodeURIComponent(field)}&from=${from}`,
      );
      if (this.id !== id || this.chartField !== field) return;
      const past = (answer.series[0]?.samples ?? []).flatMap((s) =>
        typeof s.value === 'number' ? [{ time: s.time, value: s.value }] : [],
      );
      // History first, then whatever arrived live while it loaded.
      const newest = past.at(-1)?.time ?? 0;
      this.samples = [...past, ...this.samples.filter((s) => s.time > newest)].slice(-MAX_SAMPLES);
      this.redrawChart();
    } catch (error) {
      // A property without history (set through the API, not by a device) charts from live values only.
      warnOnce(`no history for ${field}`, error);
    }
  }

  private redrawChart(): void {
    if (!this.chart || !this.chartLabel) return;
    const recent = this.history.current === 'recent';
    this.chartLabel.textContent = this.chartField
      ? recent
        ? t('inspector.recent', { field: this.chartField })
        : this.chartField
      : t('inspector.nothing');
    this.history.picker.hidden = this.chartField === undefined;
    this.chart.hidden = this.chartField === undefined || !recent;
    if (this.chartField) drawSparkline(this.chart, this.samples);
  }

  private markLive(): void {
    if (this.live && this.table) this.host.dataset.live = 'world';
    else delete this.host.dataset.live;
  }
}

/**
 * The field the chart opens on: a preferred one, then any other, among the fields with history (their
 * values are known to change); without history, a numeric value of the twin, which may be a fixed
 * property until a live value shows otherwise.
 */
export function firstToChart(
  twin: Readonly<Record<string, unknown>>,
  withHistory: readonly string[],
): { field: string; hasHistory: boolean } | undefined {
  const charted = withHistory.filter(
    (f) => !f.startsWith('$') && (twin[f] === undefined || typeof twin[f] === 'number'),
  );
  const numeric = Object.keys(twin).filter((f) => !f.startsWith('$') && typeof twin[f] === 'number');
  const pick = (fields: readonly string[]) => PREFERRED_CHART.find((f) => fields.includes(f)) ?? fields[0];
  const known = pick(charted);
  if (known !== undefined) return { field: known, hasHistory: true };
  const guess = pick(numeric);
  return guess === undefined ? undefined : { field: guess, hasHistory: false };
}
