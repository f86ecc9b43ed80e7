// What the presence feature shows tests and benchmarks on window.__imverse.presence (no DOM types: Node imports it).
export interface PresenceHook {
  /** The feature is installed and usable. */
  ready: boolean;
}
