import { describe, expect, it } from 'vitest';
import type { WorldObject } from '../core/wire.js';
import type { LayoutVersion } from '../core/wire-layout.js';
import { compareLayout, turnDegrees } from './layout-diff.js';

const L = { x: 0, y: 0, rotation: 0, width: 2, depth: 2, height: 1 };
const now: WorldObject[] = [
  { id: 'a', name: 'A', kind: 'machine', model: 'm', layout: { ...L, z: 0 } },
  { id: 'b', name: 'B', kind: 'machine', model: 'm', layout: { ...L, z: 0, x: 10, rotation: 350 } },
  { id: 'c', name: 'C', kind: 'buffer', model: 'm', layout: { ...L, z: 0 } },
];

function version(objects: LayoutVersion['objects']): LayoutVersion {
  return {
    id: 'v1',
    name: 'v',
    draft: 'd',
    createdBy: 'x',
    createdAt: '2026-01-01T00:00:00Z',
    changes: 0,
    objects,
  };
}

describe('layout comparison', () => {
  it('turns take the short way round', () => {
    expect(turnDegrees(350, 10)).toBe(20);
    expect(turnDegrees(10, 350)).toBe(-20);
    expect(turnDegrees(0, 180)).toBe(180);
    expect(turnDegrees(90, 90)).toBe(0);
  });

  it('reports moves with distances, turns, resizes, additions, removals and totals', () => {
    const result = compareLayout(
      version([
        { id: 'a', name: 'A', kind: 'machine', change: 'changed', layout: { ...L, x: 3, y: 4, width: 3 } },
        { id: 'b', name: 'B', kind: 'machine', change: 'changed', layout: { ...L, x: 10, rotation: 20 } },
        { id: 'c', name: 'C', kind: 'buffer', change: 'removed', layout: L },
        { id: 'draft:1', name: 'New', kind: 'robot', change: 'added', layout: L },
        { id: 'gone', name: 'Gone', kind: 'robot', change: 'changed', layout: L },
      ]),
      now,
    );
    expect(result.moved).toEqual([
      { id: 'a', name: 'A', from: { x: 0, y: 0 }, to: { x: 3, y: 4 }, distance: 5 },
    ]);
    expect(result.rotated).toEqual([{ id: 'b', name: 'B', from: 350, to: 20, degrees: 30 }]);
    expect(result.resized).toEqual([
      { id: 'a', name: 'A', from: { width: 2, depth: 2, height: 1 }, to: { width: 3, depth: 2, height: 1 } },
    ]);
    expect(result.removed).toEqual([{ id: 'c', name: 'C' }]);
    expect(result.added).toEqual([{ id: 'draft:1', name: 'New', kind: 'robot' }]);
    expect(result.missing).toEqual(['gone']);
    expect(result.totals).toEqual({
      moved: 1,
      rotated: 1,
      resized: 1,
      added: 1,
      removed: 1,
      changed: 4,
      distance: 5,
    });
  });

  it('a version equal to the plant as it is now differs in nothing', () => {
    const result = compareLayout(
      version([{ id: 'a', name: 'A', kind: 'machine', change: 'changed', layout: { ...L, x: 0.0001 } }]),
      now,
    );
    expect(result.totals.changed).toBe(0);
  });
});
