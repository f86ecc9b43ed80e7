// The shape of window.__imverse, apart from the page code so Node-side tests can import it without DOM types.
export interface ImverseHook {
  /** True once the scene has been built and rendered once. */
  ready: boolean;
  /** Instances drawn per kind (objects with a layout). */
  instances: Record<string, number>;
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
}
