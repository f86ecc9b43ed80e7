// The study report: one self-contained HTML page (no scripts, no external fonts) with inline SVG plots.
import { translator, type Locale } from '../../core/i18n.js';
import { STUDY_REPORT_MESSAGES } from './report-messages.js';
import { formatDuration } from './duration.js';
import { escapeHtml } from './escape-html.js';
import { KEY_METRICS, type ScenarioComparison } from './compare.js';
import { stationIds } from './bottleneck.js';
import { formatEstimate, formatNumber, formatSeconds, formatValue, stationLabel } from './format.js';
import type { StudyResult, ScenarioResult } from './result.js';
import { barChart, histogramChart, lineChart, type Bar } from './svg-charts.js';

const STATION_FIELDS = [
  'utilisation',
  'oee',
  'availability',
  'performance',
  'quality',
  'blocked',
  'starved',
  'down',
] as const;

type StationNames = Readonly<Record<string, string>> | undefined;

/** A station by its plant-file name, its id beside it in small print and as the tooltip. */
function stationHtml(names: StationNames, id: string): string {
  const name = names?.[id];
  if (name === undefined || name === id) return escapeHtml(id);
  return `<span title="${escapeHtml(id)}">${escapeHtml(name)}</span> <span class="small">${escapeHtml(id)}</span>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;white-space:nowrap}th:first-child,td:first-child{text-align:left}
thead th{background:#f4f4f4}.meta{color:#555}.better{color:#0a6b2d;font-weight:600}.worse{color:#a3231f;font-weight:600}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}svg{max-width:100%;height:auto;background:#fff}
.tick{font-size:11px;fill:#444}.label{font-size:12px;fill:#222}
.legend span{margin-right:1rem;white-space:nowrap}.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
.small{font-size:12px;color:#555}`;

/** The whole report page for a finished study, its prose in `locale` (the figures' tables stay English). */
export function renderStudyReport(result: StudyResult, locale: Locale = 'en'): string {
  const { study } = result;
  const names = result.scenarios.map((s) => s.name);
  const t = translator(STUDY_REPORT_MESSAGES, locale);
  const warmup =
    study.warmup === null
      ? t('meta.warmup.file')
      : t('meta.warmup', { duration: formatDuration(study.warmup) });
  const meta = [
    t('meta.horizon', { horizon: formatDuration(study.horizon), warmup }),
    t('meta.replications', { count: study.replications }),
    t('meta.seed', { seed: String(study.seed) }),
    t('meta.scenarios', { names: names.join(', ') }),
  ];
  const sections = [
    `<h1>${escapeHtml(study.name)}</h1>`,
    `<p class="meta">${escapeHtml(t('meta.plant'))} <code>${escapeHtml(result.plant)}</code> · ${meta.map(escapeHtml).join(' · ')}</p>`,
    `<p class="small">${escapeHtml(t('note.interval', { level: Math.round(result.confidenceLevel * 100) }))}</p>`,
    keyTable(result.scenarios, result.stationNames),
    comparisonSection(result.comparisons),
    `<h2>${escapeHtml(t('h.throughput'))}</h2>`,
    lineChart(
      t('chart.throughput'),
      result.scenarios.map((s) => ({ name: s.name, values: s.traces.throughputPerHour })),
      t('axis.hour'),
      t('axis.unitsPerHour'),
    ),
    `<h2>${escapeHtml(t('h.utilisation'))}</h2>`,
    barChart(
      t('chart.utilisation'),
      utilisationBars(result.scenarios, result.stationNames),
      t('axis.utilisation'),
      1,
    ),
    stationTables(result.scenarios, result.stationNames),
    `<h2>${escapeHtml(t('h.wip'))}</h2>`,
    lineChart(
      t('chart.wip'),
      result.scenarios.map((s) => ({ name: s.name, values: s.traces.wipPerHour })),
      t('axis.hour'),
      t('axis.units'),
    ),
    `<h2>${escapeHtml(t('h.leadTime'))}</h2>`,
    ...result.scenarios.map((s, k) =>
      histogramChart(
        t('chart.leadTime', {
          scenario: s.name,
          count: s.traces.leadTime.total,
          median: formatSeconds(s.traces.leadTime.quantiles.p50),
          p90: formatSeconds(s.traces.leadTime.quantiles.p90),
        }),
        s.traces.leadTime.edges,
        s.traces.leadTime.counts,
        t('axis.leadTime'),
        formatSeconds,
        k,
      ),
    ),
    `<h2>${escapeHtml(t('h.all'))}</h2>`,
    allMetricsTable(result.scenarios),
  ];
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('title', { study: study.name }))}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

