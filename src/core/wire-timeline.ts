// The time-travel reads of the 3D world (GET /api/v1/world/states and /changes), shared by the
// server and the page. Changes travel as compact rows so an hour of a busy plant stays small.

/** The fields replayed when a request names none. */
export const DEFAULT_REPLAY_FIELDS: readonly string[] = ['state'];
/** The most fields one request may name. */
export const MAX_REPLAY_FIELDS = 8;
/** The longest window one /changes request may cover (24 h); page through longer spans. */
export const MAX_CHANGES_WINDOW_MS = 86_400_000;
/** Changes per page when the request gives no limit, and the most it may ask for. */
export const DEFAULT_CHANGES_LIMIT = 5000;
export const MAX_CHANGES_LIMIT = 20_000;

/** GET /api/v1/world/states: every twin's value of each field at `at` (its latest sample by then). */
export interface WorldStatesAnswer {
  /** The moment asked for, ms since the epoch. */
  readonly at: number;
  /** The server's clock when it answered: the "now" a timeline ends at. */
  readonly now: number;
  readonly fields: readonly string[];
  /** The time of the oldest sample of these fields among the caller's twins; null with no history. */
  readonly earliest: number | null;
  /** twin → field → value; twins with no sample by `at` are left out. */
  readonly states: Readonly<Record<string, Readonly<Record<string, ChangeValue>>>>;
}

export type ChangeValue = number | string | boolean;

/** One change: [time ms, index into `twins`, index into `fields`, value]. */
export type ChangeRow = readonly [time: number, twin: number, field: number, value: ChangeValue];

/** GET /api/v1/world/changes: every change of the fields within [from, to), oldest first. */
export interface WorldChangesAnswer {
  readonly from: number;
  readonly to: number;
  readonly fields: readonly string[];
  /** The twins this page's rows name, by index. */
  readonly twins: readonly string[];
  readonly changes: readonly ChangeRow[];
  /**
   * Present when the page stopped at its limit: pass it back (same from, to and fields) for the
   * rest. `until` says up to which time this page is complete.
   */
  readonly continuation?: string;
  /** Every change before this time is in this page or earlier ones (equals `to` on the last page). */
  readonly until: number;
}

/** One change with its names resolved. */
export interface Change {
  readonly time: number;
  readonly twin: string;
  readonly field: string;
  readonly value: ChangeValue;
}

/** The rows of a page with twin and field names instead of indexes (a row naming neither is skipped). */
export function changesOf(answer: WorldChangesAnswer): Change[] {
  const out: Change[] = [];
  for (const [time, t, f, value] of answer.changes) {
    const twin = answer.twins[t];
    const field = answer.fields[f];
    if (twin === undefined || field === undefined) continue;
    out.push({ time, twin, field, value });
  }
  return out;
}
