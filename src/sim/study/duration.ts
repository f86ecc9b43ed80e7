// Durations as people write them in studies: 30d, 12h, 90m, 3600s (or a plain number of seconds).
import { StudyDefinitionError } from './errors.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/;

/**
 * Seconds in `value`: a number of seconds, or a string `<number><unit>` with unit s, m, h, d or w
 * (no unit: seconds). `path` locates the value in the error.
 */
export function parseDuration(value: unknown, path = ''): number {
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value);
    if (match === null) {
      throw new StudyDefinitionError(
        `${path || 'duration'}: "${value}" is not a duration; write e.g. 30d, 12h, 90m or 3600s`,
        { path },
      );
    }
    seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  } else {
    throw new StudyDefinitionError(
      `${path || 'duration'}: a duration must be a string like 12h or a number of seconds`,
      {
        path,
      },
    );
  }
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new StudyDefinitionError(
      `${path || 'duration'}: must be a finite duration >= 0, got ${String(value)}`,
      {
        path,
      },
    );
  }
  return seconds;
}

/** The shortest exact spelling of a number of seconds in the largest whole unit: 2592000 → "30d". */
export function formatDuration(seconds: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit]!;
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
