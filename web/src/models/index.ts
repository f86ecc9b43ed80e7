// The models feature of the world page: twins that report a position (AGVs) drive to it, and twins bound
// to an uploaded glTF asset are drawn with it instead of their procedural shape.
import type { WorldObject } from '../../../src/core/wire.js';
import { bindingFor, type ModelBinding } from '../../../src/core/wire-models.js';
import { getJson } from '../api.js';
import { KIND_STYLES } from '../kinds.js';
import { warnOnce } from '../warn-once.js';
import { onViewClick } from '../picking.js';
import type { WorldContext, WorldFeature } from '../world-context.js';
import { AgvMotion } from './AgvMotion.js';
import { CustomModels } from './CustomModels.js';
import type { ModelsHook } from './hook-shape.js';

type Layout = NonNullable<WorldObject['layout']>;

const MOTION_FRAME_SECONDS = 1 / 30;

export const installModels: WorldFeature = async (world) => {
  const hook: ModelsHook = {
    ready: false,
    bindings: 0,
    drawn: {},
    failed: {},
    settled: false,
    moves: 0,
    moving: {},
    instanceMatrix: (id) => world.meshes.matrixOf(id)?.toArray(),
  };
  world.hook.models = hook;

  const layouts = new Map<string, Layout>();
  for (const object of world.scene.objects) if (object.layout) layouts.set(object.id, object.layout);
  const bindings = new Map<string, ModelBinding>();
  const models = new Map(world.scene.objects.map((o) => [o.id, o.model]));
  const custom = new CustomModels(layouts, (id) => bindingFor(id, models.get(id) ?? '', bindings));
  world.stage.scene.add(custom.group);

  // A custom model follows its twin wherever it is moved: an AGV driving, a design edit.
  world.meshes.onLayoutChanged((id, layout) => custom.place(id, layout));
  const motion = new AgvMotion(layouts, (id, layout) => world.meshes.setLayout(id, layout));
  world.addPainter((change) => {
    if (!motion.paint(change)) return;
    hook.moves = motion.moves;
    world.stage.requestRender();
  });
  // Vehicles move nearly all the time in a busy plant: easing them at 30 frames a second looks smooth at
  // their speeds and halves what a 60 Hz display would cost (the page otherwise draws only on change).
  let pending = 0;
  world.stage.addTicker((seconds) => {
    pending += seconds;
    if (pending < MOTION_FRAME_SECONDS && !world.stage.presenting) return false;
    const moving = motion.tick(pending);
    pending = 0;
    if (moving) hook.moving = motion.drawn();
    return moving;
  });
  enableCustomPicking(world, custom, hook);

  const listed = await getJson<{ bindings: ModelBinding[] }>('/api/v1/world/model-bindings');
  for (const binding of listed.bindings) bindings.set(binding.target, binding);
  hook.bindings = bindings.size;
  hook.ready = true;
  // Assets load in the background: the plant is on screen meanwhile, with procedural shapes.
  void drawAssets(world, custom, bindings, hook);
};

async function drawAssets(
  world: WorldContext,
  custom: CustomModels,
  bindings: ReadonlyMap<string, ModelBinding>,
  hook: ModelsHook,
): Promise<void> {
  const users = new Map<string, string[]>();
  for (const object of world.scene.objects) {
    if (!object.layout || !world.meshes.has(object.id)) continue;
    const binding = bindingFor(object.id, object.model, bindings);
    if (!binding) continue;
    const list = users.get(binding.model) ?? [];
    list.push(object.id);
    users.set(binding.model, list);
  }
  await Promise.all(
    [...users].map(async ([asset, twins]) => {
      try {
        const { meshes } = await custom.load(asset, twins);
        for (const id of twins) world.meshes.setVisible(id, false);
        hook.drawn = { ...hook.drawn, [asset]: { twins: twins.length, meshes } };
      } catch (error) {
        // Reported once; its twins keep their procedural shapes.
        const why = error instanceof Error ? error.message : String(error);
        warnOnce(`model ${asset} could not be loaded; its twins keep their usual shapes`, error);
        hook.failed = { ...hook.failed, [asset]: why };
      }
      world.stage.requestRender();
    }),
  );
  hook.settled = true;
}

/**
 * Clicking a custom model selects its twin. The page's own picking sees only procedural instances (the
 * hidden one is not hit, but the floor under it is); this listener runs after it and wins when a custom
 * model is nearer than any procedural equipment on the ray.
 */
function enableCustomPicking(world: WorldContext, custom: CustomModels, hook: ModelsHook): void {
  onViewClick(world.stage, (raycaster) => {
    const hit = custom.pick(raycaster);
    if (!hit) return;
    const solid = raycaster
      .intersectObject(world.meshes.group, true)
      .find((h) => !KIND_STYLES[h.object.name as keyof typeof KIND_STYLES]?.slab);
    if (solid && solid.distance < hit.distance) return;
    hook.lastPick = hit.id;
    world.select(hit.id, false);
  });
}
