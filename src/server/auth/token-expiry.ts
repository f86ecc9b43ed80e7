// When a new API token stops being valid: `expiresIn` (a duration such as 90d) or `expires` (a time).
import { ValidationError } from '../../core/errors.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([1-9]\d{0,5})([smhd])$/;
/** An ISO 8601 time with a date, a time and a zone, so that it means one instant wherever it is read. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface ExpiryRequest {
  /** A duration from now: a whole number and s, m, h or d, e.g. `90d`. */
  readonly expiresIn?: string;
  /** An ISO 8601 time, e.g. `2027-01-31T00:00:00Z`. */
  readonly expires?: string;
}

/**
 * The expiry asked for, or undefined for a token that does not expire. `names` are the fields as the
 * caller spelt them (API body fields, or CLI flags), for the error's message and path.
 */
export function tokenExpiry(
  request: ExpiryRequest,
  now: number,
  names: { expiresIn: string; expires: string } = { expiresIn: 'expiresIn', expires: 'expires' },
): Date | undefined {
  const { expiresIn, expires } = request;
  if (expiresIn !== undefined && expires !== undefined) {
    throw invalid(names.expires, `Give ${names.expiresIn} or ${names.expires}, not both`);
  }
  if (expiresIn !== undefined) {
    const match = DURATION.exec(expiresIn);
    if (match === null) {
      throw invalid(
        names.expiresIn,
        `${names.expiresIn} "${expiresIn}" is not a duration such as 90d, 12h, 30m or 3600s`,
      );
    }
    return new Date(now + Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  }
  if (expires !== undefined) {
    const time = INSTANT.test(expires) ? Date.parse(expires) : Number.NaN;
    if (Number.isNaN(time)) {
      throw invalid(
        names.expires,
        `${names.expires} "${expires}" is not an ISO 8601 time with a zone, e.g. 2027-01-31T00:00:00Z`,
      );
    }
    if (time <= now) throw invalid(names.expires, `${names.expires} ${expires} is in the past`);
    return new Date(time);
  }
  return undefined;
}

function invalid(name: string, message: string): ValidationError {
  return new ValidationError('IMV_REQUEST_INVALID', message, { path: `/${name.replace(/^--/, '')}` });
}
