// What the design feature shows tests and benchmarks on window.__imverse.design (no DOM types: Node imports it).
export interface DesignHook {
  /** The feature is installed and usable. */
  ready: boolean;
}
