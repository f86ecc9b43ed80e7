// A saved layout version compared with the plant as it is now: what moved how far, what turned how
// many degrees, what changed size, what is added or removed.
import type { WorldObject } from '../core/wire.js';
import type { LayoutComparison, LayoutVersion } from '../core/wire-layout.js';
import { layoutOf } from './layout-draft.js';

/** Below these, a difference is rounding, not a design change. */
const SAME_METRES = 0.001;
const SAME_DEGREES = 0.01;

/** The signed turn from `from` to `to`, in (-180, 180]. */
export function turnDegrees(from: number, to: number): number {
  let d = (to - from) % 360;
  if (d <= -180) d += 360;
  if (d > 180) d -= 360;
  return d;
}

const round = (n: number, places = 3): number => Math.round(n * 10 ** places) / 10 ** places;

export function compareLayout(version: LayoutVersion, current: readonly WorldObject[]): LayoutComparison {
  const byId = new Map(current.map((o) => [o.id, o]));
  const moved: Array<LayoutComparison['moved'][number]> = [];
  const rotated: Array<LayoutComparison['rotated'][number]> = [];
  const resized: Array<LayoutComparison['resized'][number]> = [];
  const added: Array<LayoutComparison['added'][number]> = [];
  const removed: Array<LayoutComparison['removed'][number]> = [];
  const missing: string[] = [];
  const changed = new Set<string>();

  for (const object of version.objects) {
    if (object.change === 'added') {
      added.push({ id: object.id, name: object.name, kind: object.kind });
      changed.add(object.id);
      continue;
    }
    const now = byId.get(object.id);
    const from = now && layoutOf(now);
    if (!now || !from) {
      missing.push(object.id);
      continue;
    }
    if (object.change === 'removed') {
      removed.push({ id: object.id, name: now.name });
      changed.add(object.id);
      continue;
    }
    const to = object.layout;
    const distance = Math.hypot(to.x - from.x, to.y - from.y);
    if (distance > SAME_METRES) {
      moved.push({
        id: object.id,
        name: now.name,
        from: { x: from.x, y: from.y },
        to: { x: to.x, y: to.y },
        distance: round(distance),
      });
      changed.add(object.id);
    }
    const degrees = turnDegrees(from.rotation, to.rotation);
    if (Math.abs(degrees) > SAME_DEGREES) {
      rotated.push({
        id: object.id,
        name: now.name,
        from: from.rotation,
        to: to.rotation,
        degrees: round(degrees, 2),
      });
      changed.add(object.id);
    }
    const size = (l: typeof to): { width: number; depth: number; height: number } => ({
      width: l.width,
      depth: l.depth,
      height: l.height,
    });
    if (
      Math.abs(to.width - from.width) > SAME_METRES ||
      Math.abs(to.depth - from.depth) > SAME_METRES ||
      Math.abs(to.height - from.height) > SAME_METRES
    ) {
      resized.push({ id: object.id, name: now.name, from: size(from), to: size(to) });
      changed.add(object.id);
    }
  }
  return {
    version: version.id,
    moved,
    rotated,
    resized,
    added,
    removed,
    missing,
    totals: {
      moved: moved.length,
      rotated: rotated.length,
      resized: resized.length,
      added: added.length,
      removed: removed.length,
      changed: changed.size,
      distance: round(moved.reduce((sum, m) => sum + m.distance, 0)),
    },
  };
}
