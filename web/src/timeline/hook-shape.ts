// What the timeline feature shows tests and benchmarks on window.__imverse.timeline (no DOM types: Node imports it).
export interface TimelineHook {
  /** The feature is installed and usable. */
  ready: boolean;
}
