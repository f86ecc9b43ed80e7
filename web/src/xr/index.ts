// The XR feature of the world page: "Enter VR" / "Enter AR" where the browser offers immersive WebXR.
// In the headset the viewer stands at eye height in the plant, teleports with a controller ray to the
// floor, and selects a machine with the ray to see its inspector on a panel in 3D. Leaving the session
// returns to the normal view exactly as it was.
import { InstancedMesh, Vector3, type Color, type Quaternion, type Texture } from 'three';
import type { TwinDoc } from '../../../src/core/wire.js';
import { getJson, twinPath } from '../api.js';
import { element } from '../dom.js';
import type { WorldKey } from '../i18n/world.js';
import { t } from '../i18n/world-page.js';
import { warnOnce } from '../warn-once.js';
import type { WorldContext, WorldFeature } from '../world-context.js';
import type { XrHook } from './hook-shape.js';
import { XrPanel } from './XrPanel.js';
import { XrPointer, type Aim } from './XrPointer.js';

type Mode = 'immersive-vr' | 'immersive-ar';

/** Where a session starts when no twin is selected: this far south of the plant, facing north into it. */
const EDGE_METRES = 3;
/** With a twin selected, the viewer starts this far in front (south) of it. */
const FRONT_METRES = 2;

async function supports(mode: Mode): Promise<boolean> {
  try {
    return (await navigator.xr?.isSessionSupported(mode)) ?? false;
  } catch {
    return false; // blocked by a permissions policy, or no XR runtime at all
  }
}

export const installXr: WorldFeature = async (world) => {
  const hook: XrHook = {
    ready: false,
    supported: { vr: false, ar: false },
    presenting: false,
    sessions: 0,
    frames: 0,
    teleports: 0,
    panelLines: [],
    panelDraws: 0,
  };
  world.hook.xr = hook;
  const [vr, ar] = await Promise.all([supports('immersive-vr'), supports('immersive-ar')]);
  hook.supported = { vr, ar };
  if (!vr && !ar) {
    hook.ready = true;
    return;
  }

  const { renderer, scene, camera } = world.stage;
  renderer.xr.enabled = true;
  renderer.xr.setReferenceSpaceType('local-floor');

  const panel = new XrPanel();
  const pointer = new XrPointer(
    renderer.xr,
    world.meshes,
    () => twinMeshes(world),
    (aim) => void onSelect(aim),
  );
  scene.add(pointer.group, panel.mesh);
  world.addPainter((change) => panel.apply(change.twin, change.values));

  let session: XRSession | undefined;
  let base: XRReferenceSpace | null = null;
  let saved:
    | {
        position: Vector3;
        quaternion: Quaternion;
        fov: number;
        zoom: number;
        background: Color | Texture | null;
      }
    | undefined;

  const group = element('span', 'xr-buttons');
  const buttons = new Map<Mode, HTMLButtonElement>();
  for (const [mode, label, offered] of [
    ['immersive-vr', 'VR', vr],
    ['immersive-ar', 'AR', ar],
  ] as const) {
    if (!offered) continue;
    const button = element('button', undefined, t('xr.enter', { mode: label }));
    button.type = 'button';
    button.dataset.xr = mode;
    button.title = t(label === 'VR' ? 'xr.vr.title' : 'xr.ar.title');
    button.addEventListener('click', () => {
      if (session) void session.end();
      else void enter(mode);
    });
    buttons.set(mode, button);
    group.append(button);
  }
  world.toolbar.append(group);

  function label(): void {
    for (const [mode, button] of buttons) {
      const name = mode === 'immersive-vr' ? 'VR' : 'AR';
      button.textContent = t(hook.presenting && hook.mode === mode ? 'xr.exit' : 'xr.enter', { mode: name });
      button.setAttribute('aria-pressed', String(hook.presenting && hook.mode === mode));
      button.disabled = hook.presenting && hook.mode !== mode;
    }
  }

  async function enter(mode: Mode): Promise<void> {
    delete hook.error;
    try {
      const started = await navigator.xr!.requestSession(mode, {
        optionalFeatures: ['local-floor', 'bounded-floor', 'hand-tracking'],
      });
      saved = {
        position: camera.position.clone(),
        quaternion: camera.quaternion.clone(),
        fov: camera.fov,
        zoom: camera.zoom,
        background: scene.background as Color | Texture | null,
      };
      // In AR the real room shows through: no painted sky.
      if (mode === 'immersive-ar') scene.background = null;
      started.addEventListener('end', ended);
      await renderer.xr.setSession(started);
      session = started;
      base = renderer.xr.getReferenceSpace();
      hook.presenting = true;
      hook.mode = mode;
      hook.sessions++;
      hook.frames = 0;
      teleport(startSpot(world));
      label();
    } catch (error) {
      hook.error = `Could not start ${mode}: ${error instanceof Error ? error.message : String(error)}`;
      warnOnce(`entering ${mode} failed`, error);
      restore();
    }
  }

  function ended(): void {
    session = undefined;
    base = null;
    hook.presenting = false;
    delete hook.aim;
    panel.hide();
    delete hook.panelTwin;
    restore();
    label();
  }

  function restore(): void {
    if (!saved) return;
    // three writes the headset's pose and field of view into the page camera while presenting.
    camera.position.copy(saved.position);
    camera.quaternion.copy(saved.quaternion);
    camera.scale.set(1, 1, 1);
    camera.fov = saved.fov;
    camera.zoom = saved.zoom;
    camera.updateProjectionMatrix();
    camera.updateMatrixWorld(true);
    scene.background = saved.background;
    saved = undefined;
    world.navigation.controls.update();
    world.stage.requestRender();
  }

  /** Moves the viewer's floor origin to a world point: an offset of the session's reference space. */
  function teleport(to: Vector3): void {
    if (!base) return;
    const offset = new XRRigidTransform({ x: -to.x, y: 0, z: -to.z, w: 1 }, { x: 0, y: 0, z: 0, w: 1 });
    renderer.xr.setReferenceSpace(base.getOffsetReferenceSpace(offset));
    hook.standing = { x: to.x, y: -to.z };
  }

  async function onSelect(aim: Aim): Promise<void> {
    if (aim.floor) {
      teleport(aim.floor);
      hook.teleports++;
      return;
    }
    if (!aim.twin) return;
    const id = aim.twin;
    world.select(id, false);
    const head = new Vector3();
    const forward = new Vector3();
    const xrCamera = renderer.xr.getCamera();
    xrCamera.getWorldPosition(head);
    xrCamera.getWorldDirection(forward);
    const doc = await getJson<TwinDoc>(twinPath(id)).catch((error: unknown) => {
      warnOnce(`the XR panel could not read ${id}`, error);
      return undefined;
    });
    panel.show(id, doc, world.index.byId.get(id)?.name ?? id, stateFor(world, id), head, forward);
    hook.panelTwin = id;
  }

  world.stage.addTicker(() => {
    if (!world.stage.presenting) return false;
    hook.frames++;
    const aim = pointer.update();
    hook.aim = aim
      ? {
          ...(aim.twin ? { twin: aim.twin } : {}),
          ...(aim.floor ? { floor: { x: aim.floor.x, y: -aim.floor.z } } : {}),
        }
      : undefined;
    if (panel.redraw()) {
      hook.panelLines = panel.lines;
      hook.panelDraws = panel.draws;
    }
    return false; // a presenting stage draws every frame anyway
  });
  label();
  hook.ready = true;
};

