// What the xr feature shows tests and benchmarks on window.__imverse.xr (no DOM types: Node imports it).
export interface XrHook {
  /** The feature is installed (support has been checked). */
  ready: boolean;
  /** Immersive modes this browser and headset offer; their buttons are shown. */
  supported: { vr: boolean; ar: boolean };
  /** A session is presenting. */
  presenting: boolean;
  mode?: 'immersive-vr' | 'immersive-ar';
  /** Sessions started since the page loaded. */
  sessions: number;
  /** Frames drawn in the headset during the current (or last) session. */
  frames: number;
  /** Teleports done, and where the viewer stands now (plant metres: x east, y north). */
  teleports: number;
  standing?: { x: number; y: number };
  /** What a controller ray points at: a twin, or a floor spot to teleport to (plant metres). */
  aim?: { twin?: string; floor?: { x: number; y: number } };
  /** The twin shown on the 3D inspector panel, the lines drawn on it, and how often it was redrawn. */
  panelTwin?: string;
  panelLines: string[];
  panelDraws: number;
  /** Why entering XR failed, if it did. */
  error?: string;
}
