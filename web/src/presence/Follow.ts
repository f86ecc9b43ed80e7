// Following another person's view: each frame our camera and orbit target ease toward theirs. It stops
// when asked, when they leave, or as soon as we move the camera ourselves (drag, wheel, fly keys).
import { Vector3 } from 'three';
import type { PresenceState } from '../../../src/core/wire-presence.js';
import type { Navigation } from '../Navigation.js';
import type { Stage } from '../Stage.js';
import { easeFactor, toWorld } from './frame.js';

const FLY_KEYS = /^(Key[WASDQE]|Arrow(Up|Down|Left|Right))$/;
const SETTLED = 0.002;

export class Follow {
  /** The awareness client id of the person we follow. */
  following: number | undefined;
  private readonly position = new Vector3();
  private readonly target = new Vector3();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly stage: Stage,
    private readonly navigation: Navigation,
    private readonly personOf: (id: number) => PresenceState | undefined,
  ) {
    // The controls say "start" when the person grabs them: rotate, pan or wheel.
    navigation.controls.addEventListener('start', () => this.stop());
    stage.renderer.domElement.addEventListener('keydown', (event) => {
      if (FLY_KEYS.test(event.code)) this.stop();
    });
    stage.addTicker((seconds) => this.tick(seconds));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  start(id: number): void {
    this.following = id;
    this.changed();
  }

  stop(): void {
    if (this.following === undefined) return;
    this.following = undefined;
    this.changed();
  }

  /** The followed person left or their state changed: stop if they are gone. */
  check(): void {
    if (this.following !== undefined && !this.personOf(this.following)) this.stop();
  }

  private changed(): void {
    this.stage.requestRender();
    for (const listener of this.listeners) listener();
  }

  private tick(seconds: number): boolean {
    const camera = this.following === undefined ? undefined : this.personOf(this.following)?.camera;
    if (!camera) return false;
    toWorld(camera.position, this.position);
    toWorld(camera.target, this.target);
    const controls = this.navigation.controls;
    const own = this.stage.camera.position;
    if (own.distanceTo(this.position) < SETTLED && controls.target.distanceTo(this.target) < SETTLED)
      return false;
    // Eased a little slower than avatars: being carried is less jarring than watching someone move.
    const k = easeFactor(seconds, 0.2);
    own.lerp(this.position, k);
    controls.target.lerp(this.target, k);
    controls.update();
    return true;
  }
}