/** Where the viewer stands on entering: in front of the selected twin, else at the plant's south edge. */
function startSpot(world: WorldContext): Vector3 {
  const selected = world.hook.selected;
  const layout = selected ? world.index.byId.get(selected)?.layout : undefined;
  if (layout) return new Vector3(layout.x, 0, -(layout.y - layout.depth / 2 - FRONT_METRES));
  const b = world.scene.bounds;
  return new Vector3((b.minX + b.maxX) / 2, 0, -(b.minY - EDGE_METRES));
}

/**
 * The state a twin's panel shows: its own, else that of the nearest container that has one (a machine
 * has no state of its own; its station does).
 */
function stateFor(
  world: WorldContext,
  id: string,
): { twin: string; label: string; value: unknown } | undefined {
  for (let at: string | undefined = id; at !== undefined; at = world.index.byId.get(at)?.parent) {
    const value = world.states.get(at);
    if (value === undefined) continue;
    const kind = world.index.byId.get(at)?.kind;
    const kindName = kind === undefined ? t('xr.container') : t(`kind.${kind}` satisfies WorldKey);
    return { twin: at, label: at === id ? t('xr.state') : t('xr.state.of', { kind: kindName }), value };
  }
  return undefined;
}

/** Instanced meshes other features drew for twins (custom glTF models), found by their marker. */
function twinMeshes(world: WorldContext): InstancedMesh[] {
  const found: InstancedMesh[] = [];
  world.stage.scene.traverse((object) => {
    if (object instanceof InstancedMesh && Array.isArray(object.userData.imverseTwinIds)) found.push(object);
  });
  return found;
}
