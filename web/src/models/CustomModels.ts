// Uploaded glTF assets drawn in place of twins' procedural shapes. Each asset is drawn instanced: one
// InstancedMesh per mesh primitive, shared by every twin using the asset, so a hundred AGVs with a
// two-part model cost two draw calls. The procedural instance is hidden, not removed, so a model that
// fails to load simply leaves it showing.
import {
  Box3,
  InstancedMesh,
  Matrix4,
  Mesh,
  Object3D,
  Quaternion,
  Vector3,
  type BufferGeometry,
  type Material,
  type Raycaster,
} from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { WorldObject } from '../../../src/core/wire.js';
import type { ModelBinding } from '../../../src/core/wire-models.js';
import { plantToWorld } from '../WorldMeshes.js';

type Layout = NonNullable<WorldObject['layout']>;

/** One primitive of an asset: its geometry and material, and where it sits in the asset. */
interface Part {
  readonly geometry: BufferGeometry;
  readonly material: Material | Material[];
  readonly local: Matrix4;
}

/** An asset on screen: its instanced meshes and which twin each instance is. */
interface Drawn {
  readonly meshes: InstancedMesh[];
  readonly twins: string[];
  /** Asset units → unit-free "standing at the origin" frame: its base centre moved to the origin. */
  readonly base: Matrix4;
  /** The asset's size in its own units (x, y up, z). */
  readonly size: Vector3;
}

const UP = new Vector3(0, 1, 0);

/** Fetches an asset with the session cookie, and reads its problem+json when refused. */
async function fetchAsset(name: string): Promise<ArrayBuffer> {
  const res = await fetch(`/api/v1/world/models/${encodeURIComponent(name)}`, { credentials: 'same-origin' });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new Error(`${problem.code ?? `HTTP ${res.status}`}: ${problem.detail ?? res.statusText}`);
  }
  return res.arrayBuffer();
}

/** The primitives of a loaded glTF scene, each with its transform relative to the scene root. */
function partsOf(root: Object3D): Part[] {
  root.updateMatrixWorld(true);
  const parts: Part[] = [];
  root.traverse((object) => {
    if (!(object instanceof Mesh)) return;
    const geometry = object.geometry as BufferGeometry;
    // Lit materials need normals; hand-made or exported-without-normals assets get flat-ish ones.
    if (!geometry.getAttribute('normal')) geometry.computeVertexNormals();
    parts.push({
      geometry,
      material: object.material as Material | Material[],
      local: object.matrixWorld.clone(),
    });
  });
  return parts;
}

export class CustomModels {
  readonly group = new Object3D();
  private readonly drawn = new Map<string, Drawn>();
  /** Twin → its asset and instance slot, for moving it. */
  private readonly slots = new Map<string, { asset: string; index: number }>();
  private readonly matrix = new Matrix4();

  constructor(
    private readonly layouts: ReadonlyMap<string, Layout>,
    private readonly bindingOf: (id: string) => ModelBinding | undefined,
  ) {
    this.group.name = 'custom models';
  }

  /** Loads one asset and draws it for `twins`; throws (drawing nothing) if it cannot be loaded. */
  async load(asset: string, twins: readonly string[]): Promise<{ meshes: number }> {
    const gltf = await new GLTFLoader().parseAsync(await fetchAsset(asset), '');
    const parts = partsOf(gltf.scene);
    if (parts.length === 0) throw new Error('the asset has no meshes to draw');
    const box = new Box3().setFromObject(gltf.scene);
    if (box.isEmpty()) throw new Error('the asset has no extent');
    const size = box.getSize(new Vector3());
    const base = new Matrix4().makeTranslation(
      -(box.min.x + box.max.x) / 2,
      -box.min.y,
      -(box.min.z + box.max.z) / 2,
    );
    const meshes = parts.map((part, i) => {
      const mesh = new InstancedMesh(part.geometry, part.material, twins.length);
      mesh.name = `${asset}#${i}`;
      // Lets other features (XR selection) map a hit instance to its twin without importing this module.
      mesh.userData.imverseTwinIds = twins;
      mesh.userData.imversePart = part.local;
      this.group.add(mesh);
      return mesh;
    });
    const drawn: Drawn = { meshes, twins: [...twins], base, size };
    this.drawn.set(asset, drawn);
    twins.forEach((id, index) => {
      this.slots.set(id, { asset, index });
      const layout = this.layouts.get(id);
      if (layout) this.place(id, layout);
    });
    for (const mesh of meshes) mesh.computeBoundingSphere();
    return { meshes: meshes.length };
  }

  /** Whether a twin is drawn by an asset. */
  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Moves a twin's custom model to a layout (an AGV driving); false if the twin has none. */
  place(id: string, layout: Layout): boolean {
    const slot = this.slots.get(id);
    const drawn = slot && this.drawn.get(slot.asset);
    if (!slot || !drawn) return false;
    const twin = this.twinMatrix(layout, this.bindingOf(id), drawn);
    for (const mesh of drawn.meshes) {
      mesh.setMatrixAt(slot.index, this.matrix.multiplyMatrices(twin, mesh.userData.imversePart as Matrix4));
      mesh.instanceMatrix.needsUpdate = true;
      mesh.computeBoundingSphere();
    }
    return true;
  }

  /** The twin under the ray among the custom models, and how far away it is. */
  pick(raycaster: Raycaster): { id: string; distance: number } | undefined {
    const meshes = [...this.drawn.values()].flatMap((d) => d.meshes);
    const hit = raycaster.intersectObjects(meshes, false).find((h) => h.instanceId !== undefined);
    if (!hit) return undefined;
    const id = (hit.object.userData.imverseTwinIds as string[])[hit.instanceId!];
    return id === undefined ? undefined : { id, distance: hit.distance };
  }

  /**
   * Plant layout → world: stand the asset's base centre at the twin's position, turn it with the twin
   * (plus the binding's rotation), and scale it by the binding's scale or, keeping proportions, to fit
   * the twin's layout box.
   */
  private twinMatrix(layout: Layout, binding: ModelBinding | undefined, drawn: Drawn): Matrix4 {
    const offset = binding?.offset ?? { x: 0, y: 0, z: 0 };
    const position = plantToWorld(layout.x + offset.x, layout.y + offset.y, layout.z + offset.z);
    const degrees = layout.rotation + (binding?.rotation ?? 0);
    const rotation = new Quaternion().setFromAxisAngle(UP, (degrees * Math.PI) / 180);
    const { x, y, z } = drawn.size;
    const fit = Math.min(
      x > 0 ? layout.width / x : Infinity,
      y > 0 ? layout.height / y : Infinity,
      z > 0 ? layout.depth / z : Infinity,
    );
    const s = binding?.scale ?? (Number.isFinite(fit) && fit > 0 ? fit : 1);
    return new Matrix4().compose(position, rotation, new Vector3(s, s, s)).multiply(drawn.base);
  }
}
