// Plant KPIs (throughput, OEE, alarms) from plain arrays of history: pure, so each formula is
// checked by hand-computed numbers. kpi-source.ts reads the inputs; docs/dashboard.md explains them.
import type {
  KpiRatios,
  LineKpis,
  PlantKpis,
  StationKpis,
  ThroughputSeries,
  WorldKpis,
} from '../core/wire-dashboard.js';

export interface TimedValue {
  /** ms since the epoch. */
  readonly time: number;
  readonly value: unknown;
}

/** A monotonic counter (goodCount, scrapCount): its value before the window and its values within it. */
export interface CounterInput {
  readonly before?: number;
  /** Oldest first. See counterIncrements for values that go down. */
  readonly samples: readonly TimedValue[];
}

export interface StationInput {
  readonly id: string;
  readonly name: string;
  /** The state now. */
  readonly state?: string;
  /** Planned seconds per unit. */
  readonly nominalCycleTime?: number;
  /** The state in force when the window opened, when known. */
  readonly stateBefore?: string;
  /** State changes within the window, oldest first. */
  readonly states: readonly TimedValue[];
  readonly good: CounterInput;
  readonly scrap: CounterInput;
  /** The cycle times reported within the window: how many, and their sum in seconds. */
  readonly cycleTimes: { readonly count: number; readonly sum: number };
}

export interface LineInput {
  readonly id: string;
  readonly name: string;
  /** The line's own goodCount; when it has no values, its last station's good count stands in. */
  readonly output: CounterInput;
  /** In line order (sequence): the last one is where units leave the line. */
  readonly stations: readonly StationInput[];
}

export interface KpiInput {
  readonly from: number;
  /** Not after `now`. */
  readonly to: number;
  /** Width of the throughput buckets, ms. */
  readonly bucket: number;
  readonly now: number;
  readonly lines: readonly LineInput[];
}

/** States that are not planned production time: planned work on the station, or no data. */
const UNPLANNED = new Set(['maintenance', 'offline']);
/** States that raise an alarm while they last. */
export const ALARM_STATES: ReadonlySet<string> = new Set(['down', 'maintenance']);
const HOUR = 3_600_000;

/** Seconds in each state within [from, to), and how often the station went down. */
export function stateTimes(
  before: string | undefined,
  states: readonly TimedValue[],
  from: number,
  to: number,
): { seconds: Record<string, number>; downEvents: number } {
  const seconds: Record<string, number> = {};
  let downEvents = 0;
  let current = before;
  let since = from;
  const close = (until: number) => {
    if (current !== undefined && until > since)
      seconds[current] = (seconds[current] ?? 0) + (until - since) / 1000;
  };
  for (const sample of states) {
    if (sample.time < from || sample.time >= to || typeof sample.value !== 'string') continue;
    close(sample.time);
    if (sample.value === 'down' && current !== 'down') downEvents++;
    current = sample.value;
    since = sample.time;
  }
  close(to);
  return { seconds, downEvents };
}

/**
 * Each increase of a counter within the window, at the time it was seen. A value at most half the
 * highest so far means the device restarted its counter from 0: all of it is new. A smaller dip is
 * a late or repeated report (a device's snapshot of counts overtaken by newer ones): it is skipped,
 * so the units it seems to take back are not counted twice when the count climbs again.
 */
export function counterIncrements(counter: CounterInput): { time: number; delta: number }[] {
  const out: { time: number; delta: number }[] = [];
  let high = counter.before;
  for (const sample of counter.samples) {
    if (typeof sample.value !== 'number' || !Number.isFinite(sample.value)) continue;
    const value = sample.value;
    // Without a value before the window, the first one is the baseline: nothing is known before it.
    if (high === undefined || value === high) {
      high = value;
      continue;
    }
    if (value > high) {
      out.push({ time: sample.time, delta: value - high });
      high = value;
    } else if (value <= high / 2) {
      if (value > 0) out.push({ time: sample.time, delta: value });
      high = value;
    }
  }
  return out;
}

/** When a counter's data starts within the window: `from` if it had a value before, else its first sample. */
function coverageStart(counter: CounterInput, from: number): number | undefined {
  if (counter.before !== undefined) return from;
  const first = counter.samples.find((s) => typeof s.value === 'number');
  return first === undefined ? undefined : Math.max(from, first.time);
}

const sum = (values: readonly { delta: number }[]) => values.reduce((total, v) => total + v.delta, 0);

/** Seconds of work that ideal and actual cycles took, summed over stations for performance. */
interface Parts {
  running: number;
  planned: number;
  ideal: number;
  actual: number;
  good: number;
  scrap: number;
}

function ratios(parts: Parts): KpiRatios {
  const availability = parts.planned > 0 ? parts.running / parts.planned : null;
  const performance = parts.actual > 0 ? Math.min(1, parts.ideal / parts.actual) : null;
  const units = parts.good + parts.scrap;
  const quality = units > 0 ? parts.good / units : null;
  const oee =
    availability === null || performance === null || quality === null
      ? null
      : availability * performance * quality;
  return {
    availability: round(availability, 4),
    performance: round(performance, 4),
    quality: round(quality, 4),
    oee: round(oee, 4),
  };
}

