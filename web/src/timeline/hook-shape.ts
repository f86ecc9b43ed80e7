// What the timeline feature shows tests and benchmarks on window.__imverse.timeline (no DOM types: Node imports it).
export interface TimelineHook {
  /** The feature is installed and usable. */
  ready: boolean;
  /** The strip is open. */
  open: boolean;
  /** `live`: the page paints the present; `replay`: it shows the past at `time`. */
  mode: 'live' | 'replay';
  /** The moment on screen in a replay (ms since the epoch); the present when live. */
  time: number;
  /** Replay speed (plant seconds per real second). */
  speed: number;
  playing: boolean;
  /** Where history starts and ends (now), ms; null until the strip first loaded them. */
  start: number | null;
  end: number | null;
  /** Twins painted from the state at the last scrubbed moment. */
  statesPainted: number;
  /** Changes painted by playback since the last scrub. */
  changesPainted: number;
  /** Changes requests made since the last scrub (playback loads ahead in chunks, not per frame). */
  requests: number;
  /** Why the last history read failed, if it did. */
  error?: string;
}
