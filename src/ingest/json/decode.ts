// Decodes one JSON message payload (or, for `payload: plain`, one bare value as text) into points
// for the twin its topic mapped to. Never throws: a payload that is not JSON is refused whole; a
// bad value is rejected alone, with its index.
import { identifierProblem } from '../../core/id.js';
import type { Point, Quality, Rejection } from '../points.js';
import type { FieldKind, FieldMapping, MappingMatch } from '../mapping/MappingSet.js';
import { TIME_KEYS } from '../mapping/compile.js';
import { parseTime } from './time.js';

export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_STRING_VALUE = 4096;
/** Objects nest this deep at most (DTDL allows 5 levels of schema; plant data rarely needs 2). */
const MAX_OBJECT_DEPTH = 3;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NON_FINITE_TEXT = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** Around a plain value: what `echo` and line-oriented gateways add. */
const PLAIN_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodeOptions {
  /** The broker's receive time (ms): the time of values that carry none, and the reference for "future". */
  readonly receivedAt: number;
  readonly maxBytes?: number;
  readonly maxFutureMs?: number;
  readonly minTimeMs?: number;
  /** The kind the twin's model declares for a field, when the mapping does not say. */
  readonly fieldKind?: (twin: string, field: string) => FieldKind | undefined;
}

/** A rejected value: `index` counts the values of the message in payload order. */
export interface ValueRejection extends Rejection {
  /** A short JSON excerpt of the rejected value, for the dead letter. */
  readonly excerpt: string;
}

export interface DecodedMessage {
  readonly points: Point[];
  readonly rejected: ValueRejection[];
  /** Set when the whole message is refused (not JSON, too large, wrong shape for the mapping). */
  readonly refused?: { readonly code: string; readonly reason: string };
}

