import { describe, expect, it } from 'vitest';
import {
  computeKpis,
  counterIncrements,
  stateTimes,
  stationKpis,
  type LineInput,
  type StationInput,
} from './kpis.js';

const T0 = 1_764_000_000_000; // a whole hour (divisible by 3 600 000)
const MIN = 60_000;
const at = (minutes: number) => T0 + minutes * MIN;

function station(overrides: Partial<StationInput> = {}): StationInput {
  return {
    id: 'p/line-1/st-01',
    name: 'OP10',
    states: [],
    good: { samples: [] },
    scrap: { samples: [] },
    ...overrides,
  };
}

describe('stateTimes', () => {
  it('splits the window into the states in force, starting from the state before it', () => {
    // 0–10 running (from before), 10–15 down, 15–20 maintenance, 20–60 running.
    const { seconds, downEvents } = stateTimes(
      'running',
      [
        { time: at(10), value: 'down' },
        { time: at(15), value: 'maintenance' },
        { time: at(20), value: 'running' },
      ],
      at(0),
      at(60),
    );
    expect(seconds).toEqual({ running: 50 * 60, down: 5 * 60, maintenance: 5 * 60 });
    expect(downEvents).toBe(1);
  });

  it('leaves the time before the first known state out, and counts each entry into down once', () => {
    const { seconds, downEvents } = stateTimes(
      undefined,
      [
        { time: at(30), value: 'down' },
        { time: at(35), value: 'down' }, // a repeat, not a new failure
        { time: at(40), value: 'running' },
        { time: at(50), value: 'down' },
      ],
      at(0),
      at(60),
    );
    expect(seconds).toEqual({ down: 20 * 60, running: 10 * 60 });
    expect(downEvents).toBe(2);
  });
});

describe('counterIncrements', () => {
  it('counts increases from the value before the window and reads a fall to half or less as a restart', () => {
    const increments = counterIncrements({
      before: 100,
      samples: [
        { time: at(1), value: 104 },
        { time: at(2), value: 104 },
        { time: at(3), value: 3 }, // restarted: 3 new units
        { time: at(4), value: 5 },
      ],
    });
    expect(increments).toEqual([
      { time: at(1), delta: 4 },
      { time: at(3), delta: 3 },
      { time: at(4), delta: 2 },
    ]);
  });

  it('skips a late report of a lower count instead of counting its units again', () => {
    // 554, 555, 556 then a stale snapshot of 553, then 557: four units after 553, not 557 − 553 more.
    const increments = counterIncrements({
      samples: [553, 554, 555, 556, 553, 557].map((value, i) => ({ time: at(i), value })),
    });
    expect(increments.reduce((n, i) => n + i.delta, 0)).toBe(4);
    expect(increments.at(-1)).toEqual({ time: at(5), delta: 1 });
  });

  it('takes the first sample as the baseline when nothing is known before the window', () => {
    expect(
      counterIncrements({
        samples: [
          { time: at(1), value: 50 },
          { time: at(2), value: 52 },
        ],
      }),
    ).toEqual([{ time: at(2), delta: 2 }]);
  });
});

describe('stationKpis', () => {
  it('computes ISO 22400-2 availability, performance, quality and OEE: blocked and starved lower availability', () => {
    // 0–10 running, 10–15 down, 15–20 maintenance, 20–30 starved, 30–35 blocked, 35–60 running.
    // Planned busy time: 60 min less 5 min maintenance = 3 300 s; production time: 35 min = 2 100 s.
    // A = 2 100/3 300; 20 units × 90 s = 1 800 s ideal → P = 1 800/2 100; 19 good, 1 scrap → Q = 0.95.
    const { kpis } = stationKpis(
      station({
        state: 'maintenance',
        nominalCycleTime: 90,
        stateBefore: 'running',
        states: [
          { time: at(10), value: 'down' },
          { time: at(15), value: 'maintenance' },
          { time: at(20), value: 'starved' },
          { time: at(30), value: 'blocked' },
          { time: at(35), value: 'running' },
        ],
        good: { before: 10, samples: [{ time: at(30), value: 29 }] },
        scrap: { before: 0, samples: [{ time: at(30), value: 1 }] },
      }),
      at(0),
      at(60),
    );
    expect(kpis.availability).toBe(0.6364);
    expect(kpis.performance).toBe(0.8571);
    expect(kpis.quality).toBe(0.95);
    // A × P is the ideal time over the planned busy time: 1 800/3 300.
    expect(kpis.oee).toBe(Math.round((1800 / 3300) * 0.95 * 10_000) / 10_000); // 0.5182
    expect(kpis).toMatchObject({
      good: 19,
      scrap: 1,
      downEvents: 1,
      alarm: true,
      state: 'maintenance',
      nominalCycleTime: 90,
      idealCycleTime: 90,
    });
  });

  it('measures a station that beat its nominal cycle time against the cycle it ran at, and says so', () => {
    // 30 units × 60 s = 1 800 s ideal over 2 400 s running → P = 0.75.
    const slow = stationKpis(
      station({
        nominalCycleTime: 60,
        stateBefore: 'running',
        states: [{ time: at(40), value: 'idle' }],
        good: { before: 0, samples: [{ time: at(40), value: 30 }] },
      }),
      at(0),
      at(60),
    ).kpis;
    expect(slow.performance).toBe(0.75);
    expect(slow.availability).toBe(Math.round((40 / 60) * 10_000) / 10_000);
    // 90 units in 3 600 s running: 40 s a unit, faster than the nominal 60 s. Not 1.5, not hidden.
    const fast = stationKpis(
      station({
        nominalCycleTime: 60,
        stateBefore: 'running',
        good: { before: 0, samples: [{ time: at(40), value: 90 }] },
      }),
      at(0),
      at(60),
    ).kpis;
    expect(fast).toMatchObject({ performance: 1, nominalCycleTime: 60, idealCycleTime: 40, oee: 1 });
  });

  it('gives null ratios, not zeros, when there is no data', () => {
    const { kpis } = stationKpis(station(), at(0), at(60));
    expect(kpis).toMatchObject({
      availability: null,
      performance: null,
      quality: null,
      oee: null,
      alarm: false,
    });
  });
});

