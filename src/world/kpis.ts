// Plant KPIs (throughput, OEE, alarms) from plain arrays of history: pure, so each formula is
// checked by hand-computed numbers. kpi-source.ts reads the inputs; docs/dashboard.md explains them.
import { oeeIndex, sumOeeInputs, type OeeInput } from '../core/oee.js';
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
  /** Ideal seconds per unit, as planned (the twin's nominalCycleTime). */
  readonly nominalCycleTime?: number;
  /** The state in force when the window opened, when known. */
  readonly stateBefore?: string;
  /** State changes within the window, oldest first. */
  readonly states: readonly TimedValue[];
  readonly good: CounterInput;
  readonly scrap: CounterInput;
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

/** States outside planned busy time: planned work on the station, or no data (docs/oee.md). */
const UNPLANNED = new Set(['maintenance', 'offline']);
/** The one state that is actual production time; every other planned state lowers availability. */
const PRODUCING = 'running';
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

/** The shares as the API gives them: four decimals. */
function ratios(input: OeeInput, known: boolean): KpiRatios {
  const index = oeeIndex(input);
  return {
    availability: round(index.availability, 4),
    // Without an ideal cycle time there is no performance, nor an OEE unless availability says 0.
    performance: known ? round(index.performance, 4) : null,
    quality: round(index.quality, 4),
    oee: known || index.availability === 0 ? round(index.oee, 4) : null,
  };
}

/**
 * The ideal seconds per unit in the window: the planned (nominal) cycle time, unless the station
 * finished its units faster than that — then it was sped up, or its nominalCycleTime is too slow,
 * and the cycle it ran at is the ideal one (the study's rule for a station sped up, docs/oee.md).
 * The answer shows both, so the change is never silent.
 */
export function idealCycleTime(
  nominal: number | undefined,
  productionSeconds: number,
  produced: number,
): number | null {
  if (nominal === undefined || !(nominal > 0)) return null;
  if (produced > 0 && productionSeconds / produced < nominal) return productionSeconds / produced;
  return nominal;
}

/** ISO 22400-2's times and quantities of a station in a window, from its states and counters. */
export function stationOeeInput(
  seconds: Readonly<Record<string, number>>,
  good: number,
  scrap: number,
  idealCycle: number | null,
): OeeInput {
  let planned = 0;
  for (const [state, s] of Object.entries(seconds)) if (!UNPLANNED.has(state)) planned += s;
  const production = seconds[PRODUCING] ?? 0;
  return {
    plannedBusyTime: planned,
    actualProductionTime: production,
    idealProductionTime: idealCycle === null ? 0 : idealCycle * (good + scrap),
    producedQuantity: good + scrap,
    goodQuantity: good,
  };
}

interface Parts {
  readonly input: OeeInput;
  /** Whether every station summed has an ideal cycle time: else performance is unknown. */
  readonly known: boolean;
}

function sumParts(parts: readonly Parts[]): Parts {
  return { input: sumOeeInputs(parts.map((p) => p.input)), known: parts.every((p) => p.known) };
}

export function stationKpis(
  input: StationInput,
  from: number,
  to: number,
): { kpis: StationKpis; parts: Parts } {
  const { seconds, downEvents } = stateTimes(input.stateBefore, input.states, from, to);
  const good = sum(counterIncrements(input.good));
  const scrap = sum(counterIncrements(input.scrap));
  const ideal = idealCycleTime(input.nominalCycleTime, seconds[PRODUCING] ?? 0, good + scrap);
  const parts: Parts = { input: stationOeeInput(seconds, good, scrap, ideal), known: ideal !== null };
  const kpis: StationKpis = {
    id: input.id,
    name: input.name,
    state: input.state ?? null,
    stateSeconds: roundValues(seconds),
    good,
    scrap,
    downEvents,
    alarm: input.state !== undefined && ALARM_STATES.has(input.state),
    nominalCycleTime: input.nominalCycleTime ?? null,
    idealCycleTime: round(ideal, 3),
    ...ratios(parts.input, parts.known),
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

  const plantParts: Parts[] = [];
  const lines: LineKpis[] = [];
  const series: { id: string; values: (number | null)[] }[] = [];
  let plantThroughput: number | null = null;
  let plantOutput = 0;
  for (const line of input.lines) {
    const lineParts: Parts[] = [];
    const stations: StationKpis[] = [];
    const stateCounts: Record<string, number> = {};
    let downEvents = 0;
    for (const station of line.stations) {
      const { kpis, parts } = stationKpis(station, from, to);
      stations.push(kpis);
      lineParts.push(parts);
      const state = kpis.state ?? 'unknown';
      stateCounts[state] = (stateCounts[state] ?? 0) + 1;
      downEvents += kpis.downEvents;
    }
    const lineSum = sumParts(lineParts);
    plantParts.push(lineSum);

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
      ...ratios(lineSum.input, lineSum.known),
    });
  }

  const plantSum = sumParts(plantParts);
  const plant: PlantKpis = {
    throughput: round(plantThroughput, 2),
    output: plantOutput,
    alarmsNow: lines.reduce((n, l) => n + l.alarms.now.length, 0),
    downEvents: lines.reduce((n, l) => n + l.alarms.downEvents, 0),
    stations: lines.reduce((n, l) => n + l.stations.length, 0),
    ...ratios(plantSum.input, plantSum.known),
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
