import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlant } from '../../twin/plant.js';
import { compilePlantSimulation } from '../factory/index.js';
import { hostedAssets } from './assets.js';
import { VirtualPlant, type OutgoingMessage } from './VirtualPlant.js';

const file = new URL('../../../examples/demo-plant.yaml', import.meta.url);
const definition = parsePlant(readFileSync(file, 'utf8'), 'demo-plant.yaml');
const plant = compilePlantSimulation(definition, 'demo-plant.yaml');
const assets = hostedAssets(
  definition,
  plant.stations.map((s) => s.id),
);
const T0 = Date.UTC(2026, 10, 25, 6);
const STATES = new Set(['running', 'idle', 'blocked', 'starved', 'down', 'setup', 'maintenance', 'offline']);

function demo(speed = 60, fieldsOf?: (id: string) => ReadonlySet<string> | undefined) {
  return new VirtualPlant(plant, {
    seed: 7,
    startedAt: T0,
    speed,
    assets,
    ...(fieldsOf ? { fieldsOf } : {}),
  });
}

describe('VirtualPlant', () => {
  it('finds the machines, robots and sensors each station hosts', () => {
    const cnc = assets.find((a) => a.id === 'line-1/st-01/cnc');
    expect(cnc).toMatchObject({ station: 'line-1/st-01', ratedPower: 32 });
    expect(cnc!.sensors.map((s) => s.kind).sort()).toEqual(['power', 'temperature', 'vibration']);
    expect(new Set(assets.map((a) => a.station)).size).toBeGreaterThan(20);
  });

  it('reports stations, units, buffers and vehicles as the plant runs, in time order and never ahead of the clock', () => {
    const virtual = demo();
    const messages: OutgoingMessage[] = [];
    // Ten real minutes at 60×: ten simulated hours, in one-second steps.
    for (let t = T0 + 1000; t <= T0 + 600_000; t += 1000) {
      const batch = virtual.advance(t);
      for (const m of batch) expect(m.payload.ts as number).toBeLessThanOrEqual(t);
      messages.push(...batch);
    }
    const times = messages.map((m) => m.payload.ts as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const states = messages.filter((m) => m.payload.state !== undefined);
    expect(states.every((m) => STATES.has(m.payload.state as string))).toBe(true);
    expect(new Set(states.map((m) => m.topic)).size).toBe(40);
    const units = messages.filter((m) => m.payload.unit !== undefined);
    expect(units.length).toBeGreaterThan(100);
    for (const m of units) {
      expect(m.payload.unit).toMatch(/^88\.100\.1\/unit\/[A-Z0-9-]+-\d{6}$/);
      expect(typeof m.payload.order).toBe('string');
    }
    // A unit's route: the stations where it started, in order, along its line.
    const first = units[0]!.payload.unit;
    const route = units
      .filter((m) => m.payload.unit === first)
      .map((m) => m.topic.split('/').slice(1, 3).join('/'));
    expect(route.length).toBeGreaterThan(3);
    expect(route).toEqual([...route].sort());
    expect(
      messages.some(
        (m) => /^plant\/line-\d\/buf-[\w-]+\/status$/.test(m.topic) && m.payload.level !== undefined,
      ),
    ).toBe(true);
    expect(messages.some((m) => /^plant\/agv-0\d\/telemetry$/.test(m.topic))).toBe(true);
    expect(
      messages.some((m) => /^plant\/line-\d\/status$/.test(m.topic) && (m.payload.goodCount as number) > 0),
    ).toBe(true);
  });

  it('samples machine signals and sends only the fields each twin takes', () => {
    const fields = new Map<string, ReadonlySet<string>>([
      ['line-1/st-01/cnc', new Set(['temperature', 'power'])],
      ['line-1/st-01/cnc/temp', new Set(['value'])],
    ]);
    const virtual = demo(60, (id) => fields.get(id));
    virtual.advance(T0 + 60_000);
    const sample = virtual.sample(T0 + 60_000);
    expect(sample.map((m) => m.topic).sort()).toEqual([
      'plant/line-1/st-01/cnc/telemetry',
      'plant/line-1/st-01/cnc/temp/telemetry',
    ]);
    const machine = sample.find((m) => m.topic === 'plant/line-1/st-01/cnc/telemetry')!.payload;
    expect(Object.keys(machine).sort()).toEqual(['power', 'temperature', 'ts']);
    expect(machine.temperature as number).toBeGreaterThan(20);
    expect(machine.ts).toBe(T0 + 60_000);
  });

  it('vibrates harder as a machine wears towards its next failure', () => {
    const virtual = demo(1);
    const station = 'line-2/st-01'; // fails every 8 h of operation on average
    const asset = assets.find((a) => a.station === station)!;
    const worn: number[] = [];
    const fresh: number[] = [];
    for (let minute = 1; minute <= 4 * 24 * 60; minute++) {
      const t = T0 + minute * 60_000;
      virtual.advance(t);
      const health = virtual.model.health(station);
      const running = virtual.model.stationState(station) === 'running';
      const reading = virtual.sample(t).find((m) => m.topic === `plant/${asset.id}/telemetry`)!.payload;
      if (running && health < 0.05) worn.push(reading.vibration as number);
      if (running && health > 0.5) fresh.push(reading.vibration as number);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(worn.length).toBeGreaterThan(5);
    expect(mean(worn)).toBeGreaterThan(2 * mean(fresh));
  });

  it('reports every station at once in a snapshot, as devices do when they come online', () => {
    const virtual = demo();
    const snapshot = virtual.snapshot(T0);
    expect(snapshot).toHaveLength(40);
    for (const m of snapshot) {
      expect(STATES.has(m.payload.state as string)).toBe(true);
      expect(m.payload).toMatchObject({ goodCount: expect.any(Number), ts: T0 });
    }
  });

  it('obeys stop, start and setSpeed, and refuses what it cannot do', () => {
    const virtual = demo();
    virtual.advance(T0 + 10_000);
    expect(virtual.command('line-1/st-05', { command: 'stop' })).toEqual({ ok: true });
    virtual.advance(T0 + 200_000);
    expect(virtual.model.stationState('line-1/st-05')).toBe('offline');
    expect(virtual.command('line-1/st-05', { command: 'start' })).toEqual({ ok: true });
    virtual.advance(T0 + 400_000);
    expect(virtual.model.stationState('line-1/st-05')).not.toBe('offline');
    expect(virtual.command('line-1/st-05', { command: 'setSpeed', value: 1.5 })).toEqual({ ok: true });
    expect(virtual.command('line-1/st-05', { command: 'setSpeed', value: -1 })).toMatchObject({ ok: false });
    expect(virtual.command('line-1/st-05', { command: 'explode' })).toMatchObject({ ok: false });
    expect(virtual.command('line-9/st-01', { command: 'stop' })).toEqual({
      ok: false,
      reason: 'no station line-9/st-01',
    });
  });
});