describe('computeKpis', () => {
  const line1: LineInput = {
    id: 'p/line-1',
    name: 'Line 1',
    // 12 units in 60 min → 12/h; 5 of them in 10:00–10:30, 7 in 10:30–11:00.
    output: {
      before: 100,
      samples: [
        { time: at(10), value: 105 },
        { time: at(45), value: 112 },
      ],
    },
    stations: [
      station({
        id: 'p/line-1/st-01',
        state: 'running',
        nominalCycleTime: 100,
        stateBefore: 'running',
        good: { before: 0, samples: [{ time: at(50), value: 10 }] },
      }),
      station({
        id: 'p/line-1/st-02',
        state: 'down',
        nominalCycleTime: 100,
        stateBefore: 'running',
        states: [{ time: at(30), value: 'down' }],
        good: { before: 0, samples: [{ time: at(20), value: 9 }] },
        scrap: { before: 0, samples: [{ time: at(20), value: 1 }] },
      }),
    ],
  };
  const line2: LineInput = {
    id: 'p/line-2',
    name: 'Line 2',
    // No output counter of its own and data only from 10:40: the last station's 4 units over 20 min → 12/h.
    output: { samples: [] },
    stations: [
      station({
        id: 'p/line-2/st-01',
        state: 'idle',
        good: {
          samples: [
            { time: at(40), value: 0 },
            { time: at(50), value: 4 },
          ],
        },
      }),
    ],
  };
  const result = computeKpis({
    from: at(0),
    to: at(60),
    bucket: 30 * MIN,
    now: at(60),
    lines: [line1, line2],
  });

  it('gives each line its throughput, state counts and alarms', () => {
    const [l1, l2] = result.lines;
    expect(l1).toMatchObject({
      throughput: 12,
      output: 12,
      stateCounts: { running: 1, down: 1 },
      alarms: { now: ['p/line-1/st-02'], downEvents: 1 },
    });
    // Running 60 + 30 of 120 planned minutes; 20 units × 100 s ideal of 5 400 s running; 19 good of 20.
    expect(l1!.availability).toBe(0.75);
    expect(l1!.performance).toBe(0.3704);
    expect(l1!.quality).toBe(0.95);
    expect(l1!.oee).toBe(Math.round((2000 / 7200) * 0.95 * 10_000) / 10_000);
    expect(l2).toMatchObject({
      throughput: 12,
      output: 4,
      stateCounts: { idle: 1 },
      alarms: { now: [], downEvents: 0 },
    });
    expect(l2!.oee).toBeNull();
  });

  it('sums the lines for the plant', () => {
    expect(result.plant).toMatchObject({
      throughput: 24,
      output: 16,
      alarmsNow: 1,
      downEvents: 1,
      stations: 3,
    });
    expect(result.plant.availability).toBe(0.75);
  });

  it('gives a throughput series per bucket, as a rate over the part of each bucket with data', () => {
    expect(result.series.time).toEqual([at(0), at(30)]);
    expect(result.series.lines).toEqual([
      { id: 'p/line-1', values: [10, 14] }, // 5 units in 30 min, 7 in 30 min
      { id: 'p/line-2', values: [null, 12] }, // no data before 10:40; 4 units in 20 min
    ]);
  });
});
