// The placed twins as one InstancedMesh per kind: one draw call per kind however large the plant is.
// Live state changes only rewrite an instance's colour; meshes are never rebuilt for them.
import {
  Color,
  InstancedMesh,
  Matrix4,
  MeshStandardMaterial,
  Object3D,
  Quaternion,
  Vector3,
  type Raycaster,
} from 'three';
import type { WorldKind, WorldObject } from '../../src/core/wire.js';
import { KIND_ORDER, KIND_STYLES } from './kinds.js';
import { stateColour } from './states.js';
import { warnOnce } from './warn-once.js';

interface Slot {
  readonly kind: WorldKind;
  readonly index: number;
}

const UP = new Vector3(0, 1, 0);

/** Plant frame (x east, y north, z up, metres) to three.js (y up): north is -z. */
export function plantToWorld(x: number, y: number, z: number, target = new Vector3()): Vector3 {
  return target.set(x, z, -y);
}

const finite = (n: number, fallback: number): number => (Number.isFinite(n) ? n : fallback);

type Layout = NonNullable<WorldObject['layout']>;
const position = new Vector3();
const rotation = new Quaternion();
const scale = new Vector3();
const HIDDEN = new Matrix4().makeScale(0, 0, 0);

/** The instance transform of a layout: the unit shape of the kind scaled to its size, turned about z. */
export function composeLayout(kind: WorldKind, l: Layout, target = new Matrix4()): Matrix4 {
  const style = KIND_STYLES[kind];
  const min = style.minSize ?? 0.05;
  const lift = style.slab?.lift ?? 0;
  plantToWorld(finite(l.x, 0), finite(l.y, 0), finite(l.z, 0) + lift, position);
  rotation.setFromAxisAngle(UP, (finite(l.rotation, 0) * Math.PI) / 180);
  scale.set(
    Math.max(finite(l.width, 1), min),
    style.slab ? style.slab.thickness : Math.max(finite(l.height, 1), min),
    Math.max(finite(l.depth, 1), min),
  );
  return target.compose(position, rotation, scale);
}

export class WorldMeshes {
  readonly group = new Object3D();
  private readonly meshes = new Map<WorldKind, InstancedMesh>();
  private readonly ids = new Map<WorldKind, string[]>();
  private readonly slots = new Map<string, Slot>();
  private readonly baseColours = new Map<WorldKind, Color>();
  private readonly layoutListeners: Array<(id: string, layout: Layout) => void> = [];
  /** Hidden instances and the transform each had, to show it again. */
  private readonly hidden = new Map<string, Matrix4>();

  constructor(objects: readonly WorldObject[]) {
    const byKind = new Map<WorldKind, WorldObject[]>();
    for (const object of objects) {
      if (!object.layout) continue;
      const kind = KIND_STYLES[object.kind] ? object.kind : 'other';
      let list = byKind.get(kind);
      if (!list) byKind.set(kind, (list = []));
      list.push(object);
    }
    const matrix = new Matrix4();
    for (const kind of KIND_ORDER) {
      const list = byKind.get(kind);
      if (!list) continue;
      const style = KIND_STYLES[kind];
      const opacity = style.slab?.opacity ?? 1;
      const material = new MeshStandardMaterial({
        color: 0xffffff,
        roughness: 0.78,
        metalness: 0.08,
        transparent: opacity < 1,
        opacity,
        depthWrite: opacity === 1,
      });
      const mesh = new InstancedMesh(style.shape(), material, list.length);
      mesh.name = kind;
      // Translucent floors are drawn before equipment so they never hide it.
      mesh.renderOrder = style.slab ? -1 : 0;
      const base = new Color(style.colour);
      this.baseColours.set(kind, base);
      const ids: string[] = [];
      list.forEach((object, index) => {
        this.slots.set(object.id, { kind, index });
        ids.push(object.id);
        mesh.setMatrixAt(index, composeLayout(kind, object.layout!, matrix));
        mesh.setColorAt(index, stateColour(object.state) ?? base);
      });
      mesh.computeBoundingSphere();
      this.meshes.set(kind, mesh);
      this.ids.set(kind, ids);
      this.group.add(mesh);
    }
  }

