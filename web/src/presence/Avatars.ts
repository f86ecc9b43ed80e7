// Other people in the 3D view: a head and body in their colour where their camera is, a cone showing
// where they look, and a name + role label that keeps its size on screen. Poses arrive ~10×/s; the
// frame loop eases each avatar toward its latest pose so motion looks continuous.
import {
  BufferGeometry,
  ConeGeometry,
  Group,
  Line,
  LineBasicMaterial,
  Mesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  SphereGeometry,
  Vector3,
  type Sprite,
} from 'three';
import type { PlantPoint, PresenceState } from '../../../src/core/wire-presence.js';
import type { Stage } from '../Stage.js';
import { easeFactor, toWorld, worldToPlant } from './frame.js';
import { disposeSprite, labelSprite } from './label-sprite.js';

const HEAD = new SphereGeometry(0.28, 20, 14);
const BODY = new ConeGeometry(0.3, 0.9, 16).translate(0, -0.75, 0);
// A cone whose tip is at the eye and which opens along +z, the way Object3D.lookAt turns it.
const VIEW = new ConeGeometry(0.35, 1.2, 16, 1, true).rotateX(-Math.PI / 2).translate(0, 0, 0.6);
const SIGHT = new BufferGeometry().setFromPoints([new Vector3(0, 0, 0), new Vector3(0, 0, 4)]);
/** Avatars grow with distance so a person stays visible from across the plant; metres per unit of scale. */
const METRES_PER_SCALE = 30;
const MAX_SCALE = 15;
const SETTLED = 0.002;

class Avatar {
  readonly group = new Group();
  private readonly body = new Group();
  private readonly eye = new Group();
  private label: Sprite | undefined;
  private labelText = '';
  readonly position = new Vector3();
  readonly target = new Vector3();
  private readonly goalPosition = new Vector3();
  private readonly goalTarget = new Vector3();
  /** Whether a camera pose has arrived: until then there is nowhere to draw the person. */
  placed = false;
  private readonly materials: Array<MeshStandardMaterial | MeshBasicMaterial | LineBasicMaterial>;

  constructor(colour: string) {
    const skin = new MeshStandardMaterial({ color: colour, roughness: 0.5 });
    const cone = new MeshBasicMaterial({
      color: colour,
      transparent: true,
      opacity: 0.35,
      depthWrite: false,
    });
    const line = new LineBasicMaterial({ color: colour });
    this.materials = [skin, cone, line];
    this.body.add(new Mesh(HEAD, skin), new Mesh(BODY, skin), this.eye);
    this.eye.add(new Mesh(VIEW, cone), new Line(SIGHT, line));
    this.group.add(this.body);
    this.group.name = 'avatar';
  }

  update(state: PresenceState): void {
    const text = `${state.user.name} · ${state.user.role}`;
    if (text !== this.labelText) {
      if (this.label) {
        this.group.remove(this.label);
        disposeSprite(this.label);
      }
      this.label = labelSprite([text], state.user.colour);
      this.group.add(this.label);
      this.labelText = text;
    }
    for (const material of this.materials) material.color.set(state.user.colour);
    if (!state.camera) return;
    toWorld(state.camera.position, this.goalPosition);
    toWorld(state.camera.target, this.goalTarget);
    if (!this.placed) {
      this.position.copy(this.goalPosition);
      this.target.copy(this.goalTarget);
      this.placed = true;
    }
  }

  get visible(): boolean {
    return this.placed && this.group.visible;
  }

  /** Moves toward the goal; returns whether anything visibly changed. */
  tick(seconds: number, viewer: Vector3): boolean {
    if (!this.placed) return false;
    const k = easeFactor(seconds);
    const moving =
      this.position.distanceTo(this.goalPosition) > SETTLED ||
      this.target.distanceTo(this.goalTarget) > SETTLED;
    if (moving) {
      this.position.lerp(this.goalPosition, k);
      this.target.lerp(this.goalTarget, k);
    }
    const scale = Math.min(Math.max(this.position.distanceTo(viewer) / METRES_PER_SCALE, 1), MAX_SCALE);
    const rescaled = Math.abs(this.body.scale.x - scale) > 0.01;
    this.body.scale.setScalar(scale);
    this.group.position.copy(this.position);
    if (this.label) this.label.position.set(0, 0.45 * scale, 0);
    this.group.updateMatrixWorld();
    if (this.position.distanceToSquared(this.target) > 1e-6) this.eye.lookAt(this.target);
    return moving || rescaled;
  }

  dispose(): void {
    for (const material of this.materials) material.dispose();
    if (this.label) disposeSprite(this.label);
  }
}

export class Avatars {
  readonly group = new Group();
  private readonly avatars = new Map<number, Avatar>();
  /** A person whose view we follow: their avatar would sit in our eye, so it is hidden. */
  hidden: number | undefined;

  constructor(private readonly stage: Stage) {
    this.group.name = 'presence-avatars';
    stage.scene.add(this.group);
    stage.addTicker((seconds) => this.tick(seconds));
  }

  show(people: ReadonlyMap<number, PresenceState>): void {
    for (const [id, avatar] of this.avatars) {
      if (people.has(id)) continue;
      this.group.remove(avatar.group);
      avatar.dispose();
      this.avatars.delete(id);
    }
    for (const [id, state] of people) {
      let avatar = this.avatars.get(id);
      if (!avatar) {
        avatar = new Avatar(state.user.colour);
        this.avatars.set(id, avatar);
        this.group.add(avatar.group);
      }
      avatar.update(state);
    }
    this.stage.requestRender();
  }

  /** Where each avatar is drawn now (plant frame), for the page hook. */
  drawn(): Map<number, PlantPoint> {
    const at = new Map<number, PlantPoint>();
    for (const [id, avatar] of this.avatars) if (avatar.visible) at.set(id, worldToPlant(avatar.position));
    return at;
  }

  private tick(seconds: number): boolean {
    let changed = false;
    const viewer = this.stage.camera.position;
    for (const [id, avatar] of this.avatars) {
      const wanted = avatar.placed && id !== this.hidden;
      if (avatar.group.visible !== wanted) changed = true;
      avatar.group.visible = wanted;
      if (avatar.tick(seconds, viewer)) changed = true;
    }
    if (changed) this.onMoved();
    return changed;
  }

  /** Called after a frame moved an avatar. */
  onMoved: () => void = () => {};
}
