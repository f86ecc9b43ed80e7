// What the world page hands to each feature (timeline, presence, design, XR, custom models): the scene
// and its index, the 3D stage, the meshes, navigation, the inspector and the places a feature may put
// its controls. Features install themselves on it; none imports another.
import type { WorldScene } from '../../src/core/wire.js';
import type { ImverseHook } from './hook-shape.js';
import type { Inspector } from './Inspector.js';
import type { LiveChange } from './LiveFeed.js';
import type { Navigation } from './Navigation.js';
import type { Stage } from './Stage.js';
import type { WorldIndex } from './WorldIndex.js';
import type { WorldMeshes } from './WorldMeshes.js';

export interface WorldContext {
  readonly scene: WorldScene;
  readonly index: WorldIndex;
  /** The last known state of every twin (live or replayed, whichever is on screen). */
  readonly states: Map<string, unknown>;
  readonly stage: Stage;
  readonly meshes: WorldMeshes;
  readonly navigation: Navigation;
  readonly inspector: Inspector;
  readonly hook: ImverseHook;
  /** The 3D view's element: overlays go here. */
  readonly viewport: HTMLElement;
  /** A row of buttons over the top of the 3D view, one group per feature. */
  readonly toolbar: HTMLElement;
  /** A strip along the bottom of the 3D view (the timeline). */
  readonly bottomBar: HTMLElement;
  /** Under the hierarchy tree in the left pane (who is here, layout versions…). */
  readonly leftPanels: HTMLElement;
  /** Selects a twin: tree, highlight, inspector, URL; flies the camera to it unless `fly` is false. */
  select(id: string, fly?: boolean): void;
  /** Paints values of one twin: colours, tree, inspector, then every painter. Live feed and replays call it. */
  paint(change: LiveChange): void;
  /** Adds to what `paint` does (moving an AGV to its reported position…), live and in replays alike. */
  addPainter(painter: (change: LiveChange) => void): void;
  /**
   * Whether live changes are painted. A replay sets it to false while it shows the past, and back to
   * true (then calls `resync`) when it returns to live.
   */
  livePainting: boolean;
  /** Every live change, painted or not (a replay may want to know the present moves on). */
  onLive(listener: (change: LiveChange) => void): void;
  /** Re-reads every twin's state from the server and repaints: after a reconnect or a replay. */
  resync(): Promise<void>;
}

/** A feature of the world page; a failing one is reported and the rest of the page keeps working. */
export type WorldFeature = (world: WorldContext) => void | Promise<void>;
