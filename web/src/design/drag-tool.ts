// Dragging equipment across the floor in design mode: a press on the selected object starts the drag
// (orbiting is paused until release), the object follows the pointer on the floor plane.
import { Plane, Raycaster, Vector2, Vector3 } from 'three';
import type { WorldContext } from '../world-context.js';

export interface DragTarget {
  /** The object under the ray that may be dragged now, if any. */
  pick(raycaster: Raycaster): string | undefined;
  /** Where it stands (plant metres). */
  position(id: string): { x: number; y: number } | undefined;
  move(id: string, x: number, y: number): void;
}

const FLOOR = new Plane(new Vector3(0, 1, 0), 0);

export function enableDrag(world: WorldContext, target: DragTarget): () => void {
  const canvas = world.stage.renderer.domElement;
  const raycaster = new Raycaster();
  const pointer = new Vector2();
  const hit = new Vector3();
  let drag: { id: string; dx: number; dy: number; pointer: number } | undefined;

  const cast = (event: PointerEvent): Raycaster => {
    const rect = canvas.getBoundingClientRect();
    pointer.set(
      ((event.clientX - rect.left) / rect.width) * 2 - 1,
      -((event.clientY - rect.top) / rect.height) * 2 + 1,
    );
    raycaster.setFromCamera(pointer, world.stage.camera);
    return raycaster;
  };
  /** The floor point under the pointer, in plant metres (x east, y north). */
  const floor = (event: PointerEvent): { x: number; y: number } | undefined => {
    if (!cast(event).ray.intersectPlane(FLOOR, hit)) return undefined;
    return { x: hit.x, y: -hit.z };
  };

  // Capture phase on the viewport: runs before the orbit controls' own listener on the canvas.
  const down = (event: PointerEvent): void => {
    if (event.button !== 0 || event.target !== canvas) return;
    const id = target.pick(cast(event));
    const at = id === undefined ? undefined : target.position(id);
    const point = at && floor(event);
    if (!id || !at || !point) return;
    drag = { id, dx: at.x - point.x, dy: at.y - point.y, pointer: event.pointerId };
    world.navigation.controls.enabled = false;
    canvas.setPointerCapture(event.pointerId);
  };
  const move = (event: PointerEvent): void => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const point = floor(event);
    if (point) target.move(drag.id, point.x + drag.dx, point.y + drag.dy);
  };
  const up = (event: PointerEvent): void => {
    if (!drag || event.pointerId !== drag.pointer) return;
    drag = undefined;
    world.navigation.controls.enabled = true;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
  };
  world.viewport.addEventListener('pointerdown', down, { capture: true });
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  return () => {
    world.viewport.removeEventListener('pointerdown', down, { capture: true });
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointercancel', up);
    world.navigation.controls.enabled = true;
  };
}
