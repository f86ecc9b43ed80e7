// The `imverse` command as a user runs it: validate models, import a plant, query, tokens.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-cli-'));
  dirs.push(dir);
  return dir;
}

function imverse(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('imverse CLI', () => {
  it('imports the demo plant into an empty data directory, then queries it', () => {
    const data = tempDir();
    const imported = imverse('twin', 'import', 'examples/demo-plant.yaml', '--data', data);
    expect(imported.err).not.toContain('error');
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/imported 2\d\d twins and \d+ relationships/);

    const lines = imverse(
      'query',
      "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:imverse:Line;1')",
      '--data',
      data,
    );
    expect(lines.code).toBe(0);
    expect((JSON.parse(lines.out) as { value: unknown[] }).value).toHaveLength(4);

    // A second import of the same plant is refused as a whole and changes nothing.
    const again = imverse('twin', 'import', 'examples/demo-plant.yaml', '--data', data);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/error IMV_TWIN_EXISTS/);
    const count = imverse('query', 'SELECT COUNT() FROM DIGITALTWINS', '--data', data);
    expect(JSON.parse(count.out).value[0].COUNT).toBeGreaterThan(200);
    expect(JSON.parse(count.out).value[0].COUNT).toBeLessThan(300);
  });

  it('reports a broken plant file with its line and imports nothing', () => {
    const data = tempDir();
    const file = join(data, 'broken.yaml');
    writeFileSync(
      file,
      'imverse: plant/v1\nprefix: 88.100.9\ntwins:\n  - id: a\n    model: Machine\n    properties: { state: exploded }\n',
    );
    const result = imverse('twin', 'import', file, '--data', data);
    expect(result.code).toBe(1);
    expect(result.err).toContain('IMV_IMPORT_INVALID');
    expect(result.err).toContain('/twins/0/properties/state');
    const count = imverse('query', 'SELECT COUNT() FROM DIGITALTWINS', '--data', data);
    expect(JSON.parse(count.out).value).toEqual([{ COUNT: 0 }]);
  });

  it('leaves no data directory, not even empty files, when an import into a new one fails', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      '\uFEFFimverse: plant/v1\nprefix: 88.100.9\ntwins:\n  - id: a\n    model: Machine\n    properties: { state: exploded }\n',
    );
    const data = join(dir, 'data');
    for (const command of [
      ['twin', 'import'],
      ['plant', 'apply'],
    ]) {
      const result = imverse(...command, file, '--data', data);
      expect(result.code, command.join(' ')).toBe(1);
      expect(result.err).toContain('IMV_IMPORT_INVALID');
      expect(existsSync(data), command.join(' ')).toBe(false);
    }
    // In a data directory that holds a plant, a refused import adds no file and no twin.
    expect(imverse('twin', 'import', 'examples/demo-plant.yaml', '--data', data).code).toBe(0);
    const before = readdirSync(data).sort();
    expect(imverse('twin', 'import', file, '--data', data).code).toBe(1);
    expect(readdirSync(data).sort()).toEqual(before);
  }, 120_000);

  it('applies a changed plant file: the plan on a dry run, then the changes', () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const file = join(dir, 'plant.yaml');
    const plant = (name: string) =>
      `imverse: plant/v1\nprefix: 88.100.9\ntwins:\n  - id: line\n    model: Line\n    properties: { name: ${name} }\n    contains:\n      - { id: line/filler, model: Station, properties: { stationType: filling } }\n`;
    writeFileSync(file, plant('Bottling'));
    const created = imverse('plant', 'apply', file, '--data', data);
    expect(created.code).toBe(0);
    expect(created.out).toContain('2 to create');
    expect(created.out).toContain('+ 88.100.9/line/filler');

    writeFileSync(file, plant('Bottling 1'));
    const dry = imverse('plant', 'apply', file, '--data', data, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('dry run: nothing was changed');
    expect(dry.out).toContain('~ 88.100.9/line (name)');
    const applied = imverse('plant', 'apply', file, '--data', data, '--json');
    expect(JSON.parse(applied.out)).toMatchObject({ applied: true, counts: { twins: { update: 1 } } });
    const again = imverse('plant', 'apply', file, '--data', data);
    expect(again.out).toContain('already matches the file');
  }, 120_000);

  it('validates DTDL files, naming file, path and rule of each problem', () => {
    const dir = tempDir();
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(
      good,
      JSON.stringify({
        '@context': 'dtmi:dtdl:context;3',
        '@id': 'dtmi:acme:Oven;1',
        '@type': 'Interface',
        extends: 'dtmi:imverse:Machine;1',
        contents: [{ '@type': 'Property', name: 'setpoint', schema: 'double' }],
      }),
    );
    writeFileSync(
      bad,
      JSON.stringify({
        '@context': 'dtmi:dtdl:context;3',
        '@id': 'dtmi:acme:Bad;1',
        '@type': 'Interface',
        contents: [{ '@type': 'Property', name: '1nvalid', schema: 'double' }],
      }),
    );
    const ok = imverse('model', 'validate', good);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('1 file(s) valid');
    const failed = imverse('model', 'validate', good, bad);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/bad\.json: \/contents\/0\/name: .*\[.+\]/);
  });

  it('creates a token limited to tenant prefixes', () => {
    const result = imverse(
      'token',
      'create',
      '--role',
      'reader',
      '--prefix',
      '88.100.1',
      '--prefix',
      'acme',
      '--data',
      tempDir(),
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/created viewer token \w+ for "cli" limited to 88\.100\.1, ACME:\nimv_/);
  });

  it('rejects bad arguments with a clear message', () => {
    expect(imverse('start', '--port', 'eighty').err).toContain('a port number');
    const token = imverse('token', 'create', '--role', 'god', '--data', tempDir());
    expect(token.code).toBe(1);
    expect(token.err).toContain('--role must be one of viewer, operator, engineer, admin, partner, customer');
  });
});