function refuse(code: string, reason: string): DecodedMessage {
  return { points: [], rejected: [], refused: { code, reason } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'undefined';
  } catch {
    // Deep nesting overflows the stack of JSON.stringify (and of String()): say so instead.
    return '"(too deeply nested to print)"';
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Python's json module and some PLC gateways write bare NaN / Infinity. Rewrite them (outside
 * strings) as the strings "NaN" / "Infinity", so such a value is rejected alone rather than
 * losing the whole message. Only tried when strict parsing fails.
 */
function parseLenient(text: string): unknown {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x4e /* N */ || ch === 0x49 /* I */ || ch === 0x2d /* - */) {
      for (const token of ['NaN', 'Infinity', '-Infinity']) {
        if (text.startsWith(token, i)) {
          out += text.slice(last, i) + `"${token}"`;
          i += token.length - 1;
          last = i + 1;
          break;
        }
      }
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

function parseJson(payload: Uint8Array): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { error: 'payload is not UTF-8 text' };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (strictError) {
    try {
      return { value: parseLenient(text) };
    } catch {
      return { error: `payload is not JSON: ${(strictError as Error).message.slice(0, 200)}` };
    }
  }
}

type Converted = { value: number | string | boolean } | { problem: string };

/** Checks and converts one raw value for a field of the given kind. */
function convert(raw: unknown, fm: FieldMapping, kind: FieldKind | undefined): Converted {
  if (typeof raw === 'number') {
    if (kind === 'boolean') {
      if (raw === 0 || raw === 1) return { value: raw === 1 };
      return { problem: `${raw} is not a boolean (0 or 1)` };
    }
    if (kind === 'string') return { problem: `field "${fm.field}" holds text, got the number ${raw}` };
    const value = raw * fm.scale + fm.offset;
    if (!Number.isFinite(value)) return { problem: `${raw} is not a finite number` };
    return { value };
  }
  if (typeof raw === 'string') {
    if (NON_FINITE_TEXT.test(raw)) return { problem: `"${raw}" is not a finite number` };
    if (kind === 'number') {
      if (!NUMERIC_TEXT.test(raw))
        return { problem: `field "${fm.field}" is numeric, got "${raw.slice(0, 40)}"` };
      const value = Number(raw) * fm.scale + fm.offset;
      if (!Number.isFinite(value)) return { problem: `"${raw.slice(0, 40)}" is not a finite number` };
      return { value };
    }
    if (kind === 'boolean') {
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
      return { problem: `field "${fm.field}" is boolean, got "${raw.slice(0, 40)}"` };
    }
    if (raw.length > MAX_STRING_VALUE) return { problem: `text longer than ${MAX_STRING_VALUE} characters` };
    return { value: raw };
  }
  if (typeof raw === 'boolean') {
    if (kind === 'number' || kind === 'string')
      return { problem: `field "${fm.field}" is ${kind}, got ${raw}` };
    return { value: raw };
  }
  if (raw === null) return { problem: 'null is not a value' };
  if (raw === undefined) return { problem: 'no value' };
  return { problem: `${Array.isArray(raw) ? 'an array' : 'an object'} is not a value` };
}

/** Collects points and rejections, numbering every value of the message in payload order. */
class Builder {
  readonly points: Point[] = [];
  readonly rejected: ValueRejection[] = [];
  #index = 0;

  constructor(readonly options: DecodeOptions) {}

  reject(code: string, reason: string, raw: unknown): void {
    this.rejected.push({ index: this.#index++, code, reason, excerpt: excerpt(raw) });
  }

  value(twin: string, fm: FieldMapping, raw: unknown, time: number | string, quality?: Quality): void {
    if (typeof time === 'string') return this.reject('IMV_INGEST_TIMESTAMP_INVALID', time, raw);
    const kind = fm.kind ?? this.options.fieldKind?.(twin, fm.field);
    const result = convert(raw, fm, kind);
    if ('problem' in result) {
      return this.reject(
        'IMV_INGEST_VALUE_INVALID',
        `${fm.key || 'value'} → ${fm.field}: ${result.problem}`,
        raw,
      );
    }
    this.#index++;
    this.points.push(
      quality === undefined || quality === 'good'
        ? { twin, field: fm.field, time, value: result.value }
        : { twin, field: fm.field, time, value: result.value, quality },
    );
  }

  time(row: Record<string, unknown>): number | string {
    for (const key of TIME_KEYS) {
      if (row[key] !== undefined) return parseTime(row[key], this.limits());
    }
    return this.options.receivedAt;
  }

  limits() {
    const { receivedAt: now, maxFutureMs, minTimeMs } = this.options;
    return { now, maxFutureMs, minTimeMs };
  }
}

function identity(key: string, field: string): FieldMapping {
  return { key, field, kind: undefined, scale: 1, offset: 0 };
}

function decodeRow(row: Record<string, unknown>, twin: string, match: MappingMatch, b: Builder): void {
  const { value, fields, keepOthers } = match.mapping;
  const time = b.time(row);
  if (value) {
    if (!('value' in row))
      return b.reject('IMV_INGEST_PAYLOAD_MALFORMED', 'expected {"value": …} with an optional "ts"', row);
    return b.value(twin, value, row.value, time);
  }
  for (const key of Object.keys(row)) {
    if (TIME_KEYS.includes(key)) continue;
    const fm = fields?.get(key);
    if (fm) b.value(twin, fm, row[key], time);
    else if (keepOthers) keep(key, row[key], 1, twin, time, b);
  }
}

/** A value under its own name; an object's values each under a dotted name (`position.x`). */
/** `time` is a time, or why the row has none. */
function keep(
  name: string,
  raw: unknown,
  depth: number,
  twin: string,
  time: number | string,
  b: Builder,
): void {
  if (!FIELD_NAME.test(name)) {
    b.reject('IMV_INGEST_VALUE_INVALID', `key "${name.slice(0, 40)}" is not a valid field name`, raw);
  } else if (isRecord(raw) && depth <= MAX_OBJECT_DEPTH) {
    for (const [key, value] of Object.entries(raw)) keep(`${name}.${key}`, value, depth + 1, twin, time, b);
  } else {
    b.value(twin, identity(name, name), raw, time);
  }
}

function decodeValues(body: unknown, match: MappingMatch, b: Builder): DecodedMessage | undefined {
  const twin = match.twin as string;
  if (Array.isArray(body)) {
    for (const row of body) {
      if (isRecord(row)) decodeRow(row, twin, match, b);
      else b.reject('IMV_INGEST_PAYLOAD_MALFORMED', 'an array element must be an object of values', row);
    }
  } else if (isRecord(body)) {
    decodeRow(body, twin, match, b);
  } else if (match.mapping.value) {
    b.value(twin, match.mapping.value, body, b.options.receivedAt);
  } else {
    return refuse(
      'IMV_INGEST_PAYLOAD_MALFORMED',
      `the mapping of ${match.mapping.topic} expects an object of values, got ${body === null ? 'null' : typeof body}`,
    );
  }
  return undefined;
}

function decodeEnvelope(body: unknown, match: MappingMatch, b: Builder): DecodedMessage | undefined {
  if (!isRecord(body) || !Array.isArray(body.points)) {
    return refuse(
      'IMV_INGEST_PAYLOAD_MALFORMED',
      'expected an envelope {"points": [{"twin", "field", "time", "value"}, …]}',
    );
  }
  const scope = match.twin;
  for (const p of body.points as unknown[]) {
    if (!isRecord(p)) {
      b.reject('IMV_INGEST_PAYLOAD_MALFORMED', 'a point must be an object {twin, field, time, value}', p);
      continue;
    }
    const { twin, field, value, quality } = p;
    if (typeof twin !== 'string' || identifierProblem(twin) !== undefined) {
      b.reject('IMV_INGEST_PAYLOAD_MALFORMED', `"twin" must be an identifier PREFIX/SUFFIX`, p);
      continue;
    }
    if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
      b.reject('IMV_INGEST_PAYLOAD_MALFORMED', '"field" must be a field name', p);
      continue;
    }
    if (quality !== undefined && !QUALITIES.includes(quality as Quality)) {
      b.reject('IMV_INGEST_PAYLOAD_MALFORMED', '"quality" must be good, uncertain or bad', p);
      continue;
    }
    const slash = twin.indexOf('/');
    const normalized = twin.slice(0, slash).toUpperCase() + twin.slice(slash);
    if (scope !== undefined && normalized !== scope && !normalized.startsWith(`${scope}/`)) {
      b.reject(
        'IMV_INGEST_TOPIC_FORBIDDEN',
        `twin ${normalized} is outside ${scope}, the scope of ${match.mapping.topic}`,
        p,
      );
      continue;
    }
    b.value(normalized, identity('value', field), value, b.time(p), quality as Quality | undefined);
  }
  return undefined;
}

/**
 * A plain payload: the whole message is one value as text, converted to the kind the mapping
 * declares. Strict on purpose: a value that is not exactly a number or a boolean is refused, not
 * guessed at (no "on", "yes" or "12,5").
 */
function plainValue(text: string, fm: FieldMapping): Converted {
  if (text === '') return { problem: 'the payload is empty' };
  const shown = text.length > 40 ? `"${text.slice(0, 40)}…"` : `"${text}"`;
  switch (fm.kind) {
    case 'number': {
      if (!NUMERIC_TEXT.test(text)) return { problem: `${shown} is not a number` };
      const value = Number(text) * fm.scale + fm.offset;
      if (!Number.isFinite(value)) return { problem: `${shown} is not a finite number` };
      return { value };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || text === '1') return { value: true };
      if (lower === 'false' || text === '0') return { value: false };
      return { problem: `${shown} is not a boolean: send true, false, 1 or 0` };
    }
    default:
      if (text.length > MAX_STRING_VALUE)
        return { problem: `text longer than ${MAX_STRING_VALUE} characters` };
      return { value: text };
  }
}

function decodePlain(payload: Uint8Array, match: MappingMatch, receivedAt: number): DecodedMessage {
  const fm = match.mapping.value as FieldMapping;
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return refuse('IMV_INGEST_PAYLOAD_MALFORMED', 'payload is not UTF-8 text');
  }
  const result = plainValue(text.replace(PLAIN_SPACE, ''), fm);
  if ('problem' in result) {
    return refuse(
      'IMV_INGEST_PLAIN_PAYLOAD_INVALID',
      `${fm.field} (${fm.kind ?? 'string'}): ${result.problem}`,
    );
  }
  return {
    points: [{ twin: match.twin as string, field: fm.field, time: receivedAt, value: result.value }],
    rejected: [],
  };
}

