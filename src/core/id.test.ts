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
    ['88.1/a/../b', '".." path segment'],
    ['88.1/./a', 'path segment'],
    ['88.1/a/..', '".." path segment'],
    ['88.1/press\u202Etxt', 'bidirectional control U+202E'],
    ['88.1/press\u2067x', 'bidirectional control U+2067'],
    ['88.1/a\u200Eb', 'bidirectional control U+200E'],
    ['88.1/a\u061Cb', 'bidirectional control U+061C'],
    ['88.1/press\u200B07', 'invisible character U+200B'],
    ['88.1/press\u200D07', 'invisible character U+200D'],
    ['88.1/press\u206007', 'invisible character U+2060'],
    ['88.1/press\u00AD07', 'invisible character U+00AD'],
    ['88.1/a\uD800b', 'invisible character U+D800'],
    ['88.1/line\uFF0Fpress', 'U+FF0F, which looks like "/"'],
    ['88.1/line\u2215press', 'U+2215'],
    ['88.1/line\u2044press', 'U+2044'],
    ['88.1/line\u29F8press', 'U+29F8'],
    ['88.1/a\uFF0Eb', 'U+FF0E'],
    ['88.1/a/\uFF0E\uFF0E/b', 'U+FF0E'],
    ['88.1/a\u2026b', 'U+2026'],
    ['88.1/caf\u00E9\u1FEF', 'contains whitespace or one of'],
  ])('rejects %j with a reason', (text, reason) => {
    expect(identifierProblem(text)).toContain(reason);
    expect(() => parseIdentifier(text, '/$dtId')).toThrow(
      expect.objectContaining({ code: 'IMV_ID_MALFORMED', path: '/$dtId' }),
    );
  });

  it('stores the suffix in Unicode NFC, so composed and decomposed spellings are one identifier', () => {
    const composed = '88.1/Stra\u00DFe/k\u00FChler';
    const decomposed = '88.1/Stra\u00DFe/ku\u0308hler';
    expect(decomposed).not.toBe(composed);
    expect(normalizeIdentifier(decomposed)).toBe(composed);
    expect(normalizeIdentifier(composed)).toBe(composed);
    expect(identifierProblem('88.1/\u5DE5\u5834/\u30E9\u30A4\u30F3-1')).toBeUndefined();
  });

  it('keeps dots inside a segment and segments that start with dots', () => {
    for (const id of ['88.1/a.b', '88.1/.hidden', '88.1/a/...', '88.1/v1..2', '88.1/..x/y']) {
      expect(identifierProblem(id)).toBeUndefined();
    }
  });

  it('never shows a bidirectional control in its message', () => {
    expect(() => parseIdentifier('88.1/abc\u202Etxt.exe')).toThrow(/abc<U\+202E>txt\.exe/);
  });

  it('normalising is idempotent and round-trips through parse/format (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
    const prefix = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('.'));
    const suffix = fc
      .array(
        fc.stringMatching(/^[A-Za-z0-9._~:@-]{1,10}$/).filter((s) => s !== '.' && s !== '..'),
        { minLength: 1, maxLength: 4 },
      )
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

  it('accepts its own NFC spelling of any valid Unicode identifier, unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (suffix) => {
        if (identifierProblem(`88.1/${suffix}`) !== undefined) return;
        const once = normalizeIdentifier(`88.1/${suffix}`);
        expect(identifierProblem(once)).toBeUndefined();
        expect(normalizeIdentifier(once)).toBe(once);
        expect(once.normalize('NFC')).toBe(once);
      }),
      { seed: 12, numRuns: 2000, verbose: true },
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
