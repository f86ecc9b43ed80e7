// Twins that report where they are (AGVs: fields position.x / position.y) move to it. Reports come a few
// times a second at best, so the drawn position eases towards the last report each frame, and the
// vehicle turns to face its direction of travel.
// No DOM and no page modules here: Node unit tests import this file (test/world-agv-motion.test.ts).
import type { WorldObject } from '../../../src/core/wire.js';

/** A live or replayed change of one twin's values (the shape of the page's LiveChange). */
export interface PositionChange {
  readonly twin: string;
  readonly values: ReadonlyArray<readonly [field: string, value: unknown]>;
}

type Layout = NonNullable<WorldObject['layout']>;

/** Share of the remaining way covered per second (exponential easing): ~95 % in half a second. */
const EASE_PER_SECOND = 6;
/** Closer than this (metres, degrees) counts as arrived: the frame loop goes back to idle. */
const SETTLED_METRES = 0.002;
const SETTLED_DEGREES = 0.05;
/** A report farther than this from the drawn position (a replay jump, a reconnect) is not animated. */
const JUMP_METRES = 200;
/** Moves shorter than this do not turn the vehicle: report jitter must not spin it. */
const TURN_METRES = 0.05;

interface Motion {
  drawn: Layout;
  target: { x: number; y: number; rotation: number };
}

/** The position a change reports, if it reports one: flat fields (telemetry) or an object (twin update). */
export function reportedPosition(values: PositionChange['values']): { x: number; y: number } | undefined {
  let x: unknown;
  let y: unknown;
  for (const [field, value] of values) {
    if (field === 'position.x') x = value;
    else if (field === 'position.y') y = value;
    else if (field === 'position' && typeof value === 'object' && value !== null) {
      ({ x, y } = value as { x?: unknown; y?: unknown });
    }
  }
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
    ? { x, y }
    : undefined;
}

/** The shortest turn from `from` to `to`, in degrees (-180…180]. */
export function turn(from: number, to: number): number {
  const d = ((((to - from) % 360) + 540) % 360) - 180;
  return d === -180 ? 180 : d;
}

export class AgvMotion {
  private readonly motions = new Map<string, Motion>();
  /** Reports painted so far (the test hook shows it). */
  moves = 0;

  constructor(
    private readonly layouts: ReadonlyMap<string, Layout>,
    private readonly place: (id: string, layout: Layout) => void,
  ) {}

  /** A painter: takes a change's reported position as the twin's new target. Returns whether it moved one. */
  paint(change: PositionChange): boolean {
    const at = reportedPosition(change.values);
    const base = this.layouts.get(change.twin);
    if (!at || !base) return false;
    let motion = this.motions.get(change.twin);
    if (!motion) {
      motion = { drawn: { ...base }, target: { x: base.x, y: base.y, rotation: base.rotation } };
      this.motions.set(change.twin, motion);
    }
    const from = motion.target;
    const dx = at.x - from.x;
    const dy = at.y - from.y;
    // A vehicle drives along its long side: at rotation 0 that is x (width) or y (depth), whichever is longer.
    const forward = base.depth > base.width ? 90 : 0;
    const rotation =
      Math.hypot(dx, dy) >= TURN_METRES ? (Math.atan2(dy, dx) * 180) / Math.PI - forward : from.rotation;
    motion.target = { x: at.x, y: at.y, rotation };
    if (Math.hypot(at.x - motion.drawn.x, at.y - motion.drawn.y) > JUMP_METRES) {
      motion.drawn = { ...motion.drawn, ...motion.target };
      this.place(change.twin, motion.drawn);
    }
    this.moves++;
    return true;
  }

  /** A frame ticker: eases every moving twin towards its target; true while any still moves. */
  tick(seconds: number): boolean {
    const share = 1 - Math.exp(-EASE_PER_SECOND * seconds);
    let moving = false;
    for (const [id, motion] of this.motions) {
      const { drawn, target } = motion;
      const dx = target.x - drawn.x;
      const dy = target.y - drawn.y;
      const dr = turn(drawn.rotation, target.rotation);
      if (Math.hypot(dx, dy) < SETTLED_METRES && Math.abs(dr) < SETTLED_DEGREES) {
        if (drawn.x === target.x && drawn.y === target.y && drawn.rotation === target.rotation) continue;
        motion.drawn = { ...drawn, ...target };
        moving = true; // this last step still has to be drawn
      } else {
        motion.drawn = {
          ...drawn,
          x: drawn.x + dx * share,
          y: drawn.y + dy * share,
          rotation: turn(0, drawn.rotation + dr * share),
        };
        moving = true;
      }
      this.place(id, motion.drawn);
    }
    return moving;
  }

  /** Where each moving twin is drawn now. */
  drawn(): Record<string, { x: number; y: number; rotation: number }> {
    const out: Record<string, { x: number; y: number; rotation: number }> = {};
    for (const [id, { drawn }] of this.motions)
      out[id] = { x: drawn.x, y: drawn.y, rotation: drawn.rotation };
    return out;
  }
}
