// Draws a layout draft over the plant: overrides move, turn and resize the plant's instances, removed
// equipment is hidden, added equipment gets meshes of its own; outline boxes mark the selection and
// the objects a compared version changes. `restore()` puts the plant back as it is.
import {
  BoxGeometry,
  EdgesGeometry,
  LineBasicMaterial,
  LineSegments,
  Matrix4,
  Mesh,
  MeshStandardMaterial,
  Object3D,
  Vector3,
  type BufferGeometry,
  type Raycaster,
} from 'three';
import type { WorldKind } from '../../../src/core/wire.js';
import { ADDED_PREFIX, type LayoutFields } from '../../../src/core/wire-layout.js';
import type { DraftDoc } from '../../../src/core/wire-draft.js';
import { KIND_STYLES } from '../kinds.js';
import { composeLayout } from '../WorldMeshes.js';
import type { WorldContext } from '../world-context.js';

export type DrawnLayout = LayoutFields & { removed?: boolean };

const position = new Vector3();
const round = (n: number): number => Math.round(n * 1000) / 1000;
const UNIT_EDGES = new EdgesGeometry(new BoxGeometry(1, 1, 1).translate(0, 0.5, 0));

export class DraftScene {
  /** Added equipment and outlines. */
  readonly group = new Object3D();
  private readonly added = new Map<string, Mesh>();
  private readonly shapes = new Map<WorldKind, BufferGeometry>();
  private readonly materials = new Map<WorldKind, MeshStandardMaterial>();
  /** Plant twins whose instance the draft has changed: restored on leaving. */
  private readonly touched = new Set<string>();
  private readonly selection = outline(0xffa726);
  private readonly highlights = new Object3D();

  constructor(
    private readonly world: WorldContext,
    private draft: DraftDoc,
  ) {
    this.group.name = 'design';
    this.group.add(this.selection, this.highlights);
    this.selection.visible = false;
    world.stage.scene.add(this.group);
  }

  use(draft: DraftDoc): void {
    this.restore();
    this.draft = draft;
    this.world.stage.scene.add(this.group);
  }

  /** The plant's own layout of a twin, z included. */
  base(id: string): (LayoutFields & { z: number }) | undefined {
    return this.world.index.byId.get(id)?.layout;
  }

  kindOf(id: string): WorldKind | undefined {
    if (id.startsWith(ADDED_PREFIX)) return this.draft.get(id)?.kind as WorldKind | undefined;
    return this.world.meshes.kindOf(id);
  }

  /** The object's layout with the draft applied; undefined when neither plant nor draft places it. */
  layout(id: string): DrawnLayout | undefined {
    const change = this.draft.get(id);
    if (id.startsWith(ADDED_PREFIX)) {
      if (!change || !isComplete(change)) return undefined;
      const { x, y, rotation, width, depth, height } = change;
      return { x, y, rotation, width, depth, height };
    }
    const base = this.base(id);
    if (!base) return undefined;
    const { x, y, rotation, width, depth, height } = { ...base, ...change };
    return { x, y, rotation, width, depth, height, ...(change?.removed ? { removed: true } : {}) };
  }

  /** Redraws objects after a change (local or remote); returns the ones drawn. */
  apply(ids: Iterable<string>): void {
    for (const id of ids) {
      if (id.startsWith(ADDED_PREFIX)) this.applyAdded(id);
      else this.applyTwin(id);
    }
    this.world.stage.requestRender();
  }

  applyAll(): void {
    this.apply([...this.draft.ids(), ...this.touched]);
  }

  /**
   * Every object the draft touches, as drawn (for the test hook): a plant twin's position is read back
   * from its instance matrix, so it shows what is on screen, not only what the draft says.
   */
  drawn(): Record<string, DrawnLayout> {
    const out: Record<string, DrawnLayout> = {};
    for (const id of this.draft.ids()) {
      const layout = this.layout(id);
      if (!layout) continue;
      const matrix = id.startsWith(ADDED_PREFIX)
        ? this.added.get(id)?.matrix
        : this.world.meshes.matrixOf(id, new Matrix4());
      if (matrix) {
        position.setFromMatrixPosition(matrix);
        out[id] = { ...layout, x: round(position.x), y: round(-position.z) };
      } else out[id] = layout;
    }
    return out;
  }

