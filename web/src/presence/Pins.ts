// Annotations in 3D: a pin in the author's colour standing on top of its machine, labelled with the note
// and who wrote it when. Several notes on one machine stand side by side. Pins are raycast before the
// machines, so a click on a pin opens its note.
import {
  ConeGeometry,
  Group,
  Mesh,
  MeshStandardMaterial,
  SphereGeometry,
  Sprite,
  Vector3,
  type Raycaster,
} from 'three';
import type { Annotation } from '../../../src/core/wire-presence.js';
import type { Stage } from '../Stage.js';
import type { WorldIndex } from '../WorldIndex.js';
import { disposeSprite, labelSprite } from './label-sprite.js';
import { noteTime, shorten } from './text.js';

const NEEDLE = new ConeGeometry(0.12, 1, 12).rotateX(Math.PI).translate(0, 0.5, 0);
const KNOB = new SphereGeometry(0.25, 16, 12).translate(0, 1.15, 0);
const SPACING = 0.9;

interface Pin {
  readonly group: Group;
  readonly annotation: Annotation;
  readonly material: MeshStandardMaterial;
}

export class Pins {
  readonly group = new Group();
  private readonly pins = new Map<string, Pin>();

  constructor(
    private readonly stage: Stage,
    private readonly index: WorldIndex,
  ) {
    this.group.name = 'presence-pins';
    stage.scene.add(this.group);
  }

  /** Draws exactly these annotations (those whose twin is in this scene); returns how many. */
  show(annotations: readonly Annotation[]): number {
    const wanted = new Set(annotations.map((a) => a.id));
    for (const [id, pin] of this.pins) {
      // A note is never edited, only added or deleted: its id says whether the pin is still right.
      if (!wanted.has(id)) this.drop(id, pin);
    }
    const perTwin = new Map<string, number>();
    for (const annotation of annotations) {
      const box = this.index.extent(annotation.twin);
      if (!box) continue;
      const slot = perTwin.get(annotation.twin) ?? 0;
      perTwin.set(annotation.twin, slot + 1);
      let pin = this.pins.get(annotation.id);
      if (!pin) {
        pin = this.make(annotation);
        this.pins.set(annotation.id, pin);
        this.group.add(pin.group);
      }
      const top = box.getCenter(new Vector3());
      pin.group.position.set(top.x + slot * SPACING, box.max.y + 0.05, top.z);
    }
    this.stage.requestRender();
    return this.pins.size;
  }

  /** The annotation whose pin (or its label) the ray hits first. */
  pick(raycaster: Raycaster): Annotation | undefined {
    for (const hit of raycaster.intersectObject(this.group, true)) {
      let object: typeof hit.object | null = hit.object;
      while (object && object.parent !== this.group) object = object.parent;
      const id = object?.userData.annotation as string | undefined;
      if (id) return this.pins.get(id)?.annotation;
    }
    return undefined;
  }

  private make(annotation: Annotation): Pin {
    const group = new Group();
    group.userData.annotation = annotation.id;
    const material = new MeshStandardMaterial({ color: annotation.author.colour, roughness: 0.4 });
    const label = labelSprite(
      [`⚑ ${shorten(annotation.text, 40)}`, `${annotation.author.name} · ${noteTime(annotation.createdAt)}`],
      annotation.author.colour,
    );
    label.position.set(0, 1.45, 0);
    group.add(new Mesh(NEEDLE, material), new Mesh(KNOB, material), label);
    return { group, annotation, material };
  }

  private drop(id: string, pin: Pin): void {
    this.group.remove(pin.group);
    pin.material.dispose();
    for (const child of pin.group.children) if (child instanceof Sprite) disposeSprite(child);
    this.pins.delete(id);
  }
}
