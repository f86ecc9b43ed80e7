// The easing and heading of moving twins (AGVs), without a browser: the page module is DOM-free.
import { describe, expect, it } from 'vitest';
import { AgvMotion, reportedPosition, turn } from '../web/src/models/AgvMotion.js';

const AGV = '88.100.1/agv-01';
const layout = { x: 10, y: 20, z: 0, rotation: 90, width: 1, depth: 1.6, height: 0.5 };

function setup() {
  const placed: Array<{ id: string; x: number; y: number; rotation: number }> = [];
  const motion = new AgvMotion(new Map([[AGV, layout]]), (id, l) => {
    expect(l).toMatchObject({ z: 0, width: 1, depth: 1.6, height: 0.5 }); // the rest of the layout is kept
    placed.push({ id, x: l.x, y: l.y, rotation: l.rotation });
  });
  return { motion, placed };
}

describe('AgvMotion', () => {
  it('reads positions as flat telemetry fields or as an object, and nothing else', () => {
    expect(
      reportedPosition([
        ['position.x', 1],
        ['position.y', 2],
        ['speed', 1],
      ]),
    ).toEqual({ x: 1, y: 2 });
    expect(reportedPosition([['position', { x: 3, y: 4 }]])).toEqual({ x: 3, y: 4 });
    expect(reportedPosition([['position.x', 1]])).toBeUndefined();
    expect(
      reportedPosition([
        ['position.x', 'a'],
        ['position.y', 2],
      ]),
    ).toBeUndefined();
    expect(reportedPosition([['state', 'running']])).toBeUndefined();
  });

  it('turns the short way round', () => {
    expect(turn(170, -170)).toBeCloseTo(20);
    expect(turn(-170, 170)).toBeCloseTo(-20);
    expect(turn(0, 90)).toBeCloseTo(90);
    expect(Math.abs(turn(0, 180))).toBeCloseTo(180);
  });

  it('eases towards a report, faces the way it drives, and settles', () => {
    const { motion, placed } = setup();
    expect(
      motion.paint({
        twin: 'someone-else',
        values: [
          ['position.x', 1],
          ['position.y', 1],
        ],
      }),
    ).toBe(false);
    expect(
      motion.paint({
        twin: AGV,
        values: [
          ['position.x', 20],
          ['position.y', 20],
        ],
      }),
    ).toBe(true);
    expect(motion.tick(0.1)).toBe(true);
    const first = placed.at(-1)!;
    expect(first.x).toBeGreaterThan(10);
    expect(first.x).toBeLessThan(20);
    expect(first.y).toBe(20);
    // Driving east with its long side (depth, along y at rotation 0) forward: rotation -90°.
    for (let i = 0; i < 100 && motion.tick(0.1); i++);
    expect(motion.tick(0.1)).toBe(false);
    expect(placed.at(-1)).toEqual({ id: AGV, x: 20, y: 20, rotation: -90 });
    expect(motion.drawn()).toEqual({ [AGV]: { x: 20, y: 20, rotation: -90 } });
  });

  it('jumps to a far report instead of sliding across the plant, and ignores jitter for heading', () => {
    const { motion, placed } = setup();
    motion.paint({ twin: AGV, values: [['position', { x: 500, y: 20 }]] });
    expect(placed.at(-1)).toMatchObject({ x: 500, y: 20 });
    motion.paint({ twin: AGV, values: [['position', { x: 500.01, y: 20.02 }]] });
    for (let i = 0; i < 100 && motion.tick(0.1); i++);
    expect(placed.at(-1)!.rotation).toBeCloseTo(-90);
  });
});
