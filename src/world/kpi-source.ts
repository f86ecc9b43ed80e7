// The inputs of computeKpis for the twins one caller may see: lines and their stations from the
// scene (kinds and nesting), their nominal cycle times and order from the graph, and what their
// state and counters did within the window from the history store.
import type { WorldKpis } from '../core/wire-dashboard.js';
import type { WorldObject } from '../core/wire.js';
import type { Bucket, HistoryStore, SeriesKey } from '../history/store.js';
import type { TwinGraph } from '../twin/TwinGraph.js';
import {
  computeKpis,
  type CounterInput,
  type LineInput,
  type StationInput,
  type TimedValue,
} from './kpis.js';
import type { KpiWindow } from './kpi-window.js';
import { loadScene } from './scene-source.js';

/**
 * How far back to look for the value in force when the window opens, widest last: the first
 * look that finds one stops, so a busy series reads a minute of history and a quiet one a day.
 */
const LOOKBACKS_MS = [60_000, 3_600_000, 86_400_000];
/** More state changes than this in one window are cut (the rest of the window keeps the last state). */
const MAX_STATE_CHANGES = 200_000;

export async function loadKpis(
  graph: TwinGraph,
  history: HistoryStore,
  window: KpiWindow,
  now: number,
): Promise<WorldKpis> {
  const [scene, rows] = await Promise.all([
    loadScene(graph),
    graph.scanFields(['nominalCycleTime', 'sequence']),
  ]);
  const extra = new Map(rows.map((row) => [row.id, row.values]));
  const byId = new Map(scene.objects.map((o) => [o.id, o]));
  const lineOf = (object: WorldObject): string | undefined => {
    for (let p = object.parent; p !== undefined; p = byId.get(p)?.parent) {
      if (byId.get(p)?.kind === 'line') return p;
    }
    return undefined;
  };
  const stationsByLine = new Map<string, WorldObject[]>();
  for (const object of scene.objects) {
    if (object.kind !== 'station') continue;
    const line = lineOf(object);
    if (line === undefined) continue;
    const list = stationsByLine.get(line) ?? [];
    list.push(object);
    stationsByLine.set(line, list);
  }
  const sequence = (id: string) => numberOr(extra.get(id)?.[1], Number.MAX_SAFE_INTEGER);
  const lines = scene.objects.filter((o) => o.kind === 'line');
  const inputs = await Promise.all(
    lines.map(async (line): Promise<LineInput> => {
      const stations = (stationsByLine.get(line.id) ?? []).sort(
        (a, b) => sequence(a.id) - sequence(b.id) || (a.id < b.id ? -1 : 1),
      );
      return {
        id: line.id,
        name: line.name,
        output: await counter(history, { twin: line.id, field: 'goodCount' }, window),
        stations: await Promise.all(
          stations.map((s) => stationInput(history, s, numberOr(extra.get(s.id)?.[0], undefined), window)),
        ),
      };
    }),
  );
  return computeKpis({ ...window, now, lines: inputs });
}

async function stationInput(
  history: HistoryStore,
  station: WorldObject,
  nominalCycleTime: number | undefined,
  window: KpiWindow,
): Promise<StationInput> {
  const key = (field: string): SeriesKey => ({ twin: station.id, field });
  const [stateBefore, states, good, scrap] = await Promise.all([
    valueBefore(history, key('state'), window.from),
    history.range(key('state'), window.from, window.to, MAX_STATE_CHANGES),
    counter(history, key('goodCount'), window),
    counter(history, key('scrapCount'), window),
  ]);
  return {
    id: station.id,
    name: station.name,
    ...(station.state === undefined ? {} : { state: station.state }),
    ...(nominalCycleTime === undefined ? {} : { nominalCycleTime }),
    ...(typeof stateBefore === 'string' ? { stateBefore } : {}),
    states,
    good,
    scrap,
  };
}

/**
 * A counter within the window, read as buckets (the store answers them from chunk summaries, so a
 * week of a busy counter stays cheap): each bucket's highest value (a count only grows; a late
 * report of a lower one does not hide the units counted meanwhile). When nothing is known before
 * the window, its first value there is the baseline, at its own time: the line's throughput counts
 * from when its data starts, not from the start of that sample's bucket.
 */
async function counter(history: HistoryStore, key: SeriesKey, window: KpiWindow): Promise<CounterInput> {
  const [before, buckets] = await Promise.all([
    valueBefore(history, key, window.from),
    history.buckets(key, window.from, window.to, window.bucket),
  ]);
  const samples: TimedValue[] = buckets.flatMap((b: Bucket) =>
    b.max === undefined ? [] : [{ time: b.time, value: b.max }],
  );
  if (typeof before === 'number') return { before, samples };
  const [first] = samples.length === 0 ? [] : await history.range(key, window.from, window.to, 1);
  if (first !== undefined) {
    samples[0] = { time: Math.max(first.time, samples[0]!.time), value: samples[0]!.value };
    samples.unshift({ time: first.time, value: first.value });
  }
  return { samples };
}

/** The series' value just before `from`, looking back at most a day. */
async function valueBefore(
  history: HistoryStore,
  key: SeriesKey,
  from: number,
): Promise<number | string | boolean | undefined> {
  const latest = (await history.latest([key])).values().next().value;
  if (latest === undefined) return undefined;
  if (latest.time < from) return latest.value;
  for (const lookback of LOOKBACKS_MS) {
    const buckets = await history.buckets(key, from - lookback, from, lookback);
    const last = buckets.at(-1);
    if (last !== undefined) return last.last;
  }
  return undefined;
}

function numberOr<T extends number | undefined>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
