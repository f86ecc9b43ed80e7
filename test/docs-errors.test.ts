// Keeps docs/errors.md honest: every code is documented with its status, and nothing documented is gone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RETIRED_CODES } from '../src/core/errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `(IMV_[A-Z_]+)` +\| (\d{3}) +\|/gm)].map((match) => [match[1]!, Number(match[2])]),
);

describe('docs/errors.md', () => {
  it('documents every error code with its HTTP status', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(rows.get(code), `${code} missing from docs/errors.md`).toBe(spec.status);
    }
  });

  it('documents no code that does not exist', () => {
    for (const code of rows.keys()) {
      expect(code in ERROR_CODES || RETIRED_CODES.includes(code), `${code} is documented but gone`).toBe(
        true,
      );
    }
  });
});
