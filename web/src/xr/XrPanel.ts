// The inspector in the headset: a panel floating in front of the viewer with the selected twin's name,
// state and a few live values, drawn on a canvas texture and redrawn when a shown value changes. Its
// labels, state names and numbers are in the page's language; twin and field names are the plant's.
import {
  CanvasTexture,
  DoubleSide,
  Mesh,
  MeshBasicMaterial,
  PlaneGeometry,
  SRGBColorSpace,
  Vector3,
} from 'three';
import type { TwinDoc } from '../../../src/core/wire.js';
import { formatValue } from '../dom.js';
import { stateName } from '../i18n/common.js';
import { format, t } from '../i18n/world-page.js';
import { STATE_COLOURS } from '../states.js';

const WIDTH_PX = 768;
const HEIGHT_PX = 480;
const WIDTH_M = 0.8;
/** How many values the panel lists besides the state: a headset is no place for a long table. */
const MAX_VALUES = 6;
/** Fields that describe the twin rather than measure it, left off the panel. */
const SKIP = new Set(['name', 'state', 'layout', 'manufacturer', 'serialNumber', 'modelNumber']);

/** A value as the panel writes it: numbers the locale's way, to the inspector's three decimals. */
function panelValue(value: unknown): string {
  return typeof value === 'number' ? format.number(value, 3) : formatValue(value);
}

export class XrPanel {
  readonly mesh: Mesh;
  private readonly canvas = document.createElement('canvas');
  private readonly texture: CanvasTexture;
  private twin: string | undefined;
  /** The twin whose state the panel shows: the twin itself, or the nearest container with a state. */
  private stateTwin: string | undefined;
  private stateLabel = t('xr.state');
  private name = '';
  private readonly values = new Map<string, unknown>();
  private dirty = false;
  /** The text lines last drawn (the test hook shows them). */
  lines: string[] = [];
  draws = 0;

  constructor() {
    this.canvas.width = WIDTH_PX;
    this.canvas.height = HEIGHT_PX;
    this.texture = new CanvasTexture(this.canvas);
    this.texture.colorSpace = SRGBColorSpace;
    const material = new MeshBasicMaterial({
      map: this.texture,
      transparent: true,
      side: DoubleSide,
      depthTest: false,
    });
    this.mesh = new Mesh(new PlaneGeometry(WIDTH_M, (WIDTH_M * HEIGHT_PX) / WIDTH_PX), material);
    this.mesh.name = 'xr inspector panel';
    // Drawn over the plant so a machine's own body never hides its panel.
    this.mesh.renderOrder = 10;
    this.mesh.visible = false;
  }

  get shown(): string | undefined {
    return this.twin;
  }

  /** Shows a twin: its document's scalar values now, live changes as they come (see `apply`). */
  show(
    id: string,
    doc: TwinDoc | undefined,
    fallbackName: string,
    state: { readonly twin: string; readonly label: string; readonly value: unknown } | undefined,
    head: Vector3,
    forward: Vector3,
  ): void {
    this.twin = id;
    this.stateTwin = state?.twin;
    this.stateLabel = state?.label ?? t('xr.state');
    this.values.clear();
    this.name = typeof doc?.name === 'string' ? doc.name : fallbackName;
    for (const [field, value] of Object.entries(doc ?? {})) {
      if (!field.startsWith('$') && (typeof value !== 'object' || value === null))
        this.values.set(field, value);
    }
    if (state) this.values.set('state', state.value);
    // 1.2 m ahead at eye height, turned to face the viewer.
    const flat = new Vector3(forward.x, 0, forward.z);
    if (flat.lengthSq() < 1e-6) flat.set(0, 0, -1);
    flat.normalize();
    this.mesh.position.copy(head).addScaledVector(flat, 1.2);
    this.mesh.lookAt(head.x, this.mesh.position.y, head.z);
    this.mesh.visible = true;
    this.dirty = true;
  }

  hide(): void {
    this.twin = undefined;
    this.mesh.visible = false;
  }

  /** Takes a twin's changed values; the panel is redrawn on the next frame if it shows them. */
  apply(twin: string, values: ReadonlyArray<readonly [string, unknown]>): void {
    if (twin !== this.twin && twin !== this.stateTwin) return;
    for (const [field, value] of values) {
      if (typeof value === 'object' && value !== null) continue;
      // A container's values other than its state are not this twin's.
      if (twin !== this.twin && field !== 'state') continue;
      if (this.values.get(field) === value) continue;
      this.values.set(field, value);
      this.dirty = true;
    }
  }

  /** Redraws the canvas if something changed; returns whether it did. */
  redraw(): boolean {
    if (!this.dirty || !this.twin) return false;
    this.dirty = false;
    const g = this.canvas.getContext('2d');
    if (!g) return false;
    const state = this.values.get('state');
    const shown = [...this.values].filter(([field]) => !SKIP.has(field)).slice(0, MAX_VALUES);
    this.lines = [
      this.name,
      this.twin,
      t('xr.value', { label: this.stateLabel, value: state === undefined ? '–' : stateName(t, state) }),
      ...shown.map(([field, value]) => t('xr.value', { label: field, value: panelValue(value) })),
    ];
    g.fillStyle = 'rgba(15, 23, 32, 0.92)';
    g.fillRect(0, 0, WIDTH_PX, HEIGHT_PX);
    g.strokeStyle = typeof state === 'string' ? (STATE_COLOURS[state] ?? '#5b8db8') : '#5b8db8';
    g.lineWidth = 8;
    g.strokeRect(4, 4, WIDTH_PX - 8, HEIGHT_PX - 8);
    g.fillStyle = '#e6edf3';
    g.font = 'bold 44px sans-serif';
    g.fillText(this.lines[0]!, 28, 64, WIDTH_PX - 56);
    g.fillStyle = '#8b9bb0';
    g.font = '26px monospace';
    g.fillText(this.lines[1]!, 28, 104, WIDTH_PX - 56);
    g.font = '34px sans-serif';
    this.lines.slice(2).forEach((line, i) => {
      g.fillStyle = i === 0 ? g.strokeStyle : '#e6edf3';
      g.fillText(line, 28, 160 + i * 44, WIDTH_PX - 56);
    });
    this.texture.needsUpdate = true;
    this.draws++;
    return true;
  }
}
