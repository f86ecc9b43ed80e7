// Controller rays in the headset: each ray shows where it points, a ring on the floor where a select
// would teleport, and a select either picks the twin under the ray or teleports to the ring.
import {
  BufferGeometry,
  Float32BufferAttribute,
  Line,
  LineBasicMaterial,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  Object3D,
  Plane,
  Raycaster,
  RingGeometry,
  Vector3,
  type InstancedMesh,
  type WebXRManager,
} from 'three';
import { KIND_STYLES } from '../kinds.js';
import type { WorldMeshes } from '../WorldMeshes.js';

/** How far a ray reaches (metres): beyond this a spot on the floor is too small to aim at. */
const REACH = 60;
const FLOOR = new Plane(new Vector3(0, 1, 0), 0);

/** What a ray points at: a twin (with how far), else a floor spot in world coordinates. */
export interface Aim {
  readonly twin?: string;
  readonly floor?: Vector3;
  readonly distance: number;
}

export class XrPointer {
  readonly group = new Object3D();
  private readonly controllers: Object3D[] = [];
  private readonly markers: Mesh[] = [];
  private readonly raycaster = new Raycaster();
  private readonly rotation = new Matrix4();
  /** The aim of each controller, refreshed each frame. */
  private readonly aims: Array<Aim | undefined> = [];

  constructor(
    xr: WebXRManager,
    private readonly meshes: WorldMeshes,
    /** Meshes other features add whose instances stand for twins (userData.imverseTwinIds). */
    private readonly extraMeshes: () => InstancedMesh[],
    onSelect: (aim: Aim) => void,
  ) {
    this.group.name = 'xr pointers';
    this.raycaster.far = REACH;
    for (const index of [0, 1]) {
      const controller = xr.getController(index);
      const ray = new Line(
        new BufferGeometry().setAttribute('position', new Float32BufferAttribute([0, 0, 0, 0, 0, -1], 3)),
        new LineBasicMaterial({ color: 0x9fd3ff }),
      );
      ray.name = 'ray';
      ray.scale.z = REACH;
      controller.add(ray);
      controller.addEventListener('select', () => {
        const aim = this.aims[index];
        if (aim) onSelect(aim);
      });
      this.group.add(controller);
      this.controllers.push(controller);
      const marker = new Mesh(
        new RingGeometry(0.25, 0.32, 32).rotateX(-Math.PI / 2),
        new MeshBasicMaterial({ color: 0x9fd3ff, transparent: true, opacity: 0.85, depthTest: false }),
      );
      marker.renderOrder = 9;
      marker.visible = false;
      this.group.add(marker);
      this.markers.push(marker);
    }
  }

  /** Casts each controller's ray; returns the aim of the last one that points at something. */
  update(): Aim | undefined {
    let last: Aim | undefined;
    this.controllers.forEach((controller, index) => {
      const aim = this.cast(controller);
      this.aims[index] = aim;
      const marker = this.markers[index]!;
      marker.visible = aim?.floor !== undefined;
      if (aim?.floor) marker.position.copy(aim.floor).setY(0.02);
      const ray = controller.getObjectByName('ray');
      if (ray) ray.scale.z = aim ? Math.max(aim.distance, 0.05) : REACH;
      if (aim) last = aim;
    });
    return last;
  }

  private cast(controller: Object3D): Aim | undefined {
    // A controller that is not tracked keeps its last pose; an untouched one sits at the origin.
    if (!controller.visible) return undefined;
    controller.updateMatrixWorld();
    this.rotation.identity().extractRotation(controller.matrixWorld);
    this.raycaster.ray.origin.setFromMatrixPosition(controller.matrixWorld);
    this.raycaster.ray.direction.set(0, 0, -1).applyMatrix4(this.rotation);

    // Equipment first (floors and areas are slabs: they are where one walks, not what one picks).
    let best: Aim | undefined;
    const solid = this.raycaster
      .intersectObject(this.meshes.group, true)
      .find((hit) => !KIND_STYLES[hit.object.name as keyof typeof KIND_STYLES]?.slab);
    if (solid) {
      const id = this.meshes.pick(this.raycaster);
      if (id !== undefined && !KIND_STYLES[this.meshes.kindOf(id) ?? 'other'].slab) {
        best = { twin: id, distance: solid.distance };
      }
    }
    const custom = this.raycaster
      .intersectObjects(this.extraMeshes(), false)
      .find((h) => h.instanceId !== undefined);
    if (custom && (!best || custom.distance < best.distance)) {
      const ids = custom.object.userData.imverseTwinIds as readonly string[] | undefined;
      const id = ids?.[custom.instanceId!];
      if (id !== undefined) best = { twin: id, distance: custom.distance };
    }
    if (best) return best;
    const floor = this.raycaster.ray.intersectPlane(FLOOR, new Vector3());
    if (!floor) return undefined;
    const distance = floor.distanceTo(this.raycaster.ray.origin);
    return distance <= REACH ? { floor, distance } : undefined;
  }
}
