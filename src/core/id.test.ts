import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifierProblem, joinIdentifier, normalizeIdentifier, parseIdentifier } from './id.js';

describe('Handle-style identifiers', () => {
  it('parses prefix and suffix, keeping slashes in the suffix', () => {
    expect(parseIdentifier('88.100.1/line-2/press-07')).toEqual({
      prefix: '88.100.1',
      suffix: 'line-2/press-07',
    });
  });

  it('treats the prefix case-insensitively and the suffix case-sensitively', () => {
    expect(normalizeIdentifier('acme.na/Press-07')).toBe('ACME.NA/Press-07');
    expect(normalizeIdentifier('ACME.na/Press-07')).toBe(normalizeIdentifier('acme.NA/Press-07'));
    expect(normalizeIdentifier('acme/Press')).not.toBe(normalizeIdentifier('acme/press'));
  });

  it('joins a prefix and a relative suffix', () => {
    expect(joinIdentifier('88.100.1', 'line-1/st-01')).toBe('88.100.1/line-1/st-01');
  });

  it.each([
    ['', 'empty'],
    ['no-slash', 'no "/"'],
    ['/suffix', 'prefix is empty'],
    ['88.100.1/', 'suffix is empty'],
    ['88..1/a', 'prefix'],
    ['88.1/a b', 'whitespace'],
    ['88.1/a//b', 'empty path segment'],
    ['88.1/a/', 'empty path segment'],
    ['88.1/a?b', 'contains'],
    [`88.1/${'x'.repeat(600)}`, 'longer than'],
  ])('rejects %j with a reason', (text, reason) => {
    expect(identifierProblem(text)).toContain(reason);
    expect(() => parseIdentifier(text, '/$dtId')).toThrow(
      expect.objectContaining({ code: 'IMV_ID_MALFORMED', path: '/$dtId' }),
    );
  });

  it('normalising is idempotent and round-trips through parse/format (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
    const prefix = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('.'));
    const suffix = fc
      .array(fc.stringMatching(/^[A-Za-z0-9._~:@-]{1,10}$/), { minLength: 1, maxLength: 4 })
      .map((s) => s.join('/'));
    fc.assert(
      fc.property(prefix, suffix, (p, s) => {
        const once = normalizeIdentifier(`${p}/${s}`);
        expect(normalizeIdentifier(once)).toBe(once);
        expect(parseIdentifier(once).suffix).toBe(s);
      }),
      { seed: 20261125, verbose: true },
    );
  });

  it('never throws anything but IMV_ID_MALFORMED on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseIdentifier(text);
        } catch (error) {
          expect(error).toMatchObject({ code: 'IMV_ID_MALFORMED' });
        }
      }),
      { seed: 7, verbose: true },
    );
  });
});
