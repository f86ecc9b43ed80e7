// Payload timestamps: epoch numbers (the magnitude says s, ms, µs or ns) and ISO 8601 strings.

/** How far ahead of the receive time a source timestamp may be (clock skew), in ms. */
export const DEFAULT_MAX_FUTURE_MS = 5 * 60_000;
/**
 * The earliest accepted time. A device whose clock was never set reports 1970; refusing such times
 * keeps them out of history instead of scattering values decades into the past.
 */
export const DEFAULT_MIN_TIME_MS = Date.UTC(2000, 0, 1);

export interface TimeLimits {
  /** Receive time, ms since the epoch: the reference for the future limit. */
  readonly now: number;
  readonly maxFutureMs?: number;
  readonly minTimeMs?: number;
}

// Date and time with an optional offset; without one the time is taken as UTC (a gateway's local
// time is meaningless to a server in another zone). Date-only values are midnight UTC.
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function epochToMs(n: number): number {
  const a = Math.abs(n);
  // 1e11 s is the year 5138; 1e11 ms is 1973: the ranges cannot be confused for sane times.
  if (a < 1e11) return n * 1000;
  if (a < 1e14) return n;
  if (a < 1e17) return n / 1000;
  return n / 1e6;
}

function isoToMs(text: string): number {
  const m = ISO_8601.exec(text);
  if (!m) return NaN;
  let normalized = text.replace(' ', 'T').replace(',', '.');
  // Date.parse takes at most milliseconds reliably: cut finer fractions.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  if (m[1] === undefined && normalized.includes('T')) normalized += 'Z';
  else if (m[1] !== undefined && /^[+-]\d{4}$/.test(m[1])) {
    normalized = normalized.slice(0, -2) + ':' + normalized.slice(-2);
  } else if (m[1] !== undefined && /^[+-]\d{2}$/.test(m[1])) normalized += ':00';
  return Date.parse(normalized);
}

function iso(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/** Milliseconds since the epoch, or a message saying why the value is not a usable time. */
export function parseTime(raw: unknown, limits: TimeLimits): number | string {
  let ms: number;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return `time ${String(raw)} is not a finite number`;
    ms = epochToMs(raw);
  } else if (typeof raw === 'string') {
    if (raw.length > 64) return 'time string is longer than 64 characters';
    ms = isoToMs(raw);
    if (Number.isNaN(ms)) return `time "${raw}" is neither epoch seconds/milliseconds nor ISO 8601`;
  } else {
    return `time must be a number (epoch s or ms) or an ISO 8601 string, not ${raw === null ? 'null' : typeof raw}`;
  }
  ms = Math.round(ms);
  const maxFuture = limits.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS;
  if (ms > limits.now + maxFuture) {
    return `time ${iso(ms)} is more than ${Math.round(maxFuture / 1000)} s in the future (receive time ${iso(limits.now)}): check the device clock`;
  }
  const min = limits.minTimeMs ?? DEFAULT_MIN_TIME_MS;
  if (ms < min) return `time ${iso(ms)} is before ${iso(min)}: the device clock is probably not set`;
  return ms;
}
