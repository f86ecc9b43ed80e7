import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './chain.js';
import { MANY, RefusalCoalescer } from './refusal-coalescer.js';

const refusal = (source: string, action = 'GET /api/v1/twins', code = 'IMV_AUTH_REQUIRED'): AuditEntry => ({
  time: '2026-01-01T00:00:00.000Z',
  actor: 'anonymous',
  action,
  source,
  result: 'refused',
  code,
  repeat: 1,
});

describe('RefusalCoalescer', () => {
  it('records the first refusal of a kind at once and the identical ones after it as one count', () => {
    const coalescer = new RefusalCoalescer({ windowMs: 60_000, maxKinds: 100 });
    expect(coalescer.admit(refusal('10.0.0.1'), 0)).toHaveLength(1);
    let written = 0;
    for (let i = 1; i < 10_000; i++) written += coalescer.admit(refusal('10.0.0.1'), i).length;
    expect(written).toBe(0);
    const [summary, ...more] = coalescer.expire(60_000);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({ source: '10.0.0.1', repeat: 9_999, time: '1970-01-01T00:01:00.000Z' });
  });

  it('keeps different sources, actions, codes and principals apart', () => {
    const coalescer = new RefusalCoalescer({ windowMs: 60_000, maxKinds: 100 });
    const first = [
      refusal('10.0.0.1'),
      refusal('10.0.0.2'),
      refusal('10.0.0.1', 'DELETE /api/v1/tokens/{id}'),
      refusal('10.0.0.1', 'GET /api/v1/twins', 'IMV_AUTH_FORBIDDEN'),
      { ...refusal('10.0.0.1'), actor: 'night shift', credential: 'token:1' },
      { ...refusal('10.0.0.1'), actor: 'night shift', credential: 'token:2' },
    ];
    expect(first.flatMap((entry) => coalescer.admit(entry, 0))).toEqual(first);
  });

  it('starts a new window, after writing the count of the old one, once the window has passed', () => {
    const coalescer = new RefusalCoalescer({ windowMs: 1000, maxKinds: 100 });
    coalescer.admit(refusal('10.0.0.1'), 0);
    coalescer.admit(refusal('10.0.0.1'), 500);
    const next = coalescer.admit(refusal('10.0.0.1'), 1000);
    expect(next.map((entry) => entry.repeat)).toEqual([1, 1]);
    expect(coalescer.size).toBe(1);
  });

  it('writes nothing more for a window that saw one refusal', () => {
    const coalescer = new RefusalCoalescer({ windowMs: 1000, maxKinds: 100 });
    coalescer.admit(refusal('10.0.0.1'), 0);
    expect(coalescer.expire(5000)).toEqual([]);
    expect(coalescer.size).toBe(0);
  });

  it('counts refusals from many addresses by code once the kinds are used up', () => {
    const coalescer = new RefusalCoalescer({ windowMs: 60_000, maxKinds: 10 });
    let written = 0;
    for (let i = 0; i < 100_000; i++)
      written += coalescer.admit(refusal(`2001:db8::${i.toString(16)}`), i / 10).length;
    const summaries = coalescer.expire(0, { all: true });
    written += summaries.length;
    // 10 kinds recorded apart, one for the rest, and the count of that one.
    expect(written).toBe(12);
    expect(summaries).toEqual([
      expect.objectContaining({ source: MANY, action: MANY, repeat: 100_000 - 11 }),
    ]);
  });
});
