// `imverse sim run PLANT.yaml`: a what-if study from the command line, with a progress bar, a KPI table and a report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readUserText } from '../server/user-files.js';
import { negotiateLocale, type Locale } from '../core/i18n.js';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Presets, SingleBar } from 'cli-progress';
import { parse as parseYaml } from 'yaml';
import type { ImverseError } from '../core/errors.js';
import { isImverseError, type Issue } from '../core/errors.js';
import {
  BASE_SCENARIO,
  StudyDefinitionError,
  formatEstimate,
  formatNumber,
  parseStudyDefinition,
  renderStudyReport,
  stationLabel,
  type StudyResult,
} from '../sim/study/index.js';
import { checkStudyModel } from '../server/studies/check-model.js';
import { PLANT_MODEL_MODULE } from '../server/studies/load-model.js';
import { runStudy } from '../server/studies/run-study.js';

export interface SimRunOptions {
  horizon?: string;
  warmup?: string;
  replications?: number;
  seed?: number;
  scenario?: string[];
  workers?: number;
  out?: string;
  json?: boolean;
  /** The report's language (en, zh-CN); default from LC_ALL, LC_MESSAGES or LANG. */
  lang?: string;
  /** For tests: a model module (file path or URL) in place of the plant simulation. */
  modelModule?: string;
}

export async function simRunCommand(file: string, options: SimRunOptions): Promise<number> {
  const text = readText(file, '/plant');
  const scenarios: Record<string, unknown> = {};
  let base: unknown;
  for (const [i, spec] of (options.scenario ?? []).entries()) {
    const match = /^([^=]+)=(.+)$/.exec(spec);
    if (match === null) {
      throw new StudyDefinitionError(`--scenario "${spec}": write NAME=FILE.yaml`, {
        path: `/scenarios/${i}`,
      });
    }
    const [, name, scenarioFile] = match as unknown as [string, string, string];
    const overrides = readYaml(scenarioFile, `/scenarios/${name}`);
    if (name === BASE_SCENARIO) base = overrides;
    else scenarios[name] = overrides;
  }
  const study = parseStudyDefinition({
    name: `${basename(file)} study`,
    ...(options.horizon === undefined ? {} : { horizon: options.horizon }),
    ...(options.warmup === undefined ? {} : { warmup: options.warmup }),
    ...(options.replications === undefined ? {} : { replications: options.replications }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(base === undefined ? {} : { base }),
    scenarios,
  });
  const moduleUrl = options.modelModule === undefined ? PLANT_MODEL_MODULE : moduleUrlOf(options.modelModule);
  const model = { file, text };
  try {
    await checkStudyModel(moduleUrl, model, study);
  } catch (error) {
    if (!isImverseError(error) || error.issues.length === 0) throw error;
    printIssues(error);
    return 1;
  }

  const workers = options.workers ?? availableParallelism();
  const bar = new SingleBar(
    {
      format: 'simulating [{bar}] {percentage}% | {value}/{total} replications | {scenarios}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const total = study.replications * (study.scenarios.length + 1);
  if (!options.json) bar.start(total, 0, { scenarios: '' });
  const started = performance.now();
  let result: StudyResult;
  try {
    result = await runStudy({
      study,
      model,
      moduleUrl,
      workers,
      onProgress: (p) => {
        if (!options.json)
          bar.update(p.done, {
            scenarios: p.scenarios.map((s) => `${s.name} ${s.done}/${s.total}`).join(', '),
          });
      },
    });
  } finally {
    if (!options.json) bar.stop();
  }
  const seconds = (performance.now() - started) / 1000;

  const out = resolve(options.out ?? join('sim-results', timestamp()));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(out, 'report.html'), renderStudyReport(result, reportLocale(options.lang)));
  if (options.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(kpiTable(result));
    for (const comparison of result.comparisons) console.log(comparison.summary);
    console.log(
      `\n${total} replications on ${Math.min(workers, total) || 1} thread(s) in ${seconds.toFixed(1)} s; wrote ${join(out, 'result.json')} and ${join(out, 'report.html')}`,
    );
  }
  return 0;
}

/** Each issue as `file:line:col field: message`, the position taken from the issue or its message. */
export function issueLine(issue: Issue & { line?: number; col?: number }): string {
  let { message } = issue;
  let where = issue.file ?? '';
  if (typeof issue.line === 'number' && issue.line > 0) {
    where = `${where}:${issue.line}:${issue.col ?? 1}`;
  } else if (issue.line === undefined) {
    // The plant parser puts the position at the head of its message: file:line:col: text.
    const match = /^(.*):(\d+):(\d+): ([\s\S]*)$/.exec(message);
    if (match !== null) {
      where = `${match[1]}:${match[2]}:${match[3]}`;
      message = match[4]!;
    }
  }
  return `${where ? `${where} ` : ''}${issue.path || '/'}: ${message}`;
}

function printIssues(error: ImverseError): void {
  console.error(`error ${error.code}: ${error.message}`);
  for (const issue of error.issues) console.error(`  ${issueLine(issue)}`);
  console.error(`hint: ${error.hint}`);
}

function kpiTable(result: StudyResult): string {
  const header = ['scenario', 'throughput', 'lead time', 'WIP', 'bottleneck'];
  const rows = result.scenarios.map((s) => [
    s.name,
    ...['throughput', 'leadTime', 'wip'].map((m) => (s.metrics[m] ? formatEstimate(m, s.metrics[m]) : '–')),
    s.bottleneck === null
      ? '–'
      : `${stationLabel(result.stationNames, s.bottleneck.station)} (active ${formatNumber(s.bottleneck.active * 100)}%)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `\n${result.study.name}: mean ± 95% confidence half width over ${result.study.replications} replications`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

function readText(file: string, path: string): string {
  try {
    return readUserText(file);
  } catch (error) {
    throw new StudyDefinitionError(`Cannot read ${file}: ${(error as Error).message}`, {
      path,
      cause: error,
    });
  }
}

function readYaml(file: string, path: string): unknown {
  const text = readText(file, path);
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new StudyDefinitionError(`${file}: ${(error as Error).message}`, { path, cause: error });
  }
}

function moduleUrlOf(spec: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)
    ? spec
    : pathToFileURL(resolve(spec)).href;
}

/** 2026-11-25T10-31-09: sorts by time and is a valid directory name everywhere. */
function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/:/g, '-');
}

/** --lang, else the shell's locale (`zh_CN.UTF-8` reads Simplified Chinese), else English. */
function reportLocale(lang: string | undefined): Locale {
  const { LC_ALL, LC_MESSAGES, LANG } = process.env;
  const shell = [LC_ALL, LC_MESSAGES, LANG].map((value) => value?.split('.')[0]);
  return negotiateLocale([lang, ...shell.filter((value) => value !== 'C' && value !== 'POSIX')]);
}