  /** How many instances each kind has (the test hook reports it). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [kind, mesh] of this.meshes) counts[kind] = mesh.count;
    return counts;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Repaints one instance for its state; returns whether anything changed on screen. */
  setState(id: string, state: unknown): boolean {
    const slot = this.slots.get(id);
    if (!slot) return false;
    const mesh = this.meshes.get(slot.kind);
    const colour = stateColour(state) ?? this.baseColours.get(slot.kind);
    if (!mesh?.instanceColor || !colour) return false;
    mesh.setColorAt(slot.index, colour);
    mesh.instanceColor.needsUpdate = true;
    return true;
  }

  /** The kind an object is drawn as, if it is placed. */
  kindOf(id: string): WorldKind | undefined {
    return this.slots.get(id)?.kind;
  }

  /**
   * Moves, turns or resizes one placed instance (a moving AGV, a design edit); returns whether it is placed.
   * The hidden state is kept: a hidden instance stays hidden until shown.
   */
  setLayout(id: string, layout: Layout): boolean {
    const slot = this.slots.get(id);
    const mesh = slot && this.meshes.get(slot.kind);
    if (!slot || !mesh) return false;
    for (const listener of this.layoutListeners) listener(id, layout);
    const matrix = composeLayout(slot.kind, layout);
    if (this.hidden.has(id)) this.hidden.set(id, matrix);
    else {
      mesh.setMatrixAt(slot.index, matrix);
      mesh.instanceMatrix.needsUpdate = true;
      mesh.computeBoundingSphere();
    }
    return true;
  }

  /** Told of every `setLayout`: what is drawn with a twin (its selection box, a custom model) follows it. */
  onLayoutChanged(listener: (id: string, layout: Layout) => void): void {
    this.layoutListeners.push(listener);
  }

  /** Hides an instance (scaled to nothing, so the draw calls stay one per kind) or shows it again. */
  setVisible(id: string, visible: boolean): boolean {
    const slot = this.slots.get(id);
    const mesh = slot && this.meshes.get(slot.kind);
    if (!slot || !mesh) return false;
    const saved = this.hidden.get(id);
    if (!visible && !saved) {
      const matrix = new Matrix4();
      mesh.getMatrixAt(slot.index, matrix);
      this.hidden.set(id, matrix);
      mesh.setMatrixAt(slot.index, HIDDEN);
    } else if (visible && saved) {
      this.hidden.delete(id);
      mesh.setMatrixAt(slot.index, saved);
    } else return true;
    mesh.instanceMatrix.needsUpdate = true;
    return true;
  }

  /** The instance's transform (unit cell → world), for the highlight box and the camera. */
  matrixOf(id: string, target = new Matrix4()): Matrix4 | undefined {
    const slot = this.slots.get(id);
    const mesh = slot && this.meshes.get(slot.kind);
    if (!slot || !mesh) return undefined;
    const saved = this.hidden.get(id);
    if (saved) return target.copy(saved);
    mesh.getMatrixAt(slot.index, target);
    return target;
  }

  /** The twin under the ray: equipment wins over the floors and areas it stands on. */
  pick(raycaster: Raycaster): string | undefined {
    const solid: InstancedMesh[] = [];
    const floors: InstancedMesh[] = [];
    for (const [kind, mesh] of this.meshes) (KIND_STYLES[kind].slab ? floors : solid).push(mesh);
    for (const layer of [solid, floors]) {
      for (const hit of raycaster.intersectObjects(layer, false)) {
        if (hit.instanceId === undefined) continue;
        const id = this.ids.get(hit.object.name as WorldKind)?.[hit.instanceId];
        if (id !== undefined) return id;
        warnOnce(`picked an instance with no twin: ${hit.object.name}#${hit.instanceId}`);
      }
    }
    return undefined;
  }
}
