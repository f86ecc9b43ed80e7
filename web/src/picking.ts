// Clicking in the 3D view: a click (not the end of a drag) casts a ray into the instanced meshes.
import { Raycaster, Vector2 } from 'three';
import type { Stage } from './Stage.js';
import type { WorldMeshes } from './WorldMeshes.js';

const DRAG_PIXELS = 5;

export function enablePicking(stage: Stage, meshes: WorldMeshes, onPick: (id: string) => void): void {
  const canvas = stage.renderer.domElement;
  const raycaster = new Raycaster();
  const pointer = new Vector2();
  let down: { x: number; y: number } | undefined;
  canvas.addEventListener('pointerdown', (event) => {
    down = { x: event.clientX, y: event.clientY };
  });
  canvas.addEventListener('pointerup', (event) => {
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
    const id = meshes.pick(raycaster);
    if (id !== undefined) onPick(id);
  });
}
