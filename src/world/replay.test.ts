import { describe, expect, it } from 'vitest';
import { changesOf } from '../core/wire-timeline.js';
import type { HistoryPoint } from '../history/store.js';
import {
  checkWindow,
  decodeContinuation,
  encodeContinuation,
  pageOfChanges,
  parseReplayFields,
  parseReplayTime,
  statesOf,
} from './replay.js';

const T0 = Date.UTC(2026, 0, 1);
const pt = (twin: string, field: string, s: number, value: HistoryPoint['value']): HistoryPoint => ({
  twin,
  field,
  time: T0 + s * 1000,
  value,
});
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('replay parameters', () => {
  it('reads ISO 8601 and epoch milliseconds, and refuses anything else with a stable code', () => {
    expect(parseReplayTime('2026-01-01T00:00:10Z', '/query/at')).toBe(T0 + 10_000);
    expect(parseReplayTime(String(T0), '/query/at')).toBe(T0);
    for (const bad of ['', 'yesterday', '12:00', '1e12', '2026-13-45T00:00:00Z', '99999999999999999999']) {
      expect(
        codeOf(() => parseReplayTime(bad, '/query/at')),
        bad,
      ).toBe('IMV_TIMELINE_TIME_INVALID');
    }
  });

  it('takes state by default, deduplicates fields and refuses wildcards, $ fields and too many', () => {
    expect(parseReplayFields(undefined)).toEqual(['state']);
    expect(parseReplayFields(' state, position.x,state ,position.y')).toEqual([
      'state',
      'position.x',
      'position.y',
    ]);
    for (const bad of ['', ',', '*', '$metadata', 'a,b,c,d,e,f,g,h,i']) {
      expect(
        codeOf(() => parseReplayFields(bad)),
        bad,
      ).toBe('IMV_TIMELINE_FIELDS_INVALID');
    }
  });

  it('allows windows up to 24 hours, from not after to', () => {
    expect(() => checkWindow(T0, T0)).not.toThrow();
    expect(() => checkWindow(T0, T0 + 86_400_000)).not.toThrow();
    expect(codeOf(() => checkWindow(T0 + 1, T0))).toBe('IMV_TIMELINE_WINDOW_INVALID');
    expect(codeOf(() => checkWindow(T0, T0 + 86_400_001))).toBe('IMV_TIMELINE_WINDOW_INVALID');
  });

  it('round-trips a continuation, and refuses one from another window or malformed', () => {
    const text = encodeContinuation({ time: T0 + 5, skip: 3 });
    expect(decodeContinuation(text, T0, T0 + 10)).toEqual({ time: T0 + 5, skip: 3 });
    for (const bad of ['x', `${T0 + 5}`, `${T0 + 5}.-1`, `${T0 + 10}.0`, `${T0 - 1}.0`]) {
      expect(
        codeOf(() => decodeContinuation(bad, T0, T0 + 10)),
        bad,
      ).toBe('IMV_CONTINUATION_INVALID');
    }
  });
});

describe('pageOfChanges', () => {
  const window = { from: T0, to: T0 + 60_000, fields: ['state', 'position.x'] };
  const points = [
    pt('P/a', 'state', 0, 'running'),
    pt('P/b', 'state', 0, 'idle'),
    pt('P/a', 'state', 1, 'running'), // a repeat: no change
    pt('P/agv', 'position.x', 1, 12.5),
    pt('P/a', 'state', 2, 'down'),
    pt('P/b', 'state', 2, 'running'),
    pt('P/c', 'state', 2, 'setup'),
    pt('P/a', 'state', 3, 'running'),
  ];

  it('gives every change in one page when it fits, with twins by index and repeats left out', () => {
    const page = pageOfChanges(points, { ...window, limit: 100 });
    expect(page.continuation).toBeUndefined();
    expect(page.until).toBe(window.to);
    expect(page.twins).toEqual(['P/a', 'P/b', 'P/agv', 'P/c']);
    expect(changesOf(page).map((c) => [c.time - T0, c.twin, c.field, c.value])).toEqual([
      [0, 'P/a', 'state', 'running'],
      [0, 'P/b', 'state', 'idle'],
      [1000, 'P/agv', 'position.x', 12.5],
      [2000, 'P/a', 'state', 'down'],
      [2000, 'P/b', 'state', 'running'],
      [2000, 'P/c', 'state', 'setup'],
      [3000, 'P/a', 'state', 'running'],
    ]);
  });

  it('pages through ties at one time without losing or repeating a change', () => {
    // What a store would answer for a read from the cursor with limit skip + limit + 1.
    const read = (cursor: { time: number; skip: number } | undefined, limit: number) =>
      points.filter((p) => p.time >= (cursor?.time ?? T0)).slice(0, (cursor?.skip ?? 0) + limit + 1);
    for (const limit of [1, 2, 3, 4]) {
      const seen: HistoryPoint[] = [];
      let cursor: { time: number; skip: number } | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = pageOfChanges(read(cursor, limit), { ...window, limit, ...(cursor ? { cursor } : {}) });
        expect(page.changes.length).toBeLessThanOrEqual(limit);
        for (const c of changesOf(page)) {
          seen.push({ twin: c.twin, field: c.field, time: c.time, value: c.value });
          expect(c.time).toBeLessThanOrEqual(page.until);
        }
        if (page.continuation === undefined) break;
        cursor = decodeContinuation(page.continuation, window.from, window.to);
      }
      // Repeats across pages may come through (a page does not know the one before): compare changes.
      const key = (p: HistoryPoint) => `${p.time}|${p.twin}|${p.field}|${String(p.value)}`;
      expect(new Set(seen.map(key)), `limit ${limit}`).toEqual(
        new Set(points.filter((_, i) => i !== 2 || limit === 1 || limit === 2).map(key)),
      );
      expect(seen.length).toBe(new Set(seen.map(key)).size);
    }
  });

  it('maps a latestAt read to twin → field → value', () => {
    const keys = [
      { twin: 'P/a', field: 'state' },
      { twin: 'P/a', field: 'speed' },
      { twin: 'P/b', field: 'state' },
    ];
    const found = new Map([
      ['P/a\u0000state', { time: T0, value: 'down' }],
      ['P/a\u0000speed', { time: T0, value: 3 }],
    ]);
    expect(statesOf(keys, found)).toEqual({ 'P/a': { state: 'down', speed: 3 } });
  });
});
