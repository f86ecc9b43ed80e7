import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_MESSAGES } from '../web/src/i18n/admin.js';
import { DASHBOARD_MESSAGES } from '../web/src/i18n/dashboard.js';
import { WORLD_MESSAGES } from '../web/src/i18n/world.js';
import { parseStudyDefinition } from '../src/sim/study/definition.js';
import { renderStudyReport } from '../src/sim/study/report-html.js';
import { summarizeStudy } from '../src/sim/study/result.js';
import {
  catalogueProblems,
  LOCALES,
  localeFormat,
  negotiateLocale,
  parseAcceptLanguage,
  requestLocale,
  translator,
  type Catalogue,
} from '../src/core/i18n.js';
import { START_PAGE_MESSAGES } from '../src/server/routes/start-page-messages.js';
import { STUDY_REPORT_MESSAGES } from '../src/sim/study/report-messages.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every page bundle's catalogue, by the file that defines it: a new page adds its own here. */
const CATALOGUES: Readonly<Record<string, Catalogue>> = {
  'web/src/i18n/world.ts': WORLD_MESSAGES,
  'web/src/i18n/dashboard.ts': DASHBOARD_MESSAGES,
  'web/src/i18n/admin.ts': ADMIN_MESSAGES,
  'src/server/routes/start-page-messages.ts': START_PAGE_MESSAGES,
  'src/sim/study/report-messages.ts': STUDY_REPORT_MESSAGES,
};

/** Static HTML and the catalogue its data-i18n attributes and t('…') calls look up. */
const PAGES: ReadonlyArray<readonly [string, Catalogue]> = [
  ['web/index.html', WORLD_MESSAGES],
  ['web/dashboard.html', DASHBOARD_MESSAGES],
  ['web/admin.html', ADMIN_MESSAGES],
  ['src/server/public/index.html', START_PAGE_MESSAGES],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('locale negotiation', () => {
  it('takes the first supported language, by exact tag or by language', () => {
    expect(negotiateLocale(['zh-CN'])).toBe('zh-CN');
    expect(negotiateLocale(['ZH-cn'])).toBe('zh-CN');
    expect(negotiateLocale(['zh'])).toBe('zh-CN');
    expect(negotiateLocale(['zh-Hans-CN'])).toBe('zh-CN');
    expect(negotiateLocale(['de-DE', 'en-GB', 'zh-CN'])).toBe('en');
    expect(negotiateLocale(['fr', 'zh_CN'])).toBe('zh-CN');
    expect(negotiateLocale([null, undefined, ''])).toBe('en');
    expect(negotiateLocale(['de'])).toBe('en');
  });

  it('reads Accept-Language by weight, leaving out what is not wanted', () => {
    expect(parseAcceptLanguage('en;q=0.5, zh-CN, zh;q=0.9')).toEqual(['zh-CN', 'zh', 'en']);
    expect(parseAcceptLanguage('zh-CN;q=0, en')).toEqual(['en']);
    expect(parseAcceptLanguage('*')).toEqual([]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(requestLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(requestLocale('en', 'zh-CN')).toBe('en');
    expect(requestLocale(['zh-CN'], 'en')).toBe('en');
  });
});

describe('messages', () => {
  it('fills parameters, numbers the locale’s way, and falls back to English', () => {
    const catalogue = {
      en: { twins: '{count} twins in {plant}', only: 'English' },
      'zh-CN': { twins: '{plant} 中有 {count} 个孪生体', only: '' },
    } as Catalogue<'twins' | 'only'>;
    expect(translator(catalogue, 'en')('twins', { count: 12345, plant: 'Plant 1' })).toBe(
      '12,345 twins in Plant 1',
    );
    expect(translator(catalogue, 'zh-CN')('twins', { count: 3, plant: 'Plant 1' })).toBe(
      'Plant 1 中有 3 个孪生体',
    );
    expect(catalogueProblems(catalogue)).toEqual(['zh-CN has no "only"']);
  });

  it('finds keys missing from a locale, extra keys and parameters that differ', () => {
    const broken = {
      en: { a: 'A {x}', b: 'B' },
      'zh-CN': { a: 'A {y}', c: 'C' },
    } as unknown as Catalogue;
    expect(catalogueProblems(broken)).toEqual([
      'zh-CN "a" has parameters {y}, English {x}',
      'zh-CN has no "b"',
      'zh-CN has "c", which English does not',
    ]);
  });

  it('writes numbers, shares and times for each locale', () => {
    expect(localeFormat('en').percent(0.853)).toBe('85.3%');
    expect(localeFormat('zh-CN').percent(0.853)).toBe('85.3%');
    expect(localeFormat('en').number(1234.56)).toBe('1,234.6');
    expect(localeFormat('zh-CN').dateTime(Date.UTC(2026, 0, 15, 12))).toMatch(/2026年1月15日/);
  });
});

describe('every page speaks every locale', () => {
  for (const [file, catalogue] of Object.entries(CATALOGUES)) {
    it(`${file} has every string in ${LOCALES.join(' and ')}`, () => {
      expect(catalogueProblems(catalogue)).toEqual([]);
    });
  }

  it('checks every catalogue there is', () => {
    const defining = [...sourceFiles(join(ROOT, 'web/src')), ...sourceFiles(join(ROOT, 'src'))]
      .filter((path) => /\bdefineCatalogue\(/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path))
      .filter((path) => path !== 'src/core/i18n.ts');
    expect(defining.sort()).toEqual(Object.keys(CATALOGUES).sort());
  });

  for (const [file, catalogue] of PAGES) {
    it(`${file} looks up only strings its catalogue has`, () => {
      const html = readFileSync(join(ROOT, file), 'utf8');
      const keys = [
        ...[...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]!),
        ...[...html.matchAll(/\bt\('([^']+)'/g)].map((m) => m[1]!),
      ];
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !(key in catalogue.en))).toEqual([]);
    });
  }

  it('writes the study report in the locale asked for, the study’s own names untouched', () => {
    const study = parseStudyDefinition({ name: 'Line 2 welders', horizon: '1d', replications: 2 });
    const output = {
      metrics: { throughput: 40, leadTime: 3000, wip: 4, 'station.weld.utilisation': 0.8 },
      traces: { throughputPerHour: [40, 41], wipPerHour: [4, 5], leadTimes: [1000, 1200] },
      events: 100,
    };
    const result = summarizeStudy(study, 'plant.yaml', [[output, output]]);
    const english = renderStudyReport(result);
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Throughput over time');
    const chinese = renderStudyReport(result, 'zh-CN');
    expect(chinese).toContain('<html lang="zh-CN">');
    expect(chinese).toContain('<h2>产量随时间的变化</h2>');
    expect(chinese).toContain('<title>Line 2 welders – Imverse 仿真研究</title>');
    expect(chinese).not.toContain('Throughput over time');
  });
});
