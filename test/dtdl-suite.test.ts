// The DTDL language's own labelled test suite (../shared/data/dtdl-spec, beside the clone; see its
// README): every case runs through ModelRegistry with its parser options and must get the suite's
// verdict, unless it is a known disagreement listed below and in docs/models.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseUserJson } from '../src/core/user-text.js';
import { ModelRegistry } from '../src/model/registry.js';

const SUITE = fileURLToPath(new URL('../../shared/data/dtdl-spec/', import.meta.url));
/** Files per version, as the suite's README counts them: fewer means a partial copy. */
const FILES = { v2: 929, v3: 895 } as const;
type Version = keyof typeof FILES;

/** Cases where Imverse knowingly differs from the suite, each with its reason (same table in docs/models.md). */
const KNOWN_DISAGREEMENTS: ReadonlyArray<{ version: Version; test: string; reason: string }> = [];

interface SpecCase {
  readonly valid: boolean;
  readonly options: readonly string[];
  readonly input: readonly unknown[];
}

const OPTIONS: Readonly<Record<string, boolean>> = {
  AllowUndefinedExtensions: true,
  DisallowUndefinedExtensions: false,
};

function suiteFolder(version: Version): string {
  const dir = join(SUITE, version, 'spec');
  if (!existsSync(dir))
    throw new Error(
      `the DTDL test suite is missing: expected ${dir} (a checkout of the shared data folder beside this repository)`,
    );
  return dir;
}

/** The registry's verdict on one case: undefined when it agrees, else what went wrong. */
function disagreement(spec: SpecCase): string | undefined {
  const unknown = spec.options.filter((o) => !(o in OPTIONS));
  if (unknown.length > 0) return `unknown parser option ${unknown.join(', ')}`;
  const registry = new ModelRegistry({
    allowUndefinedExtensions: spec.options.some((o) => OPTIONS[o] === true),
  });
  const issues = registry.validate(spec.input.map((content, i) => ({ source: `input[${i}]`, content })));
  if (spec.valid && issues.length > 0) {
    const first = issues[0];
    return `valid, but refused: ${first?.path || '/'} [${first?.rule}] ${first?.message}`;
  }
  if (!spec.valid && issues.length === 0) return 'invalid, but accepted';
  return undefined;
}

describe('the DTDL specification test suite', () => {
  for (const version of ['v2', 'v3'] as const) {
    it(`DTDL ${version}: every case agrees, or is a documented known disagreement`, () => {
      const dir = suiteFolder(version);
      const files = readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort();
      expect(files.length, `${dir} holds ${files.length} files, the suite ${FILES[version]}`).toBe(
        FILES[version],
      );
      const known = new Set(KNOWN_DISAGREEMENTS.filter((k) => k.version === version).map((k) => k.test));
      const unexpected: string[] = [];
      const stale: string[] = [];
      let total = 0;
      let agree = 0;
      for (const file of files) {
        // Most of the suite's files start with a byte-order mark, as users' model files often do.
        const cases = parseUserJson(readFileSync(join(dir, file), 'utf8')) as SpecCase[];
        cases.forEach((spec, index) => {
          const test = `${file}#${index}`;
          const problem = disagreement(spec);
          total++;
          if (problem === undefined) agree++;
          if (problem !== undefined && !known.has(test)) unexpected.push(`${test}: ${problem}`);
          if (problem === undefined && known.has(test)) stale.push(test);
        });
      }
      console.log(
        `DTDL ${version} suite: ${agree}/${total} cases agree (${((100 * agree) / total).toFixed(1)}%)`,
      );
      expect(unexpected, 'disagreements with the DTDL test suite').toEqual([]);
      expect(stale, 'known disagreements that now agree: drop them here and in docs/models.md').toEqual([]);
    });
  }

  it('docs/models.md lists exactly the known disagreements', () => {
    const doc = readFileSync(new URL('../docs/models.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| (v[23]) +\| `([^`]+#\d+)` +\|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(documented.sort()).toEqual(KNOWN_DISAGREEMENTS.map((k) => `${k.version} ${k.test}`).sort());
  });
});
