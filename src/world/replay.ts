// The pure part of the world's time travel: query parameters checked, pages of changes cut from
// history reads, continuations. The route (server/routes/world-history.ts) does the reading.
import { ValidationError } from '../core/errors.js';
import {
  DEFAULT_REPLAY_FIELDS,
  MAX_CHANGES_WINDOW_MS,
  MAX_REPLAY_FIELDS,
  type ChangeRow,
  type ChangeValue,
  type WorldChangesAnswer,
} from '../core/wire-timeline.js';
import type { HistoryPoint, Sample } from '../history/store.js';
import { seriesId, type SeriesKey } from '../history/store.js';

/** An ISO 8601 time or epoch milliseconds; `path` names the parameter in the error. */
export function parseReplayTime(text: string, path: string): number {
  const trimmed = text.trim();
  const ms = /^-?\d+$/.test(trimmed) ? Number(trimmed) : /^\d{4}-/.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new ValidationError(
      'IMV_TIMELINE_TIME_INVALID',
      `"${text}" is neither ISO 8601 nor epoch milliseconds`,
      { path },
    );
  }
  return ms;
}

/** The fields named in `fields=a,b` (the default when absent), deduplicated in order. */
export function parseReplayFields(text: string | undefined): string[] {
  if (text === undefined) return [...DEFAULT_REPLAY_FIELDS];
  const fields = [
    ...new Set(
      text
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== ''),
    ),
  ];
  const bad = fields.find((f) => f.includes('*') || f.startsWith('$') || f.length > 200);
  if (fields.length === 0 || fields.length > MAX_REPLAY_FIELDS || bad !== undefined) {
    throw new ValidationError(
      'IMV_TIMELINE_FIELDS_INVALID',
      bad !== undefined
        ? `"${bad}" is not a field that can be replayed`
        : `name 1 to ${MAX_REPLAY_FIELDS} fields, comma-separated (got ${fields.length})`,
      { path: '/query/fields' },
    );
  }
  return fields;
}

/** A window a /changes request may cover: from <= to, at most MAX_CHANGES_WINDOW_MS. */
export function checkWindow(from: number, to: number): void {
  if (from > to) {
    throw new ValidationError('IMV_TIMELINE_WINDOW_INVALID', '"from" is after "to"', { path: '/query/from' });
  }
  if (to - from > MAX_CHANGES_WINDOW_MS) {
    throw new ValidationError(
      'IMV_TIMELINE_WINDOW_INVALID',
      `the window is ${Math.round((to - from) / 60_000)} minutes; at most ${MAX_CHANGES_WINDOW_MS / 3_600_000} hours per request`,
      { path: '/query/to' },
    );
  }
}

/** Where a page starts: at `time`, after the first `skip` changes there (sent in the page before). */
export interface ChangesCursor {
  readonly time: number;
  readonly skip: number;
}

export function encodeContinuation(cursor: ChangesCursor): string {
  return `${cursor.time}.${cursor.skip}`;
}

/** The cursor of a continuation given back with a window; one outside the window is refused. */
export function decodeContinuation(text: string, from: number, to: number): ChangesCursor {
  const match = /^(-?\d+)\.(\d+)$/.exec(text);
  const time = match ? Number(match[1]) : NaN;
  const skip = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(time) || !Number.isSafeInteger(skip) || time < from || time >= to) {
    throw new ValidationError(
      'IMV_CONTINUATION_INVALID',
      'this continuation does not belong to this window: pass it back with the same from, to and fields',
      { path: '/query/continuation' },
    );
  }
  return { time, skip };
}

/**
 * A page of changes from `read`: the points of the window from the cursor's time, as read with a
 * limit of `cursor.skip + limit + 1` (the extra one says whether more follow). Points are ordered by
 * time, then by series in a fixed order, so the first `skip` at the cursor's time are those already sent.
 */
export function pageOfChanges(
  read: readonly HistoryPoint[],
  window: { from: number; to: number; fields: readonly string[]; limit: number; cursor?: ChangesCursor },
): WorldChangesAnswer {
  const { from, to, fields, limit } = window;
  const cursor = window.cursor ?? { time: from, skip: 0 };
  const unsent = read.slice(cursor.skip);
  const page = unsent.slice(0, limit);
  const more = unsent.length > limit;
  const twins: string[] = [];
  const twinIndex = new Map<string, number>();
  const fieldIndex = new Map(fields.map((f, i) => [f, i]));
  const previous = new Map<string, ChangeValue>();
  const changes: ChangeRow[] = [];
  for (const point of page) {
    const f = fieldIndex.get(point.field);
    if (f === undefined) continue;
    // A device that repeats its value changed nothing: only the first of a run is a change.
    const series = seriesId(point);
    if (previous.has(series) && Object.is(previous.get(series), point.value)) continue;
    previous.set(series, point.value);
    let t = twinIndex.get(point.twin);
    if (t === undefined) {
      t = twins.length;
      twins.push(point.twin);
      twinIndex.set(point.twin, t);
    }
    changes.push([point.time, t, f, point.value]);
  }
  if (!more || page.length === 0) return { from, to, fields, twins, changes, until: to };
  const last = page.at(-1)!.time;
  let skip = 0;
  for (let i = page.length - 1; i >= 0 && page[i]!.time === last; i--) skip++;
  if (last === cursor.time) skip += cursor.skip;
  return {
    from,
    to,
    fields,
    twins,
    changes,
    until: last,
    continuation: encodeContinuation({ time: last, skip }),
  };
}

/** twin → field → value from a latestAt read of `keys`. */
export function statesOf(
  keys: readonly SeriesKey[],
  found: ReadonlyMap<string, Sample>,
): Record<string, Record<string, ChangeValue>> {
  const states: Record<string, Record<string, ChangeValue>> = {};
  for (const key of keys) {
    const sample = found.get(seriesId(key));
    if (sample === undefined) continue;
    (states[key.twin] ??= {})[key.field] = sample.value;
  }
  return states;
}
