// Time and duration query parameters: ISO 8601 or epoch milliseconds; durations like 500ms, 10s, 1m, 1h, 1d.
import { ValidationError } from '../../core/errors.js';

export function parseTime(text: string, path: string): number {
  const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new ValidationError('IMV_REQUEST_INVALID', `"${text}" is neither ISO 8601 nor epoch milliseconds`, {
      path,
    });
  }
  return ms;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string, path: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? 'ms']! : NaN;
  if (!Number.isFinite(ms) || ms < 1) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `"${text}" is not a duration such as 500ms, 10s, 1m or 1h`,
      {
        path,
      },
    );
  }
  return Math.round(ms);
}
