import { describe, expect, it } from 'vitest';
import type { ProcessGenerator } from './Process.js';
import { Resource } from './Resource.js';
import { Simulation } from './Simulation.js';

describe('Resource', () => {
  it('serves c at a time, then by priority, then first come first served', () => {
    const sim = new Simulation();
    const crane = new Resource(sim, 2, 'crane');
    const log: string[] = [];
    const job = (name: string, arrive: number, priority: number, work: number) =>
      sim.process(function* (): ProcessGenerator {
        yield arrive;
        const request = crane.request(priority);
        yield request;
        log.push(`${name} starts ${sim.now}`);
        yield work;
        crane.release(request);
      });
    job('a', 0, 0, 10);
    job('b', 0, 0, 4);
    job('c', 1, 5, 1);
    job('d', 2, 5, 1);
    job('e', 3, 1, 1);
    sim.run();
    expect(log).toEqual(['a starts 0', 'b starts 0', 'e starts 4', 'c starts 5', 'd starts 6']);
    expect(crane.users).toBe(0);
    expect(crane.waits.count).toBe(5);
    expect(crane.waits.mean).toBeCloseTo((0 + 0 + 1 + 4 + 4) / 5, 12);
    // Busy unit-time: 10 + 4 + 1 + 1 + 1 = 17 over 10 time units on 2 units.
    expect(crane.utilisation).toBeCloseTo(17 / 20, 12);
    // Waiting: c 1→5, d 2→6, e 3→4: area 9 over 10.
    expect(crane.queueLength.mean).toBeCloseTo(0.9, 12);
  });

  it('works from callbacks too, and withdraws a waiting request', () => {
    const sim = new Simulation();
    const machine = new Resource(sim);
    const first = machine.request();
    const second = machine.request();
    const third = machine.request();
    const granted: number[] = [];
    second.onTrigger(() => granted.push(2));
    third.onTrigger(() => granted.push(3));
    machine.release(second);
    expect(second.state).toBe('cancelled');
    expect(machine.queued).toBe(1);
    sim.schedule(5, () => machine.release(first));
    sim.run();
    expect(granted).toEqual([3]);
    expect(third.grantedAt).toBe(5);
    expect(() => machine.release(second)).toThrow(
      expect.objectContaining({ code: 'IMV_SIM_REQUEST_INVALID' }),
    );
    expect(() => new Resource(sim).release(third)).toThrow(
      expect.objectContaining({ code: 'IMV_SIM_REQUEST_INVALID' }),
    );
  });

  it('rejects a capacity that is not a positive integer', () => {
    const sim = new Simulation();
    expect(() => new Resource(sim, 0)).toThrow(expect.objectContaining({ parameter: 'capacity' }));
    expect(() => new Resource(sim, 1.5)).toThrow(expect.objectContaining({ parameter: 'capacity' }));
  });
});
