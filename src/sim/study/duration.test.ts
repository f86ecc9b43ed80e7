import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and weeks', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('3600s')).toBe(3600);
    expect(parseDuration('2w')).toBe(14 * 86_400);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration(7200)).toBe(7200);
    expect(parseDuration('0')).toBe(0);
  });

  it.each([['10x'], [''], ['h'], ['-1h'], ['1e3s'], ['1h30m'], [-5], [Infinity], [null], [true]])(
    'refuses %j with IMV_STUDY_INVALID at its path',
    (value) => {
      expect(() => parseDuration(value, '/horizon')).toThrow(
        expect.objectContaining({ code: 'IMV_STUDY_INVALID', path: '/horizon' }),
      );
    },
  );

  it('formats in the largest whole unit, and round-trips', () => {
    expect(formatDuration(30 * 86_400)).toBe('30d');
    expect(formatDuration(5400)).toBe('90m');
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(0)).toBe('0s');
    for (const text of ['30d', '12h', '90m', '3600s', '2w']) {
      expect(parseDuration(formatDuration(parseDuration(text)))).toBe(parseDuration(text));
    }
  });
});
