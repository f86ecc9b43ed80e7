// The plant dashboard (/dashboard): KPI tiles, charts and a table per line from /api/v1/world/kpis,
// refreshed every few seconds and at once when a station goes down or comes back.
import './dashboard.css';
import type { WorldKpis } from '../../../src/core/wire-dashboard.js';
import { AuthRequiredError, signInAgain, getJson } from '../api.js';
import { format, t } from '../i18n/dashboard-page.js';
import { LiveFeed, type LiveChange } from '../LiveFeed.js';
import { DashboardCharts } from './charts.js';
import { DEFAULT_RANGE, RANGES } from './format.js';
import type { DashboardHook, RefreshTrigger } from './hook-shape.js';
import { renderLines } from './line-tables.js';
import { renderTiles } from './tiles.js';

declare global {
  interface Window {
    __imverseDashboard?: Readonly<DashboardHook>;
  }
}

const REFRESH_MS = 5000;
/** Live alarms refresh at once, but no more often than this. */
const MIN_GAP_MS = 1000;
const ALARM_STATES = new Set(['down', 'maintenance']);

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

const requested = new URLSearchParams(location.search).get('range');
const hook: DashboardHook = {
  ready: false,
  range: requested !== null && requested in RANGES ? requested : DEFAULT_RANGE,
  refreshes: 0,
  tiles: {},
  lines: 0,
  live: false,
};
window.__imverseDashboard = hook;

const charts = new DashboardCharts($('#throughput-chart'), $('#oee-chart'));
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight = false;
let again = false;
let lastStarted = 0;
let stopped = false;
let nextTrigger: RefreshTrigger = 'start';
let updatedAt: string | undefined;
let live: LiveFeed | undefined;
/** Stations on screen, and which of them are alarming: a live state change there is news. */
let stationAlarms = new Map<string, boolean>();

function status(text: string, error = false): void {
  const node = $('#status');
  node.textContent = text;
  node.classList.toggle('error', error);
}

/** The next refresh, and what asked for it (kept in the hook when it is drawn). */
function schedule(delay: number, trigger: RefreshTrigger): void {
  if (stopped) return;
  clearTimeout(timer);
  nextTrigger = trigger;
  timer = setTimeout(() => {
    timer = undefined;
    void refresh();
  }, delay);
}

async function refresh(): Promise<void> {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  lastStarted = Date.now();
  const trigger = nextTrigger;
  const range = hook.range;
  const to = Date.now();
  const from = to - RANGES[range]!;
  try {
    const kpis = await getJson<WorldKpis>(`/api/v1/world/kpis?from=${from}&to=${to}`);
    delete hook.error;
    if (range === hook.range) show(kpis, trigger);
  } catch (error) {
    if (error instanceof AuthRequiredError) {
      stopped = true;
      signInAgain();
      status(t('error.token'), true);
    } else {
      hook.error = error instanceof Error ? error.message : String(error);
      status(t('error.load', { error: hook.error }), true);
    }
  } finally {
    inFlight = false;
  }
  if (again) {
    again = false;
    schedule(0, nextTrigger);
  } else if (timer === undefined) schedule(REFRESH_MS, 'timer'); // else a sooner one is due
}

function show(kpis: WorldKpis, trigger: RefreshTrigger): void {
  hook.tiles = renderTiles($('#tiles'), kpis.plant);
  renderLines($('#lines'), kpis.lines);
  charts.update(kpis);
  stationAlarms = new Map(kpis.lines.flatMap((l) => l.stations.map((s) => [s.id, s.alarm] as const)));
  hook.window = { from: kpis.from, to: kpis.to, bucket: kpis.bucket };
  hook.computedAt = kpis.computedAt;
  hook.lastRefresh = Date.now();
  hook.lines = kpis.lines.length;
  hook.refreshes++;
  hook.trigger = trigger;
  hook.ready = true;
  updatedAt = format.time(kpis.computedAt);
  showUpdated();
  live ??= startLive();
}

function showUpdated(): void {
  if (updatedAt === undefined || hook.error !== undefined) return;
  status(t(hook.live ? 'updated.live' : 'updated', { time: updatedAt, seconds: REFRESH_MS / 1000 }));
}

/** A station entering or leaving an alarm state refreshes the page now rather than at the next tick. */
function onChange(change: LiveChange): void {
  const alarming = stationAlarms.get(change.twin);
  if (alarming === undefined) return;
  for (const [field, value] of change.values) {
    if (field !== 'state' || ALARM_STATES.has(String(value)) === alarming) continue;
    stationAlarms.set(change.twin, !alarming);
    schedule(Math.max(0, lastStarted + MIN_GAP_MS - Date.now()), 'live');
    return;
  }
}

function startLive(): LiveFeed {
  return new LiveFeed({
    onChange,
    onSubscribed: () => {
      hook.live = true;
      showUpdated();
    },
    onResync: () => schedule(0, 'live'),
    onClosed: () => {
      hook.live = false;
      showUpdated();
    },
  });
}

function pickRange(range: string): void {
  hook.range = range;
  for (const button of document.querySelectorAll<HTMLButtonElement>('#ranges button')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
  const url = new URL(location.href);
  if (range === DEFAULT_RANGE) url.searchParams.delete('range');
  else url.searchParams.set('range', range);
  history.replaceState(null, '', url);
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#ranges button')) {
  button.addEventListener('click', () => {
    if (button.dataset.range === undefined || button.dataset.range === hook.range) return;
    pickRange(button.dataset.range);
    status(t('loading.range'));
    schedule(0, 'range');
  });
}
pickRange(hook.range);
void refresh();
