// Clicking in the 3D view: a click (not the end of a drag) casts a ray from the camera through the
// pointer. The page's picking selects the instanced twin it hits; features add their own handlers.
import { Raycaster, Vector2 } from 'three';
import type { Stage } from './Stage.js';
import type { WorldMeshes } from './WorldMeshes.js';

/** Further than this between press and release, it was a drag (orbit, pan), not a click. */
const DRAG_PIXELS = 5;

/**
 * Calls `handle` with a ray for each click in the 3D view. Handlers run in the order they were added.
 * Returns a function that removes the handler.
 */
export function onViewClick(stage: Stage, handle: (raycaster: Raycaster) => void): () => void {
  const canvas = stage.renderer.domElement;
  const raycaster = new Raycaster();
  const pointer = new Vector2();
  let down: { x: number; y: number } | undefined;
  const onDown = (event: PointerEvent): void => {
    down = { x: event.clientX, y: event.clientY };
  };
  const onUp = (event: PointerEvent): void => {
    if (!down || event.button !== 0) return;
    const moved = Math.hypot(event.clientX - down.x, event.clientY - down.y);
    down = undefined;
    if (moved > DRAG_PIXELS) return;
    const rect = canvas.getBoundingClientRect();
    pointer.set(
      ((event.clientX - rect.left) / rect.width) * 2 - 1,
      -((event.clientY - rect.top) / rect.height) * 2 + 1,
    );
    raycaster.setFromCamera(pointer, stage.camera);
    handle(raycaster);
  };
  canvas.addEventListener('pointerdown', onDown);
  canvas.addEventListener('pointerup', onUp);
  return () => {
    canvas.removeEventListener('pointerdown', onDown);
    canvas.removeEventListener('pointerup', onUp);
  };
}

export function enablePicking(stage: Stage, meshes: WorldMeshes, onPick: (id: string) => void): void {
  onViewClick(stage, (raycaster) => {
    const id = meshes.pick(raycaster);
    if (id !== undefined) onPick(id);
  });
}
