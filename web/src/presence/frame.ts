// Between three.js coordinates (y up, north is −z) and the plant frame people share (x east, y north,
// z up, metres): the room speaks the plant frame so poses mean the same thing to every client.
import { Vector3 } from 'three';
import { roundPoint, type PlantPoint } from '../../../src/core/wire-presence.js';
import { plantToWorld } from '../WorldMeshes.js';

export function worldToPlant(v: Vector3): PlantPoint {
  return roundPoint([v.x, -v.z, v.y]);
}

export function toWorld(p: PlantPoint, target = new Vector3()): Vector3 {
  return plantToWorld(p[0], p[1], p[2], target);
}

/**
 * How far to move toward a goal this frame so that motion eases in about `seconds`, whatever the
 * frame rate: 1 − e^(−dt/τ). Others' cameras arrive ~10×/s; this hides the steps between.
 */
export function easeFactor(dt: number, seconds = 0.12): number {
  if (!(dt > 0)) return 0;
  return 1 - Math.exp(-dt / seconds);
}
