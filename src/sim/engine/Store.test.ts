import { describe, expect, it } from 'vitest';
import type { ProcessGenerator } from './Process.js';
import { Simulation } from './Simulation.js';
import { Store } from './Store.js';

describe('Store', () => {
  it('blocks a producer when full and starves a consumer when empty, first in first out', () => {
    const sim = new Simulation();
    const buffer = new Store<string>(sim, 2, 'buffer');
    const log: string[] = [];
    sim.process(function* (): ProcessGenerator {
      for (const part of ['p1', 'p2', 'p3', 'p4']) {
        yield buffer.put(part);
        log.push(`put ${part} at ${sim.now}`);
      }
    });
    sim.process(function* (): ProcessGenerator {
      yield 5;
      for (let i = 0; i < 5; i++) {
        const get = buffer.get();
        yield get;
        log.push(`got ${get.value} at ${sim.now}`);
        yield 1;
      }
    });
    sim.run();
    expect(log).toEqual([
      'put p1 at 0',
      'put p2 at 0',
      'got p1 at 5',
      'put p3 at 5',
      'got p2 at 6',
      'put p4 at 6',
      'got p3 at 7',
      'got p4 at 8',
    ]);
    expect(buffer.waitingGets).toBe(1);
    expect(buffer.size).toBe(0);
    // Level 2 from 0 to 7, then 1 to 8, then 0 to 9.
    expect(buffer.level.mean).toBeCloseTo((2 * 7 + 1) / 9, 12);
  });

  it('withdraws a waiting get so that it swallows no item', () => {
    const sim = new Simulation();
    const buffer = new Store<number>(sim, 1);
    const forgotten = buffer.get();
    expect(buffer.cancel(forgotten)).toBe(true);
    expect(buffer.cancel(forgotten)).toBe(false);
    buffer.put(7);
    const blocked = buffer.put(8);
    expect(buffer.blockedPuts).toBe(1);
    expect(buffer.cancel(blocked)).toBe(true);
    const got = buffer.get();
    sim.run();
    expect([forgotten.triggered, got.value, buffer.size, buffer.blockedPuts]).toEqual([false, 7, 0, 0]);
  });

  it('rejects a bad capacity', () => {
    expect(() => new Store(new Simulation(), 0)).toThrow(expect.objectContaining({ parameter: 'capacity' }));
  });
});
