// What the models feature shows tests and benchmarks on window.__imverse.models (no DOM types: Node imports it).
export interface ModelsHook {
  /** The feature is installed and usable (bindings loaded; assets may still be loading). */
  ready: boolean;
  /** Bindings read from the server. */
  bindings: number;
  /** Assets drawn: twins using each and its instanced meshes (one per mesh primitive, one draw call each). */
  drawn: Record<string, { twins: number; meshes: number }>;
  /** Assets that failed to load, with why: their twins keep the procedural shape. */
  failed: Record<string, string>;
  /** Every asset bound to a placed twin has loaded or failed. */
  settled: boolean;
  /** Position reports painted (live or replayed) for twins that move, such as AGVs. */
  moves: number;
  /** Twins being moved and where each is drawn now (plant metres). */
  moving: Record<string, { x: number; y: number; rotation: number }>;
  /** The twin a click on a custom model selected last. */
  lastPick?: string;
  /** A twin's procedural instance matrix (16 numbers, column-major), for tests that check it moved. */
  instanceMatrix(id: string): number[] | undefined;
}
