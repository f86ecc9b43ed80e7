import sparkplug from 'sparkplug-payload';
import { describe, expect, it } from 'vitest';
import { RebirthLimiter, rebirthCommand } from './rebirth.js';

const { decodePayload } = sparkplug.get('spBv1.0')!;

describe('rebirthCommand', () => {
  it('is an NCMD to the edge node with Node Control/Rebirth = true', () => {
    const { topic, payload } = rebirthCommand('line-1', 'st-03', 1_750_000_000_000);
    expect(topic).toBe('spBv1.0/line-1/NCMD/st-03');
    const decoded = decodePayload(payload);
    expect(decoded.metrics).toEqual([
      expect.objectContaining({ name: 'Node Control/Rebirth', type: 'Boolean', value: true }),
    ]);
  });
});

describe('RebirthLimiter', () => {
  it('lets one request per edge node through per interval', () => {
    let now = 0;
    const limiter = new RebirthLimiter(5000, () => now);
    expect(limiter.allow('g', 'n1')).toBe(true);
    expect(limiter.allow('g', 'n1')).toBe(false);
    expect(limiter.allow('g', 'n2')).toBe(true);
    expect(limiter.allow('h', 'n1')).toBe(true);
    now = 4999;
    expect(limiter.allow('g', 'n1')).toBe(false);
    now = 5000;
    expect(limiter.allow('g', 'n1')).toBe(true);
    expect(limiter.allow('g', 'n1')).toBe(false);
  });
});
