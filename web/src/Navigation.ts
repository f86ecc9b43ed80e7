// Moving around: orbit (drag), pan (right-drag), zoom (wheel), fly with W A S D / Q E, and camera flights
// to a selected twin. Flights and keys run in the frame loop so they stay smooth and stop when done.
import { Box3, Vector3 } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { WorldScene } from '../../src/core/wire.js';
import { plantToWorld } from './WorldMeshes.js';
import type { Stage } from './Stage.js';

const FLIGHT_SECONDS = 0.8;
const FLY_KEYS: Readonly<Record<string, readonly [number, number, number]>> = {
  KeyW: [0, 0, 1],
  ArrowUp: [0, 0, 1],
  KeyS: [0, 0, -1],
  ArrowDown: [0, 0, -1],
  KeyA: [-1, 0, 0],
  ArrowLeft: [-1, 0, 0],
  KeyD: [1, 0, 0],
  ArrowRight: [1, 0, 0],
  KeyE: [0, 1, 0],
  KeyQ: [0, -1, 0],
};

interface Flight {
  readonly fromPosition: Vector3;
  readonly fromTarget: Vector3;
  readonly toPosition: Vector3;
  readonly toTarget: Vector3;
  elapsed: number;
}

export class Navigation {
  readonly controls: OrbitControls;
  private flight: Flight | undefined;
  private readonly held = new Set<string>();

  constructor(
    private readonly stage: Stage,
    private readonly bounds: WorldScene['bounds'],
  ) {
    const { camera, renderer } = stage;
    this.controls = new OrbitControls(camera, renderer.domElement);
    this.controls.enableDamping = true;
    this.controls.screenSpacePanning = false;
    this.controls.maxPolarAngle = Math.PI * 0.49;
    this.controls.addEventListener('change', () => stage.requestRender());
    this.home();
    stage.addTicker((seconds) => this.tick(seconds));

    // Keys fly only while the 3D view has focus, so typing in the search box never moves the camera.
    const canvas = renderer.domElement;
    canvas.addEventListener('keydown', (event) => {
      if (FLY_KEYS[event.code]) {
        this.held.add(event.code);
        event.preventDefault();
      }
    });
    canvas.addEventListener('keyup', (event) => this.held.delete(event.code));
    canvas.addEventListener('blur', () => this.held.clear());
    canvas.addEventListener('pointerdown', () => canvas.focus());
  }

  /** The whole plant from the south-east, a little above. */
  home(animate = false): void {
    const { minX, minY, maxX, maxY } = this.bounds;
    const box = new Box3(plantToWorld(minX, maxY, 0), plantToWorld(maxX, minY, 4));
    this.frame(box, animate, 0.9);
  }

  /** Flies so that this box (world coordinates) fills the view; a margin above 1 keeps its surroundings in sight. */
  frame(box: Box3, animate = true, margin = 1.8): void {
    const centre = box.getCenter(new Vector3());
    const radius = Math.max(box.getSize(new Vector3()).length() / 2, 2);
    // Fit the narrower of the two fields of view: the viewport is often taller than it is wide.
    const camera = this.stage.camera;
    const vertical = (camera.fov * Math.PI) / 360;
    const half = Math.min(vertical, Math.atan(Math.tan(vertical) * camera.aspect));
    const distance = (radius / Math.sin(half)) * margin;
    const direction = new Vector3(0.45, 0.75, 0.9).normalize();
    const position = centre.clone().addScaledVector(direction, distance);
    if (!animate) {
      this.stage.camera.position.copy(position);
      this.controls.target.copy(centre);
      this.controls.update();
      this.stage.requestRender();
      return;
    }
    this.flight = {
      fromPosition: this.stage.camera.position.clone(),
      fromTarget: this.controls.target.clone(),
      toPosition: position,
      toTarget: centre,
      elapsed: 0,
    };
  }

  private tick(seconds: number): boolean {
    let moving = false;
    const flight = this.flight;
    if (flight) {
      flight.elapsed += seconds;
      const t = Math.min(flight.elapsed / FLIGHT_SECONDS, 1);
      const ease = t * t * (3 - 2 * t);
      this.stage.camera.position.lerpVectors(flight.fromPosition, flight.toPosition, ease);
      this.controls.target.lerpVectors(flight.fromTarget, flight.toTarget, ease);
      if (t === 1) this.flight = undefined;
      moving = true;
    }
    if (this.held.size > 0) {
      this.fly(seconds);
      moving = true;
    }
    // With damping, update() keeps easing after the pointer lets go and says whether it moved.
    return this.controls.update() || moving;
  }

  private fly(seconds: number): void {
    const camera = this.stage.camera;
    const forward = this.controls.target.clone().sub(camera.position);
    const speed = Math.max(forward.length(), 5) * 0.8 * seconds;
    forward.y = 0;
    forward.normalize();
    const right = new Vector3().crossVectors(forward, camera.up).normalize();
    const step = new Vector3();
    for (const code of this.held) {
      const [x, y, z] = FLY_KEYS[code] ?? [0, 0, 0];
      step.addScaledVector(right, x).addScaledVector(forward, z);
      step.y += y;
    }
    step.multiplyScalar(speed);
    camera.position.add(step);
    this.controls.target.add(step);
    this.flight = undefined;
  }
}
