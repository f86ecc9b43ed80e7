// The shape of window.__imverse, apart from the page code so Node-side tests can import it without DOM types.
import type { DesignHook } from './design/hook-shape.js';
import type { ModelsHook } from './models/hook-shape.js';
import type { PresenceHook } from './presence/hook-shape.js';
import type { TimelineHook } from './timeline/hook-shape.js';
import type { XrHook } from './xr/hook-shape.js';

export interface ImverseHook {
  /** True once the scene has been built and rendered once. */
  ready: boolean;
  /** Instances drawn per kind (objects with a layout). */
  instances: Record<string, number>;
  /** Frames rendered since the page loaded (the page renders only when something changed). */
  frames: number;
  /** WebGL is drawn on the CPU (no GPU): the page then draws without multisampling. */
  softwareRendering?: boolean;
  /** Draw calls of the last rendered frame. */
  drawCalls: number;
  /** Twins in the scene, placed or not. */
  objects: number;
  /** The live WebSocket subscription is active. */
  live: boolean;
  selected?: string;
  /** When (ms since epoch) a live event last changed the page. */
  lastLiveUpdate?: number;
  /** Why the page could not show the world, if it could not. */
  error?: string;
  /** Features that failed to start, with why; the rest of the page works without them. */
  featureErrors?: string[];
  timeline?: TimelineHook;
  presence?: PresenceHook;
  design?: DesignHook;
  xr?: XrHook;
  models?: ModelsHook;
}
