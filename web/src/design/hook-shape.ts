// What the design feature shows tests and benchmarks on window.__imverse.design (no DOM types: Node imports it).
export interface DesignHook {
  /** The feature is installed and usable. */
  ready: boolean;
  /** Design mode is on. */
  active: boolean;
  /** The open draft (collaboration room layout.<draft>). */
  draft?: string;
  /** Connected to the draft's room and holding its current document. */
  synced: boolean;
  /** This person may edit drafts (GET /api/v1/world/me canCollaborate). */
  canEdit: boolean;
  /** Objects the draft changes, removes or adds. */
  changes: number;
  /** The object being edited (a twin id, or draft:<uuid> for added equipment). */
  selected?: string;
  /** Where the middle of the selected object is on screen (page CSS pixels), e.g. to drag it. */
  readonly selectedScreen?: { x: number; y: number };
  /** Names of the other people in the draft. */
  people: string[];
  /** The last change someone else made, as applied to the scene. */
  lastRemoteChange?: { ids: string[]; at: number };
  /** Each object the draft touches, as drawn now: x, y (metres), rotation (degrees), sizes; removed ones flagged. */
  layouts: Record<
    string,
    {
      x: number;
      y: number;
      rotation: number;
      width: number;
      depth: number;
      height: number;
      removed?: boolean;
    }
  >;
  /** Saved versions the panel lists (names). */
  versions: string[];
  /** Totals of the last comparison shown. */
  comparison?: {
    version: string;
    moved: number;
    rotated: number;
    added: number;
    removed: number;
    distance: number;
  };
  /** The last study started from a version, and its status as last polled. */
  study?: { id: string; status: string };
}
