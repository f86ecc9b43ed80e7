// What the models feature shows tests and benchmarks on window.__imverse.models (no DOM types: Node imports it).
export interface ModelsHook {
  /** The feature is installed and usable. */
  ready: boolean;
}