  /** The added object under the ray, if any. */
  pickAdded(raycaster: Raycaster): string | undefined {
    const hit = raycaster.intersectObjects([...this.added.values()], false)[0];
    return hit?.object.userData.id as string | undefined;
  }

  select(id: string | undefined): void {
    const layout = id === undefined ? undefined : this.layout(id);
    const kind = id === undefined ? undefined : this.kindOf(id);
    this.selection.visible = !!layout && !!kind && !layout.removed;
    if (layout && kind) place(this.selection, kind, layout);
    this.world.stage.requestRender();
  }

  /** Outlines these objects at their draft or version layouts (a comparison); none clears them. */
  highlight(objects: ReadonlyArray<{ id: string; kind: string; layout: LayoutFields }>): void {
    this.highlights.clear();
    for (const { kind, layout } of objects) {
      const box = outline(0x4fc3f7);
      place(box, (KIND_STYLES[kind as WorldKind] ? kind : 'other') as WorldKind, layout);
      this.highlights.add(box);
    }
    this.world.stage.requestRender();
  }

  /** The plant as it is: every changed instance back, added equipment gone. */
  restore(): void {
    for (const id of this.touched) {
      const base = this.base(id);
      if (base) this.world.meshes.setLayout(id, base);
      this.world.meshes.setVisible(id, true);
    }
    this.touched.clear();
    for (const mesh of this.added.values()) this.group.remove(mesh);
    this.added.clear();
    this.highlights.clear();
    this.selection.visible = false;
    this.group.removeFromParent();
    this.world.stage.requestRender();
  }

  private applyTwin(id: string): void {
    const base = this.base(id);
    if (!base || !this.world.meshes.has(id)) return;
    const layout = this.layout(id)!;
    this.touched.add(id);
    this.world.meshes.setLayout(id, { ...base, ...layout });
    this.world.meshes.setVisible(id, !layout.removed);
  }

  private applyAdded(id: string): void {
    const layout = this.layout(id);
    const kind = this.kindOf(id);
    let mesh = this.added.get(id);
    if (!layout || !kind || !KIND_STYLES[kind]) {
      if (mesh) this.group.remove(mesh);
      this.added.delete(id);
      return;
    }
    if (!mesh) {
      mesh = new Mesh(this.shape(kind), this.material(kind));
      mesh.userData.id = id;
      mesh.matrixAutoUpdate = false;
      this.added.set(id, mesh);
      this.group.add(mesh);
    }
    composeLayout(kind, { ...layout, z: 0 }, mesh.matrix);
    mesh.matrixWorldNeedsUpdate = true;
  }

  private shape(kind: WorldKind): BufferGeometry {
    let shape = this.shapes.get(kind);
    if (!shape) this.shapes.set(kind, (shape = KIND_STYLES[kind].shape()));
    return shape;
  }

  private material(kind: WorldKind): MeshStandardMaterial {
    let material = this.materials.get(kind);
    if (!material) {
      material = new MeshStandardMaterial({
        color: KIND_STYLES[kind].colour,
        roughness: 0.7,
        emissive: 0x1a2a10,
      });
      this.materials.set(kind, material);
    }
    return material;
  }
}

function outline(colour: number): LineSegments {
  const box = new LineSegments(UNIT_EDGES, new LineBasicMaterial({ color: colour, depthTest: false }));
  box.matrixAutoUpdate = false;
  box.renderOrder = 10;
  return box;
}

/** An outline a little larger than the object, so it shows around it. */
function place(box: LineSegments, kind: WorldKind, layout: LayoutFields): void {
  composeLayout(
    kind,
    { ...layout, z: 0, width: layout.width + 0.2, depth: layout.depth + 0.2, height: layout.height + 0.1 },
    box.matrix,
  );
  box.matrixWorldNeedsUpdate = true;
}

function isComplete(change: Partial<LayoutFields>): change is LayoutFields {
  return ['x', 'y', 'rotation', 'width', 'depth', 'height'].every(
    (f) => typeof change[f as keyof LayoutFields] === 'number',
  );
}
