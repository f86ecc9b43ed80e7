// `imverse sim run` as a user runs it: a study with a report, JSON output, and clear errors on bad input.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_LINE } from './fixtures/study-model.js';

const MODEL = 'test/fixtures/study-model.ts';
const dir = mkdtempSync(join(tmpdir(), 'imverse-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const line = join(dir, 'line.json');
writeFileSync(line, FIXTURE_LINE);
const faster = join(dir, 'faster.yaml');
writeFileSync(faster, 'stations:\n  weld:\n    processing: 60\n');

function imverse(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'run', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('imverse sim run', () => {
  it('prints the KPI table with intervals and the bottleneck, and writes result.json and report.html', () => {
    const out = join(dir, 'run-1');
    const run = imverse(
      line,
      '--model-module',
      MODEL,
      '--horizon',
      '12h',
      '--warmup',
      '1h',
      '--replications',
      '5',
      '--scenario',
      `faster=${faster}`,
      '--workers',
      '2',
      '--out',
      out,
    );
    expect(run.err).not.toContain('error');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/scenario\s+throughput\s+lead time\s+WIP\s+bottleneck/);
    expect(run.out).toMatch(/base\s+[\d.]+ ± [\d.]+ units\/h\s+[\d.]+ ± [\d.]+ min/);
    expect(run.out).toMatch(/weld \(active [\d.]+%\)/);
    expect(run.out).toMatch(/faster vs base: .*lead time better/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.format).toBe('imverse-study-result/v1');
    expect(result.study).toMatchObject({ horizon: 43_200, warmup: 3600, replications: 5, seed: 1 });
    expect(result.scenarios.map((s: { name: string }) => s.name)).toEqual(['base', 'faster']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('prints the result as JSON with --json, the same for any number of workers', () => {
    const one = imverse(
      line,
      '--model-module',
      MODEL,
      '--horizon',
      '6h',
      '--warmup',
      '0',
      '--replications',
      '3',
      '--workers',
      '0',
      '--json',
      '--out',
      join(dir, 'run-2'),
    );
    const two = imverse(
      line,
      '--model-module',
      MODEL,
      '--horizon',
      '6h',
      '--warmup',
      '0',
      '--replications',
      '3',
      '--workers',
      '2',
      '--json',
      '--out',
      join(dir, 'run-3'),
    );
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out).scenarios[0].metrics.throughput.n).toBe(3);
    expect(two.out).toBe(one.out);
  });

  it('studies the demo plant with the plant simulation', () => {
    const two = join(dir, 'two-welders.yaml');
    writeFileSync(two, 'stations:\n  line-3/st-08:\n    machines: 2\n');
    const run = imverse(
      'examples/demo-plant.yaml',
      '--horizon',
      '2h',
      '--replications',
      '2',
      '--json',
      '--scenario',
      `two-welders=${two}`,
      '--lang',
      'zh-CN',
      '--out',
      join(dir, 'demo'),
    );
    expect(run.err).not.toContain('error');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result.plant).toBe('examples/demo-plant.yaml');
    expect(result.study.warmup).toBeNull();
    const base = result.scenarios[0];
    expect(base.metrics.throughput.n).toBe(2);
    expect(Object.keys(base.metrics)).toContain('station.line-3/st-08.utilisation');
    expect(base.bottleneck.station).toMatch(/^line-\d\/st-\d\d$/);
    expect(result.scenarios[1].overrides).toEqual({ stations: { 'line-3/st-08': { machines: 2 } } });
    // The report speaks the language asked for; the plant's names stay as written.
    const report = readFileSync(join(dir, 'demo', 'report.html'), 'utf8');
    expect(report).toContain('<html lang="zh-CN">');
    expect(report).toContain('two-welders');
  });

  it('stops on a bad plant file before any run, naming file, line, column and field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    const run = imverse(bad, '--model-module', MODEL, '--out', join(dir, 'run-4'));
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${bad}:1:1 /: not JSON`);
    expect(existsSync(join(dir, 'run-4'))).toBe(false);

    // The plant parser's positions, with the real plant model.
    const plant = join(dir, 'plant.yaml');
    writeFileSync(plant, 'imverse: plant/v1\nprefix: 88.100.9\ntwins:\n  - id: a\n    colour: red\n');
    const parsed = imverse(plant, '--out', join(dir, 'run-5'));
    expect(parsed.code).toBe(1);
    expect(parsed.err).toContain('error IMV_IMPORT_INVALID');
    expect(parsed.err).toMatch(new RegExp(`${plant.replace(/[.]/g, '\\.')}:\\d+:\\d+ /twins/0\\S*: `));
  });

  it('refuses bad options with the study error and its field', () => {
    const run = imverse(line, '--model-module', MODEL, '--horizon', '10x');
    expect(run.code).toBe(1);
    expect(run.err).toContain('error IMV_STUDY_INVALID');
    expect(run.err).toContain('/horizon');
    const scenario = imverse(line, '--model-module', MODEL, '--scenario', 'no-equals-sign');
    expect(scenario.code).toBe(1);
    expect(scenario.err).toContain('NAME=FILE.yaml');
    const missing = imverse(join(dir, 'missing.yaml'), '--model-module', MODEL);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/Cannot read .*missing\.yaml/);
  });
});
