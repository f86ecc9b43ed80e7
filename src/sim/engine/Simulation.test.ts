import { describe, expect, it } from 'vitest';
import { SimModelError } from './errors.js';
import { Interrupt, type ProcessGenerator } from './Process.js';
import { Simulation } from './Simulation.js';

describe('Simulation', () => {
  it('runs callbacks in time order, ties first-scheduled first, and stops at the horizon', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const note = (label: string): void => void log.push(`${sim.now}:${label}`);
    sim.schedule(5, note, 'c');
    sim.schedule(1, note, 'a');
    sim.schedule(1, note, 'b');
    sim.schedule(20, note, 'late');
    sim.schedule(0, () => sim.schedule(0, note, 'nested'));
    expect(sim.run(10)).toBe(5);
    expect(log).toEqual(['0:nested', '1:a', '1:b', '5:c']);
    expect(sim.now).toBe(10);
    expect(sim.peek()).toBe(20);
    sim.run();
    expect(sim.now).toBe(20);
    expect(sim.eventsProcessed).toBe(6);
  });

  it('cancels events and stops on request', () => {
    const sim = new Simulation();
    const log: number[] = [];
    const id = sim.schedule(1, () => log.push(1));
    sim.schedule(2, () => {
      log.push(2);
      sim.stop();
    });
    sim.schedule(3, () => log.push(3));
    sim.cancel(id);
    sim.run();
    expect(log).toEqual([2]);
    expect(sim.now).toBe(2);
    sim.run();
    expect(log).toEqual([2, 3]);
  });

  it('rejects delays and horizons that would move time backwards or to infinity', () => {
    const sim = new Simulation();
    for (const delay of [-1, Number.NaN, Infinity]) {
      expect(() => sim.schedule(delay, () => {})).toThrow(SimModelError);
    }
    sim.run(5);
    expect(() => sim.scheduleAt(4, () => {})).toThrow(/now is 5/);
    expect(() => sim.run(1)).toThrow(SimModelError);
  });
});

describe('processes', () => {
  it('wait for delays, events and other processes', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const signal = sim.event<string>();
    const child = sim.process(function* (): ProcessGenerator<number> {
      yield 2;
      log.push(`child done ${sim.now}`);
      return 42;
    });
    sim.process(function* (): ProcessGenerator {
      const result = yield child;
      log.push(`joined ${String(result)} at ${sim.now}`);
      const message = yield signal;
      log.push(`signal ${String(message)} at ${sim.now}`);
      const late = yield sim.timeout(1.5, 'x');
      log.push(`timeout ${String(late)} at ${sim.now}`);
      // An event that has already triggered does not wait.
      const again = yield signal;
      log.push(`again ${String(again)} at ${sim.now}`);
    });
    sim.schedule(7, () => signal.succeed('go'));
    sim.run();
    expect(log).toEqual([
      'child done 2',
      'joined 42 at 2',
      'signal go at 7',
      'timeout x at 8.5',
      'again go at 8.5',
    ]);
    expect(child.value).toBe(42);
    expect(child.isAlive).toBe(false);
  });

  it('deliver an interrupt at the pending yield and forget the wait', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const worker = sim.process(function* (): ProcessGenerator {
      try {
        yield 10;
        log.push('finished');
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error;
        log.push(`interrupted by ${String(error.reason)} at ${sim.now}`);
        yield 1;
        log.push(`repaired at ${sim.now}`);
      }
    });
    sim.schedule(3, () => worker.interrupt('breakdown'));
    sim.run();
    expect(log).toEqual(['interrupted by breakdown at 3', 'repaired at 4']);
    expect(sim.now).toBe(4);
  });

  it('let an unhandled interrupt or a bad yield surface from run()', () => {
    const sim = new Simulation();
    const p = sim.process(function* (): ProcessGenerator {
      yield sim.event();
    });
    sim.schedule(1, () => p.interrupt('stop'));
    expect(() => sim.run()).toThrow(Interrupt);

    const bad = new Simulation();
    bad.process(function* (): ProcessGenerator {
      yield 'soon' as unknown as number;
    });
    expect(() => bad.run()).toThrow(expect.objectContaining({ code: 'IMV_SIM_PROCESS_YIELD_INVALID' }));

    const negative = new Simulation();
    negative.process(function* (): ProcessGenerator {
      yield -1;
    });
    expect(() => negative.run()).toThrow(expect.objectContaining({ code: 'IMV_SIM_DELAY_INVALID' }));
  });

  it('refuse to trigger an event twice', () => {
    const sim = new Simulation();
    const event = sim.event<number>().succeed(1);
    expect(() => event.succeed(2)).toThrow(
      expect.objectContaining({ code: 'IMV_SIM_EVENT_ALREADY_TRIGGERED' }),
    );
  });

  it('call event callbacks at the time the event triggers, after the triggering event', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const event = sim.event<string>();
    event.onTrigger((e) => log.push(`${e.value} at ${sim.now}`));
    sim.schedule(2, () => {
      event.succeed('done');
      log.push('after succeed');
    });
    sim.run();
    event.onTrigger((e) => log.push(`late ${e.value} at ${sim.now}`));
    sim.run();
    expect(log).toEqual(['after succeed', 'done at 2', 'late done at 2']);
  });
});
