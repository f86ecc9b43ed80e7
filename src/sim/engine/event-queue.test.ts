import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { Random } from './random.js';

const noop = (): void => {};

describe('EventQueue', () => {
  it('pops in time order, equal times in insertion order, across growth', () => {
    const seed = 7;
    const random = new Random(seed);
    const queue = new EventQueue();
    const pushed: { time: number; id: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      // Few distinct times, so ties are common.
      const time = random.integer(50);
      pushed.push({ time, id: queue.push(time, noop, i) });
    }
    const expected = [...pushed].sort((a, b) => a.time - b.time || a.id - b.id).map((e) => e.id);
    const popped: number[] = [];
    while (queue.pop()) {
      popped.push(queue.poppedPayload as number);
      expect(queue.poppedSeq).toBe(popped[popped.length - 1]);
    }
    expect(popped, `seed ${seed}`).toEqual(expected);
  });

  it('interleaves pushes and pops like a sorted list', () => {
    const seed = 11;
    const random = new Random(seed);
    const queue = new EventQueue();
    const model: { time: number; seq: number }[] = [];
    let now = 0;
    for (let step = 0; step < 20000; step++) {
      if (random.next() < 0.55 || model.length === 0) {
        const time = now + random.integer(10);
        model.push({ time, seq: queue.push(time, noop, undefined) });
      } else {
        model.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const next = model.shift()!;
        expect(queue.pop()).toBe(true);
        expect([queue.poppedTime, queue.poppedSeq], `seed ${seed}, step ${step}`).toEqual([
          next.time,
          next.seq,
        ]);
        now = next.time;
      }
    }
    expect(queue.size).toBe(model.length);
  });

  it('reports an empty queue', () => {
    const queue = new EventQueue();
    expect(queue.pop()).toBe(false);
    expect(queue.peekTime()).toBe(Infinity);
    queue.push(3, noop, undefined);
    expect(queue.peekTime()).toBe(3);
    queue.clear();
    expect(queue.size).toBe(0);
  });
});
