// One section per line: its KPIs, its stations' states now, its alarms, and a row per station;
// every line and station name links to its place in the 3D world.
import type { LineKpis, StationKpis } from '../../../src/core/wire-dashboard.js';
import { element, paintDot } from '../dom.js';
import { formatCount, formatRate, formatShare } from './format.js';

export const worldLink = (id: string): string => `/world?twin=${encodeURIComponent(id)}`;

function twinLink(id: string, name: string): HTMLAnchorElement {
  const link = element('a', 'twin-link', name);
  link.href = worldLink(id);
  link.title = `${id}: open in the 3D world`;
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
    chip.append(dot, `${count} ${state}`);
    chips.append(chip);
  }
  return chips;
}

function cell(row: HTMLTableRowElement, text: string, className = 'num'): void {
  row.append(element('td', className, text));
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
  state.append(dot, station.state ?? 'unknown');
  row.append(name, state);
  cell(row, formatShare(station.oee));
  cell(row, formatShare(station.availability));
  cell(row, formatShare(station.performance));
  cell(row, formatShare(station.quality));
  cell(row, formatCount(station.good));
  cell(row, formatCount(station.scrap));
  cell(row, formatCount(station.downEvents));
  return row;
}

const HEADINGS = ['Station', 'State', 'OEE', 'Avail.', 'Perf.', 'Quality', 'Good', 'Scrap', 'Breakdowns'];

function lineSection(line: LineKpis): HTMLElement {
  const section = element('section', 'line');
  section.dataset.line = line.id;
  const title = element('h2');
  title.append(twinLink(line.id, line.name));
  const summary = element('dl', 'summary');
  const fact = (label: string, value: string, key: string) => {
    const dt = element('dt', undefined, label);
    const dd = element('dd', undefined, value);
    dd.dataset.kpi = key;
    summary.append(dt, dd);
  };
  fact('Throughput', `${formatRate(line.throughput)} units/h`, 'throughput');
  fact('Output', formatCount(line.output), 'output');
  fact('OEE', formatShare(line.oee), 'oee');
  fact('A / P / Q', [line.availability, line.performance, line.quality].map(formatShare).join(' · '), 'apq');
  const alarms = element('p', 'alarms');
  if (line.alarms.now.length > 0) {
    alarms.classList.add('active');
    alarms.append('⚠ Now: ');
    const names = new Map(line.stations.map((s) => [s.id, s]));
    line.alarms.now.forEach((id, i) => {
      const station = names.get(id);
      if (i > 0) alarms.append(', ');
      alarms.append(twinLink(id, station?.name ?? id), ` (${station?.state ?? 'alarm'})`);
    });
    alarms.append('. ');
  } else alarms.append('No station down or in maintenance. ');
  alarms.append(`${formatCount(line.alarms.downEvents)} breakdowns in this range.`);

  const table = element('table', 'stations');
  const head = element('tr');
  for (const heading of HEADINGS) head.append(element('th', undefined, heading));
  table.append(element('thead'), element('tbody'));
  table.tHead!.append(head);
  table.tBodies[0]!.append(...line.stations.map(stationRow));
  section.append(title, summary, stateChips(line.stateCounts), alarms, table);
  return section;
}

export function renderLines(host: HTMLElement, lines: readonly LineKpis[]): void {
  if (lines.length === 0) {
    host.replaceChildren(element('p', 'muted', 'No lines with stations are visible to this token.'));
    return;
  }
  host.replaceChildren(...lines.map(lineSection));
}
