import { describe, expect, it } from 'vitest';
import { ImverseError } from '../core/errors.js';
import { resolveKpiWindow } from './kpi-window.js';

const NOW = 1_764_000_000_000;
const HOUR = 3_600_000;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ImverseError ? `${error.code} ${error.path}` : String(error);
  }
  return undefined;
}

describe('resolveKpiWindow', () => {
  it('defaults to the last hour in minute buckets', () => {
    expect(resolveKpiWindow({}, NOW)).toEqual({ from: NOW - HOUR, to: NOW, bucket: 60_000 });
  });

  it('reads ISO 8601 and epoch ms, reads a future "to" as now, and picks about 60 buckets', () => {
    const from = new Date(NOW - 24 * HOUR).toISOString();
    expect(resolveKpiWindow({ from, to: String(NOW + HOUR) }, NOW)).toEqual({
      from: NOW - 24 * HOUR,
      to: NOW,
      bucket: 30 * 60_000,
    });
    expect(resolveKpiWindow({ from: String(NOW - 7 * 24 * HOUR) }, NOW).bucket).toBe(3 * HOUR);
    expect(resolveKpiWindow({ bucket: '5m' }, NOW).bucket).toBe(300_000);
  });

  it('refuses bad windows and buckets with stable codes', () => {
    expect(codeOf(() => resolveKpiWindow({ from: 'yesterday' }, NOW))).toBe(
      'IMV_KPI_RANGE_INVALID /query/from',
    );
    expect(codeOf(() => resolveKpiWindow({ to: 'soon' }, NOW))).toBe('IMV_KPI_RANGE_INVALID /query/to');
    expect(codeOf(() => resolveKpiWindow({ from: String(NOW), to: String(NOW - 1) }, NOW))).toBe(
      'IMV_KPI_RANGE_INVALID /query/from',
    );
    expect(codeOf(() => resolveKpiWindow({ from: String(NOW + HOUR) }, NOW))).toBe(
      'IMV_KPI_RANGE_INVALID /query/from',
    );
    expect(codeOf(() => resolveKpiWindow({ from: String(NOW - 40 * 24 * HOUR) }, NOW))).toBe(
      'IMV_KPI_RANGE_INVALID /query/from',
    );
    expect(codeOf(() => resolveKpiWindow({ bucket: '10ms' }, NOW))).toBe(
      'IMV_KPI_BUCKET_INVALID /query/bucket',
    );
    expect(codeOf(() => resolveKpiWindow({ bucket: 'often' }, NOW))).toBe(
      'IMV_KPI_BUCKET_INVALID /query/bucket',
    );
    expect(codeOf(() => resolveKpiWindow({ bucket: '1s' }, NOW))).toBe(
      'IMV_KPI_BUCKET_INVALID /query/bucket',
    );
  });
});
