// The timeline's DOM-free playback parts (web/src/timeline/playback.ts): the clock, the changes
// loaded ahead of it, and times in words.
import { describe, expect, it } from 'vitest';
import type { Change } from '../src/core/wire-timeline.js';
import {
  advance,
  agoText,
  ChangeBuffer,
  chunkMs,
  lookaheadMs,
  SPEEDS,
  timeInWords,
} from '../web/src/timeline/playback.js';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const change = (s: number, twin = 'P/a', value: Change['value'] = 'running'): Change => ({
  time: T0 + s * 1000,
  twin,
  field: 'state',
  value,
});

describe('ChangeBuffer', () => {
  it('hands out each loaded change once, in order, up to the clock', () => {
    const buffer = new ChangeBuffer(T0);
    expect(buffer.loadedUntil).toBe(T0 + 1);
    buffer.add([change(1), change(2, 'P/b'), change(2, 'P/c'), change(5)], T0 + 4000);
    expect(buffer.loadedUntil).toBe(T0 + 4000);
    expect(buffer.take(T0 + 500)).toEqual([]);
    expect(buffer.take(T0 + 2000).map((c) => c.twin)).toEqual(['P/a', 'P/b', 'P/c']);
    expect(buffer.take(T0 + 2000)).toEqual([]);
    buffer.add([change(6), change(7)], T0 + 10_000);
    expect(buffer.take(T0 + 6000).map((c) => c.time - T0)).toEqual([5000, 6000]);
    expect(buffer.pending).toBe(1);
  });

  it('ignores changes at or before the moment on screen, and a page older than the last', () => {
    const buffer = new ChangeBuffer(T0 + 3000);
    buffer.add([change(2), change(3), change(4)], T0 + 5000);
    buffer.add([change(1)], T0 + 2000);
    expect(buffer.loadedUntil).toBe(T0 + 5000);
    expect(buffer.take(Infinity).map((c) => c.time - T0)).toEqual([4000]);
  });

  it('keeps working past thousands of changes painted', () => {
    const buffer = new ChangeBuffer(T0);
    const many = Array.from({ length: 10_000 }, (_, i) => change(1 + i / 1000, `P/${i}`));
    buffer.add(many, T0 + 100_000);
    let taken = 0;
    for (let t = T0; t <= T0 + 12_000; t += 100) taken += buffer.take(t).length;
    expect(taken).toBe(10_000);
  });
});

describe('the replay clock', () => {
  it('moves at the speed, waits at the edge of what is loaded and stops at the present', () => {
    expect(advance(T0, 100, 10, T0 + 60_000, T0 + 120_000)).toBe(T0 + 1000);
    expect(advance(T0, 1000, 100, T0 + 60_000, T0 + 120_000)).toBe(T0 + 60_000 - 1);
    expect(advance(T0, 1000, 100, T0 + 600_000, T0 + 50_000)).toBe(T0 + 50_000);
    expect(advance(T0, -5, 100, T0 + 600_000, T0 + 50_000)).toBe(T0);
  });

  it('loads ahead in chunks that grow with the speed, never beyond a day', () => {
    expect(SPEEDS).toEqual([1, 2, 5, 10, 25, 50, 100]);
    expect(chunkMs(1)).toBe(60_000);
    expect(chunkMs(100)).toBe(2_000_000);
    expect(chunkMs(1e9)).toBe(86_400_000);
    for (const speed of SPEEDS) expect(chunkMs(speed)).toBeGreaterThan(lookaheadMs(speed));
  });

  it('says a time in words', () => {
    expect(agoText(T0, T0 + 500)).toBe('just now');
    expect(agoText(T0, T0 + 42_000)).toBe('42 s ago');
    expect(agoText(T0, T0 + (3 * 60 + 12) * 60_000)).toBe('3 h 12 min ago');
    expect(agoText(T0, T0 + 52 * 3_600_000)).toBe('2 d 4 h ago');
    expect(timeInWords(T0, T0 + 90_000)).toMatch(/^Thu 1 Jan \d\d:00:00 \(1 min 30 s ago\)$/);
  });
});
