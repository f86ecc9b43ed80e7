// HTTP ingest bodies from gateways: a JSON batch {"points":[…]} (or a bare array), or NDJSON with one
// point per line. Each point names its twin and field itself.
import type { Point, Rejection } from '../points.js';

export interface DecodedBatch {
  /** Readable points, with their index in the body. */
  readonly points: Array<{ readonly index: number; readonly point: Point }>;
  /** Points that could not be read, with what was received. */
  readonly rejected: Array<Rejection & { readonly payload: string }>;
}

export function decodeJsonBatch(body: unknown, now: number): DecodedBatch | undefined {
  const list = Array.isArray(body) ? body : (body as { points?: unknown } | null)?.points;
  return Array.isArray(list)
    ? decodeList(
        list.map((item) => ({ item })),
        now,
      )
    : undefined;
}

export function decodeNdjson(text: string, now: number): DecodedBatch {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return { item: JSON.parse(line) as unknown };
      } catch {
        return { line };
      }
    });
  return decodeList(entries, now);
}

function decodeList(entries: ReadonlyArray<{ item?: unknown; line?: string }>, now: number): DecodedBatch {
  const points: DecodedBatch['points'] = [];
  const rejected: DecodedBatch['rejected'] = [];
  entries.forEach((entry, index) => {
    const result =
      entry.line !== undefined
        ? { code: 'IMV_INGEST_PAYLOAD_MALFORMED', reason: 'the line is not JSON' }
        : decodePoint(entry.item, now);
    if ('code' in result)
      rejected.push({ index, ...result, payload: entry.line ?? JSON.stringify(entry.item) ?? '' });
    else points.push({ index, point: result });
  });
  return { points, rejected };
}

function decodePoint(item: unknown, now: number): Point | { code: string; reason: string } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      code: 'IMV_INGEST_PAYLOAD_MALFORMED',
      reason: 'a point is an object {twin, field, value, time?}',
    };
  }
  const { twin, field, value, time, quality } = item as Record<string, unknown>;
  if (typeof twin !== 'string' || typeof field !== 'string') {
    return { code: 'IMV_INGEST_PAYLOAD_MALFORMED', reason: 'a point needs "twin" and "field" strings' };
  }
  if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
    return { code: 'IMV_INGEST_VALUE_INVALID', reason: '"value" must be a number, string or boolean' };
  }
  const ms =
    time === undefined
      ? now
      : typeof time === 'number'
        ? time
        : typeof time === 'string'
          ? Date.parse(time)
          : NaN;
  if (!Number.isFinite(ms)) {
    return { code: 'IMV_INGEST_TIMESTAMP_INVALID', reason: '"time" must be epoch milliseconds or ISO 8601' };
  }
  if (quality !== undefined && quality !== 'good' && quality !== 'uncertain' && quality !== 'bad') {
    return { code: 'IMV_INGEST_VALUE_INVALID', reason: '"quality" must be good, uncertain or bad' };
  }
  return { twin, field, value, time: ms, ...(quality === undefined ? {} : { quality }) };
}
