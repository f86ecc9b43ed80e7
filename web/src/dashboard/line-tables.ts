// One section per line: its KPIs, its stations' states now, its alarms, and a row per station;
// every line and station name links to its place in the 3D world.
import type { LineKpis, StationKpis } from '../../../src/core/wire-dashboard.js';
import { element, paintDot } from '../dom.js';
import { stateName } from '../i18n/common.js';
import type { DashboardKey } from '../i18n/dashboard.js';
import { locale, t } from '../i18n/dashboard-page.js';
import * as format from './format.js';

const formatShare = (value: number | null | undefined): string => format.formatShare(value, locale);
const formatCount = (value: number | null | undefined): string => format.formatCount(value, locale);
const formatRate = (value: number | null | undefined): string => format.formatRate(value, locale);

export const worldLink = (id: string): string => `/world?twin=${encodeURIComponent(id)}`;

function twinLink(id: string, name: string): HTMLAnchorElement {
  const link = element('a', 'twin-link', name);
  link.href = worldLink(id);
  link.title = t('link.title', { id });
  link.dataset.twin = id;
  return link;
}

function stateChips(counts: Readonly<Record<string, number>>): HTMLElement {
  const chips = element('span', 'chips');
  for (const [state, count] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
    const chip = element('span', 'chip');
    chip.dataset.state = state;
    const dot = element('span', 'dot');
    paintDot(dot, state);
    chip.append(dot, `${format.formatCount(count, locale)} ${stateName(t, state)}`);
    chips.append(chip);
  }
  return chips;
}

function cell(row: HTMLTableRowElement, text: string, className = 'num'): void {
  row.append(element('td', className, text));
}

/**
 * The ideal cycle the station's performance was measured against. When it beat its nominal cycle the
 * faster one is the ideal one (docs/oee.md): the nominal cycle is then shown struck through beside it,
 * and the cell's tooltip says why, so the change is never silent.
 */
function cycleCell(row: HTMLTableRowElement, station: StationKpis): void {
  const { nominalCycleTime: nominal, idealCycleTime: ideal } = station;
  const faster = nominal !== null && ideal !== null && ideal < nominal;
  // Enough decimals that a faster ideal cycle never reads the same as the nominal one.
  const digits =
    faster && format.formatSeconds(ideal, locale) === format.formatSeconds(nominal, locale) ? 3 : 1;
  const seconds = (value: number | null): string =>
    value === null
      ? format.NO_DATA
      : t('cycle.seconds', { seconds: format.formatSeconds(value, locale, digits) });
  const td = element('td', 'num');
  td.dataset.col = 'idealCycleTime';
  const shown = element('span', 'ideal', seconds(ideal));
  if (faster) {
    td.classList.add('faster');
    td.title = t('cycle.faster', { nominal: seconds(nominal), ideal: seconds(ideal) });
    td.append(element('s', 'nominal', seconds(nominal)), ' ');
  }
  td.append(shown);
  row.append(td);
}

function stationRow(station: StationKpis): HTMLTableRowElement {
  const row = element('tr');
  row.dataset.twin = station.id;
  if (station.alarm) row.classList.add('alarm');
  const name = element('td');
  name.append(twinLink(station.id, station.name));
  const state = element('td', 'state');
  const dot = element('span', 'dot');
  paintDot(dot, station.state);
  state.append(
    dot,
    station.state === undefined || station.state === null ? t('state.unknown') : stateName(t, station.state),
  );
  row.append(name, state);
  cell(row, formatShare(station.oee));
  cell(row, formatShare(station.availability));
  cell(row, formatShare(station.performance));
  cell(row, formatShare(station.quality));
  cycleCell(row, station);
  cell(row, formatCount(station.good));
  cell(row, formatCount(station.scrap));
  cell(row, formatCount(station.downEvents));
  return row;
}

/** The station table's columns, and the tooltip of those that need one. */
const HEADINGS: ReadonlyArray<readonly [DashboardKey, DashboardKey?]> = [
  ['col.station'],
  ['col.state'],
  ['col.oee'],
  ['col.availability'],
  ['col.performance'],
  ['col.quality'],
  ['col.idealCycle', 'col.idealCycle.title'],
  ['col.good'],
  ['col.scrap'],
  ['col.downEvents'],
];

function lineSection(line: LineKpis): HTMLElement {
  const section = element('section', 'line');
  section.dataset.line = line.id;
  const title = element('h2');
  title.append(twinLink(line.id, line.name));
  const summary = element('dl', 'summary');
  const fact = (label: DashboardKey, value: string, key: string) => {
    const dt = element('dt', undefined, t(label));
    const dd = element('dd', undefined, value);
    dd.dataset.kpi = key;
    summary.append(dt, dd);
  };
  fact('fact.throughput', t('fact.throughput.value', { rate: formatRate(line.throughput) }), 'throughput');
  fact('fact.output', formatCount(line.output), 'output');
  fact('fact.oee', formatShare(line.oee), 'oee');
  const apq = [line.availability, line.performance, line.quality].map((v) => formatShare(v));
  fact('fact.apq', apq.join(' · '), 'apq');
  const alarms = element('p', 'alarms');
  if (line.alarms.now.length > 0) {
    alarms.classList.add('active');
    alarms.append(t('alarms.now'));
    const names = new Map(line.stations.map((s) => [s.id, s]));
    line.alarms.now.forEach((id, i) => {
      const station = names.get(id);
      if (i > 0) alarms.append(', ');
      alarms.append(
        twinLink(id, station?.name ?? id),
        ` (${station?.state ? stateName(t, station.state) : t('alarms.alarm')})`,
      );
    });
    alarms.append('. ');
  } else alarms.append(t('alarms.none'));
  alarms.append(t('alarms.breakdowns', { count: formatCount(line.alarms.downEvents) }));

  const table = element('table', 'stations');
  const head = element('tr');
  for (const [heading, title] of HEADINGS) {
    const th = element('th', undefined, t(heading));
    if (title) th.title = t(title);
    head.append(th);
  }
  table.append(element('thead'), element('tbody'));
  table.tHead!.append(head);
  table.tBodies[0]!.append(...line.stations.map(stationRow));
  section.append(title, summary, stateChips(line.stateCounts), alarms, table);
  return section;
}

export function renderLines(host: HTMLElement, lines: readonly LineKpis[]): void {
  if (lines.length === 0) {
    host.replaceChildren(element('p', 'muted', t('lines.none')));
    return;
  }
  host.replaceChildren(...lines.map(lineSection));
}