/** Decodes a payload for a topic that matched `match` (whose `error` the caller has handled). */
export function decodePayload(
  payload: Uint8Array,
  match: MappingMatch,
  options: DecodeOptions,
): DecodedMessage {
  if (match.error !== undefined) return refuse('IMV_INGEST_UNMAPPED', match.error);
  const max = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (payload.byteLength > max) {
    return refuse(
      'IMV_INGEST_PAYLOAD_TOO_LARGE',
      `payload of ${payload.byteLength} bytes exceeds the limit of ${max}`,
    );
  }
  if (match.mapping.payload === 'plain') {
    if (match.twin === undefined) return refuse('IMV_INGEST_UNMAPPED', `no twin for ${match.mapping.topic}`);
    return decodePlain(payload, match, options.receivedAt);
  }
  const parsed = parseJson(payload);
  if ('error' in parsed) return refuse('IMV_INGEST_PAYLOAD_MALFORMED', parsed.error);
  const b = new Builder(options);
  const refused =
    match.mapping.payload === 'envelope'
      ? decodeEnvelope(parsed.value, match, b)
      : match.twin === undefined
        ? refuse('IMV_INGEST_UNMAPPED', `no twin for ${match.mapping.topic}`)
        : decodeValues(parsed.value, match, b);
  return refused ?? { points: b.points, rejected: b.rejected };
}
