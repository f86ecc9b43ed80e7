import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dtmiProblem, interfaceIdProblem, isDtmi, parseDtmi } from './dtmi.js';

// Seeded so a failure can be replayed; fast-check prints the seed and the counterexample on failure.
const SEED = Number(process.env.FC_SEED ?? 20240501);

describe('DTMI', () => {
  it('accepts the identifiers of the spec in both versions', () => {
    for (const id of ['dtmi:com:example:Thermostat;1', 'dtmi:foo_bar:baz33:qux;12', 'dtmi:a;999999999']) {
      expect(isDtmi(id, 2)).toBe(true);
      expect(isDtmi(id, 3)).toBe(true);
    }
  });

  it('v3 accepts no version and a two-part version; v2 does not', () => {
    expect(isDtmi('dtmi:com:example:Room', 3)).toBe(true);
    expect(isDtmi('dtmi:com:example:Room;1.2', 3)).toBe(true);
    expect(dtmiProblem('dtmi:com:example:Room', 2)).toMatch(/no version/);
    expect(dtmiProblem('dtmi:com:example:Room;1.2', 2)).toMatch(/two-part/);
  });

  it('rejects leading zeros, a zero minor part, too many digits, system segments and bad segments', () => {
    for (const bad of [
      'dtmi:a;01',
      'dtmi:a;0',
      'dtmi:a;1.0',
      'dtmi:a;1.01',
      'dtmi:a;1234567890',
      'dtmi:a;1.1234567',
      'dtmi:foo:_16;1',
      'dtmi:foo_;1',
      'dtmi:9a;1',
      'dtmi::a;1',
      'DTMI:a;1',
      'dtmi:a-b;1',
      'dtmi:a;',
    ]) {
      expect(isDtmi(bad, 3), bad).toBe(false);
    }
    expect(isDtmi('dtmi:a;123456789.123456', 3)).toBe(true);
  });

  it('limits lengths: 2048 for any DTMI, 128 for an Interface @id', () => {
    const long = `dtmi:${'a'.repeat(2045)};1`;
    expect(dtmiProblem(long)).toMatch(/longer than 2048/);
    const id129 = `dtmi:${'a'.repeat(122)};1`;
    expect(id129.length).toBe(129);
    expect(interfaceIdProblem(id129, 3)).toMatch(/128/);
    expect(interfaceIdProblem(`dtmi:${'a'.repeat(121)};1`, 3)).toBeUndefined();
  });

  it('rejects the reserved prefixes for an Interface @id', () => {
    expect(interfaceIdProblem('dtmi:dtdl:foo;1', 3)).toMatch(/reserved/);
    expect(interfaceIdProblem('dtmi:standard:foo;1', 2)).toMatch(/reserved/);
  });

  it('parses segments and versions', () => {
    expect(parseDtmi('dtmi:com:example:Room;2.5')).toMatchObject({
      segments: ['com', 'example', 'Room'],
      major: 2,
      minor: 5,
      unversioned: 'dtmi:com:example:Room',
    });
    expect(parseDtmi('dtmi:com:example:Room;2.5', 2)).toBeUndefined();
  });

  const segment = fc.stringMatching(/^[A-Za-z](?:[A-Za-z0-9_]{0,8}[A-Za-z0-9])?$/);
  const major = fc.integer({ min: 1, max: 999_999_999 });
  const minor = fc.integer({ min: 1, max: 999_999 });

  it('property: every well-formed DTMI parses back to its parts (v2 and v3)', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        major,
        fc.option(minor, { nil: undefined }),
        (segments, maj, min) => {
          const text = `dtmi:${segments.join(':')};${maj}${min === undefined ? '' : `.${min}`}`;
          const parsed = parseDtmi(text, 3);
          expect(parsed).toMatchObject({ segments, major: maj, minor: min, text });
          expect(isDtmi(text, 2)).toBe(min === undefined);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('property: the parser never throws and agrees with dtmiProblem on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^dtmi:[A-Za-z0-9_:;.]{0,20}$/)), (text) => {
        for (const v of [2, 3] as const)
          expect(parseDtmi(text, v) !== undefined).toBe(dtmiProblem(text, v) === undefined);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
