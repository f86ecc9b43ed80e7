// Keeps the architecture rules of `npm run lint` honest: they must catch what they claim to.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
const probeDir = new URL('../src/core/__lint_probe__/', import.meta.url).pathname;
afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

const ruleIds = async (code: string, filePath: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId);

describe('lint rules', () => {
  it('forbid storage and network libraries in domain code, but allow them in adapters', async () => {
    const code =
      "import Database from 'better-sqlite3';\nexport const open = () => new Database(':memory:');\n";
    expect(await ruleIds(code, 'src/twin/graph-helper.ts')).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        'src/model/x.ts',
      ),
    ).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/twin/sqlite-thing.ts')).not.toContain('no-restricted-imports');
  });

  it('forbid domain code from importing the server or the CLI', async () => {
    const code = "import { buildApp } from '../server/app.js';\nexport const b = buildApp;\n";
    expect(await ruleIds(code, 'src/twin/x.ts')).toContain('no-restricted-imports');
  });

  it('detect import cycles', async () => {
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(`${probeDir}a.ts`, "import { b } from './b.js';\nexport const a = (): unknown => b;\n");
    writeFileSync(`${probeDir}b.ts`, "import { a } from './a.js';\nexport const b = (): unknown => a;\n");
    const [result] = await eslint.lintFiles([`${probeDir}a.ts`]);
    expect(result!.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });
});
