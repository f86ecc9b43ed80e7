// What the xr feature shows tests and benchmarks on window.__imverse.xr (no DOM types: Node imports it).
export interface XrHook {
  /** The feature is installed and usable. */
  ready: boolean;
}
