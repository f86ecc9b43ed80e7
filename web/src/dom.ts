// Small DOM helpers shared by the panels.
import { STATE_COLOURS } from './state-colours.js';

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A twin's row in the tree and the search results: state dot, name, kind. */
export function twinRow(id: string, name: string, kind: string, state: unknown): HTMLDivElement {
  const row = element('div', 'node');
  row.dataset.id = id;
  row.title = id;
  const dot = element('span', 'dot');
  paintDot(dot, state);
  row.append(dot, element('span', undefined, name), element('span', 'kind', kind));
  return row;
}

export function paintDot(dot: HTMLElement, state: unknown): void {
  const hex = typeof state === 'string' ? STATE_COLOURS[state] : undefined;
  dot.style.background = hex ?? 'transparent';
  dot.title = typeof state === 'string' ? state : '';
}

/** How a value reads in a table cell: numbers rounded to what a person reads, objects as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(Math.round(value * 1000) / 1000);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
