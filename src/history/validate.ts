// Argument checks shared by every HistoryStore adapter, so they refuse the same input the same way.
import { ValidationError } from '../core/errors.js';
import type { HistoryPoint } from './store.js';

const QUALITIES = new Set(['good', 'uncertain', 'bad']);

function invalid(message: string, path: string): never {
  throw new ValidationError('IMV_REQUEST_INVALID', message, { path });
}

/** Checks a whole batch before anything is written, so a bad point refuses the batch. */
export function checkPoints(points: readonly HistoryPoint[]): void {
  points.forEach((p, i) => {
    if (typeof p.twin !== 'string' || p.twin === '') invalid('twin must be a non-empty string', `/${i}/twin`);
    if (typeof p.field !== 'string' || p.field === '' || p.field === '*') {
      invalid('field must be a non-empty string other than "*"', `/${i}/field`);
    }
    // Whole milliseconds: the chunk encoding and the (series, time) keys rely on integers.
    if (!Number.isSafeInteger(p.time))
      invalid('time must be an integer number of ms since the epoch', `/${i}/time`);
    const type = typeof p.value;
    if (type !== 'number' && type !== 'string' && type !== 'boolean') {
      invalid('value must be a number, string or boolean', `/${i}/value`);
    }
    if (p.quality !== undefined && !QUALITIES.has(p.quality)) {
      invalid('quality must be good, uncertain or bad', `/${i}/quality`);
    }
  });
}

export function checkInterval(from: number, to: number): void {
  if (Number.isNaN(from) || typeof from !== 'number') invalid('from must be a number', '/from');
  if (Number.isNaN(to) || typeof to !== 'number') invalid('to must be a number', '/to');
  if (from > to) invalid(`from (${from}) is after to (${to})`, '/from');
}

export function checkTime(time: number): void {
  if (typeof time !== 'number' || Number.isNaN(time)) invalid('time must be a number', '/time');
}

export function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    invalid('limit must be a non-negative integer', '/limit');
  }
}

export function checkWidth(width: number): void {
  if (!(Number.isFinite(width) && width > 0)) invalid('width must be a positive number of ms', '/width');
}

/** A retention is a positive number of ms; Infinity removes the rule (keep forever). */
export function checkRetention(key: { twin: string; field: string }, ms: number): void {
  if (typeof key.twin !== 'string' || key.twin === '') invalid('twin must be a non-empty string', '/twin');
  if (typeof key.field !== 'string' || key.field === '')
    invalid('field must be a non-empty string or "*"', '/field');
  if (!(ms > 0)) invalid('retention must be a positive number of ms (Infinity: keep forever)', '/ms');
}

export function checkNow(now: number): void {
  if (!Number.isFinite(now)) invalid('now must be a finite number of ms since the epoch', '/now');
}