function keyTable(scenarios: readonly ScenarioResult[], names: StationNames): string {
  const metrics = [...KEY_METRICS.map((k) => k.metric), ...variantMetrics(scenarios)];
  const label = (metric: string): string => KEY_METRICS.find((k) => k.metric === metric)?.label ?? metric;
  const header = `<tr><th>scenario</th>${metrics.map((m) => `<th>${escapeHtml(label(m))}</th>`).join('')}<th>bottleneck</th></tr>`;
  const rows = scenarios.map((s) => {
    const cells = metrics.map(
      (m) => `<td>${escapeHtml(s.metrics[m] ? formatEstimate(m, s.metrics[m]) : '–')}</td>`,
    );
    const b = s.bottleneck;
    const bottleneck =
      b === null
        ? '–'
        : `${stationHtml(names, b.station)} ${escapeHtml(`(active ${formatNumber(b.active * 100)}%, most active in ${Math.round(b.shareOfReplications * 100)}% of replications)`)}`;
    return `<tr><td>${escapeHtml(s.name)}</td>${cells.join('')}<td>${bottleneck}</td></tr>`;
  });
  return `<h2>Key figures</h2><table><thead>${header}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function comparisonSection(comparisons: readonly ScenarioComparison[]): string {
  if (comparisons.length === 0) return '';
  const header =
    '<tr><th>alternative vs base</th><th>metric</th><th>difference (alternative − base)</th><th>relative</th><th>verdict</th></tr>';
  const rows = comparisons.flatMap((c) =>
    c.key.map((k) => {
      const diff = k.difference;
      const text =
        diff.mean === null
          ? '–'
          : `${formatValue(k.metric, diff.mean, diff.mean)} [${formatValue(k.metric, diff.low, diff.mean)}, ${formatValue(k.metric, diff.high, diff.mean)}]`;
      const relative =
        k.relative === null ? '–' : `${k.relative > 0 ? '+' : ''}${formatNumber(k.relative * 100)}%`;
      const cls = k.verdict === 'better' ? ' class="better"' : k.verdict === 'worse' ? ' class="worse"' : '';
      return `<tr><td>${escapeHtml(`${c.alternative} vs ${c.base}`)}</td><td>${escapeHtml(k.metric)}</td><td>${escapeHtml(text)}</td><td>${escapeHtml(relative)}</td><td${cls}>${escapeHtml(k.verdict)}</td></tr>`;
    }),
  );
  const summaries = comparisons.map((c) => `<li>${escapeHtml(c.summary)}</li>`).join('');
  return `<h2>Comparison</h2><ul>${summaries}</ul><table><thead>${header}</thead><tbody>${rows.join('')}</tbody></table>
<p class="small">A difference is significant when its 95% paired-t interval excludes zero. Higher throughput is better; lower lead time and WIP are better.</p>`;
}

function utilisationBars(scenarios: readonly ScenarioResult[], names: StationNames): Bar[] {
  const stations = stationIds(scenarios.flatMap((s) => Object.keys(s.replications[0] ?? s.metrics)));
  return stations.flatMap((station) =>
    scenarios.map((s) => {
      const m = s.metrics[`station.${station}.utilisation`];
      return {
        group: stationLabel(names, station),
        series: s.name,
        value: m?.mean ?? null,
        low: m?.low ?? null,
        high: m?.high ?? null,
      };
    }),
  );
}

function stationTables(scenarios: readonly ScenarioResult[], names: StationNames): string {
  return scenarios
    .map((s) => {
      const stations = stationIds(Object.keys(s.replications[0] ?? s.metrics));
      if (stations.length === 0) return '';
      const header = `<tr><th>station</th>${STATION_FIELDS.map((f) => `<th>${f}</th>`).join('')}</tr>`;
      const rows = stations.map((id) => {
        const cells = STATION_FIELDS.map((field) => {
          const name = `station.${id}.${field}`;
          const m = s.metrics[name];
          return `<td>${escapeHtml(m ? formatEstimate(name, m) : '–')}</td>`;
        });
        return `<tr><td>${stationHtml(names, id)}</td>${cells.join('')}</tr>`;
      });
      return `<h3>Stations, ${escapeHtml(s.name)}</h3><table><thead>${header}</thead><tbody>${rows.join('')}</tbody></table>`;
    })
    .join('');
}

function allMetricsTable(scenarios: readonly ScenarioResult[]): string {
  const names = [...new Set(scenarios.flatMap((s) => Object.keys(s.metrics)))].sort();
  const header = `<tr><th>metric</th>${scenarios.map((s) => `<th>${escapeHtml(s.name)}</th>`).join('')}</tr>`;
  const rows = names.map((name) => {
    const cells = scenarios.map(
      (s) => `<td>${escapeHtml(s.metrics[name] ? formatEstimate(name, s.metrics[name]) : '–')}</td>`,
    );
    return `<tr><td>${escapeHtml(name)}</td>${cells.join('')}</tr>`;
  });
  return `<details><summary>${names.length} metrics per scenario</summary><table><thead>${header}</thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function variantMetrics(scenarios: readonly ScenarioResult[]): string[] {
  return [...new Set(scenarios.flatMap((s) => Object.keys(s.metrics)))]
    .filter((m) => m.startsWith('throughput.'))
    .sort();
}
