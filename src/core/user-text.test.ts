import { describe, expect, it } from 'vitest';
import { parseUserJson, stripBom } from './user-text.js';

describe('user text', () => {
  it('drops one leading byte-order mark and nothing else', () => {
    expect(stripBom('\uFEFF{"a":1}')).toBe('{"a":1}');
    expect(stripBom('{"a":"\uFEFF"}')).toBe('{"a":"\uFEFF"}');
    expect(stripBom('plain')).toBe('plain');
  });

  it('parses JSON saved with a byte-order mark', () => {
    expect(parseUserJson('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });
});
