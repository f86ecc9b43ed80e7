import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlant } from '../../twin/plant.js';
import { compilePlantSimulation } from '../factory/index.js';
import { dispatch } from './dispatch.js';
import { lowerBound, validateSchedule } from './instance.js';
import { plantJobShop, variantRoute } from './plant-orders.js';
import { improve } from './tabu.js';

const file = new URL('../../../examples/demo-plant.yaml', import.meta.url);
const plant = compilePlantSimulation(
  parsePlant(readFileSync(file, 'utf8'), 'demo-plant.yaml'),
  'demo-plant.yaml',
);
const line = (n: number) =>
  Array.from({ length: 10 }, (_, i) => `line-${n}/st-${String(i + 1).padStart(2, '0')}`);

describe('orders on the plant', () => {
  it('follows each variant along its lines, through the AGV hand-over', () => {
    expect(variantRoute(plant, 'GH40-A')).toEqual([...line(1), ...line(3)]);
    expect(variantRoute(plant, 'BR12-R')).toEqual([...line(2), ...line(4)]);
  });

  it('schedules a week of orders feasibly on the stations their routes share', () => {
    const orders = [
      { id: 'O-1', variant: 'GH40-A', quantity: 24, due: 8 * 3600 },
      { id: 'O-2', variant: 'GH40-B', quantity: 12, due: 6 * 3600 },
      { id: 'O-3', variant: 'BR12-L', quantity: 96 },
      { id: 'O-4', variant: 'BR12-R', quantity: 48, release: 3600 },
      { id: 'O-5', variant: 'GH40-A', quantity: 24 },
    ];
    const shop = plantJobShop(plant, orders);
    expect(shop.stations).toHaveLength(40);
    expect(shop.instance.jobs[0]!.operations).toHaveLength(20);
    // 24 housings at OP10 (90 s each) after a 10-minute setup.
    expect(shop.instance.jobs[0]!.operations[0]).toEqual({ machine: 0, duration: 600 + 24 * 90 });
    const start = dispatch(shop.instance, 'EDD');
    expect(validateSchedule(shop.instance, start)).toEqual([]);
    const best = improve(shop.instance, start, { seed: 1, maxIterations: 2000 });
    expect(validateSchedule(shop.instance, best.schedule)).toEqual([]);
    expect(best.makespan).toBeLessThanOrEqual(start.makespan);
    expect(best.makespan).toBeGreaterThanOrEqual(lowerBound(shop.instance));
    expect(best.schedule.starts[3]![0]).toBeGreaterThanOrEqual(3600);
  });

  it('refuses an unknown variant, a repeated order and a quantity that is not a whole number', () => {
    expect(() => plantJobShop(plant, [{ id: 'x', variant: 'GH99', quantity: 1 }])).toThrow(
      /unknown variant GH99/,
    );
    expect(() =>
      plantJobShop(plant, [
        { id: 'x', variant: 'GH40-A', quantity: 1 },
        { id: 'x', variant: 'GH40-A', quantity: 1 },
      ]),
    ).toThrow(/listed twice/);
    expect(() => plantJobShop(plant, [{ id: 'x', variant: 'GH40-A', quantity: 0.5 }])).toThrow(
      /whole number/,
    );
  });
});