function addParts(into: Parts, part: Parts): void {
  into.running += part.running;
  into.planned += part.planned;
  into.ideal += part.ideal;
  into.actual += part.actual;
  into.good += part.good;
  into.scrap += part.scrap;
}

const noParts = (): Parts => ({ running: 0, planned: 0, ideal: 0, actual: 0, good: 0, scrap: 0 });

export function stationKpis(
  input: StationInput,
  from: number,
  to: number,
): { kpis: StationKpis; parts: Parts } {
  const { seconds, downEvents } = stateTimes(input.stateBefore, input.states, from, to);
  const good = sum(counterIncrements(input.good));
  const scrap = sum(counterIncrements(input.scrap));
  const running = seconds.running ?? 0;
  let planned = 0;
  for (const [state, s] of Object.entries(seconds)) if (!UNPLANNED.has(state)) planned += s;
  const parts: Parts = { running, planned, ideal: 0, actual: 0, good, scrap };
  const nominal = input.nominalCycleTime;
  if (nominal !== undefined && nominal > 0) {
    if (input.cycleTimes.count > 0 && input.cycleTimes.sum > 0) {
      // The cycle times the station reports: ideal against actual per unit, independent of the clock.
      parts.ideal = nominal * input.cycleTimes.count;
      parts.actual = input.cycleTimes.sum;
    } else if (running > 0 && good + scrap > 0) {
      parts.ideal = nominal * (good + scrap);
      parts.actual = running;
    }
  }
  const kpis: StationKpis = {
    id: input.id,
    name: input.name,
    state: input.state ?? null,
    stateSeconds: roundValues(seconds),
    good,
    scrap,
    downEvents,
    alarm: input.state !== undefined && ALARM_STATES.has(input.state),
    ...ratios(parts),
  };
  return { kpis, parts };
}

/** The counter that says what leaves the line: its own goodCount, else its last station's. */
function outputCounter(line: LineInput): CounterInput | undefined {
  if (line.output.before !== undefined || line.output.samples.length > 0) return line.output;
  return line.stations.at(-1)?.good;
}

export function computeKpis(input: KpiInput): WorldKpis {
  const { from, to, bucket } = input;
  const first = Math.floor(from / bucket) * bucket;
  const time: number[] = [];
  for (let t = first; t < to; t += bucket) time.push(t);

  const plantParts = noParts();
  const lines: LineKpis[] = [];
  const series: { id: string; values: (number | null)[] }[] = [];
  let plantThroughput: number | null = null;
  let plantOutput = 0;
  for (const line of input.lines) {
    const lineParts = noParts();
    const stations: StationKpis[] = [];
    const stateCounts: Record<string, number> = {};
    let downEvents = 0;
    for (const station of line.stations) {
      const { kpis, parts } = stationKpis(station, from, to);
      stations.push(kpis);
      addParts(lineParts, parts);
      const state = kpis.state ?? 'unknown';
      stateCounts[state] = (stateCounts[state] ?? 0) + 1;
      downEvents += kpis.downEvents;
    }
    addParts(plantParts, lineParts);

    const counter = outputCounter(line);
    const increments = counter === undefined ? [] : counterIncrements(counter);
    const start = counter === undefined ? undefined : coverageStart(counter, from);
    const output = sum(increments);
    const hours = start === undefined ? 0 : (to - start) / HOUR;
    const throughput = hours > 0 ? round(output / hours, 2) : null;
    if (throughput !== null) plantThroughput = (plantThroughput ?? 0) + throughput;
    plantOutput += output;
    series.push({ id: line.id, values: bucketRates(time, bucket, increments, start, from, to) });

    lines.push({
      id: line.id,
      name: line.name,
      throughput,
      output,
      stateCounts,
      alarms: { now: stations.filter((s) => s.alarm).map((s) => s.id), downEvents },
      stations,
      ...ratios(lineParts),
    });
  }

  const plant: PlantKpis = {
    throughput: round(plantThroughput, 2),
    output: plantOutput,
    alarmsNow: lines.reduce((n, l) => n + l.alarms.now.length, 0),
    downEvents: lines.reduce((n, l) => n + l.alarms.downEvents, 0),
    stations: lines.reduce((n, l) => n + l.stations.length, 0),
    ...ratios(plantParts),
  };
  const throughputSeries: ThroughputSeries = { time, lines: series };
  return { from, to, bucket, computedAt: input.now, plant, lines, series: throughputSeries };
}

/**
 * Units per hour in each bucket: the increments seen in it over the part of it that had data and
 * lies in the window, so the bucket still filling is not understated. Null before any data.
 */
function bucketRates(
  time: readonly number[],
  bucket: number,
  increments: readonly { time: number; delta: number }[],
  start: number | undefined,
  from: number,
  to: number,
): (number | null)[] {
  const totals = new Array<number>(time.length).fill(0);
  const first = time[0] ?? 0;
  for (const { time: t, delta } of increments) {
    const index = Math.floor((t - first) / bucket);
    if (index >= 0 && index < totals.length) totals[index]! += delta;
  }
  return time.map((t, i) => {
    if (start === undefined) return null;
    const span = Math.min(t + bucket, to) - Math.max(t, start, from);
    return span > 0 ? round((totals[i]! * HOUR) / span, 2) : null;
  });
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function roundValues(record: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) out[key] = round(value, 3)!;
  return out;
}
