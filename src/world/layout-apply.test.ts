import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlant } from '../twin/plant.js';
import type { VersionObject } from '../core/wire-layout.js';
import { applyLayoutToPlant } from './layout-apply.js';

const DEMO = readFileSync(new URL('../../examples/demo-plant.yaml', import.meta.url), 'utf8');
const L = { x: 1, y: 2, rotation: 90, width: 3, depth: 4, height: 5 };

function layoutOf(text: string, id: string): unknown {
  return parsePlant(text, 'plant.yaml').twins.find((t) => t.id === id)?.properties.layout;
}

describe('applying a layout version to a plant file', () => {
  it('writes moved twins (nested ones too) and keeps the rest of the file, comments included', () => {
    const objects: VersionObject[] = [
      {
        id: '88.100.1/line-1/st-01',
        name: 'OP10',
        kind: 'station',
        change: 'changed',
        layout: { ...L, x: 40.25 },
      },
      { id: '88.100.1/nowhere', name: 'N', kind: 'station', change: 'changed', layout: L },
      { id: '88.100.1/line-1/st-02', name: 'OP20', kind: 'station', change: 'removed', layout: L },
      { id: 'draft:9', name: 'New', kind: 'robot', change: 'added', layout: L },
    ];
    const result = applyLayoutToPlant(DEMO, 'demo.yaml', objects);
    expect(result.applied).toEqual(['88.100.1/line-1/st-01']);
    expect(result.notApplied.map((n) => n.id)).toEqual([
      '88.100.1/nowhere',
      '88.100.1/line-1/st-02',
      'draft:9',
    ]);
    expect(result.notApplied[0]!.reason).toMatch(/not in demo\.yaml/);
    expect(layoutOf(result.text, '88.100.1/line-1/st-01')).toMatchObject({
      x: 40.25,
      y: 2,
      rotation: 90,
      z: 0,
    });
    expect(layoutOf(result.text, '88.100.1/line-1/st-02')).toEqual(layoutOf(DEMO, '88.100.1/line-1/st-02'));
    expect(result.text).toContain('# Imverse demo plant');
    expect(parsePlant(result.text, 'p').twins.length).toBe(parsePlant(DEMO, 'p').twins.length);
  });

  it('gives a twin without a layout one', () => {
    const text =
      'imverse: plant/v1\nprefix: "1.2"\ntwins:\n  - id: a\n    model: Station\n  - id: b\n    model: Station\n    properties: { name: B }\n';
    const result = applyLayoutToPlant(text, 'p.yaml', [
      { id: '1.2/a', name: 'a', kind: 'station', change: 'changed', layout: L },
      { id: '1.2/b', name: 'b', kind: 'station', change: 'changed', layout: L },
    ]);
    expect(layoutOf(result.text, '1.2/a')).toEqual(L);
    expect(layoutOf(result.text, '1.2/b')).toEqual(L);
  });

  it('refuses text that is not a plant file', () => {
    expect(() => applyLayoutToPlant('a: [', 'x.yaml', [])).toThrow(
      expect.objectContaining({ code: 'IMV_LAYOUT_PLANT_INVALID' }),
    );
    expect(() => applyLayoutToPlant('a: 1', 'x.yaml', [])).toThrow(
      expect.objectContaining({ code: 'IMV_LAYOUT_PLANT_INVALID' }),
    );
  });
});
