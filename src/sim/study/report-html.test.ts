import { describe, expect, it } from 'vitest';
import { parseStudyDefinition } from './definition.js';
import type { ReplicationOutput } from './model.js';
import { renderStudyReport } from './report-html.js';
import { summarizeStudy } from './result.js';

const EVIL = '<script>alert("x")</script>&';

function output(r: number, shift: number): ReplicationOutput {
  return {
    metrics: {
      throughput: 40 + r + shift,
      'throughput.red': 20 + r,
      leadTime: 3000 + 60 * r - shift,
      wip: 4 + r,
      [`station.${EVIL}.utilisation`]: 0.5 + r / 100,
      'station.weld.utilisation': 0.8,
      'station.weld.oee': 0.7,
      'station.weld.blocked': 0.05,
      'station.weld.starved': 0.1,
      'station.weld.down': 0.05,
      'buffer.b1.level': 3,
    },
    traces: {
      throughputPerHour: Array.from({ length: 48 }, (_, h) => 40 + (h % 5) + shift),
      wipPerHour: Array.from({ length: 48 }, (_, h) => 4 + (h % 3)),
      leadTimes: Array.from({ length: 200 }, (_, i) => 1000 + ((i * 37) % 400) * 10),
    },
    events: 5000,
  };
}

function report(): string {
  const study = parseStudyDefinition({
    name: `Line 2 ${EVIL}`,
    horizon: '2d',
    warmup: '6h',
    replications: 4,
    scenarios: { 'more-welders': { stations: { weld: { machines: 2 } } } },
  });
  return renderStudyReport(
    summarizeStudy(study, `plant-${EVIL}.yaml`, [
      [0, 1, 2, 3].map((r) => output(r, 0)),
      [0, 1, 2, 3].map((r) => output(r, 5)),
    ]),
  );
}

/** Every element that is opened is closed, in order (void elements aside): the page is well-formed. */
function unbalancedTags(html: string): string[] {
  const voids = new Set(['meta', 'br', 'img', 'input', 'link', 'hr']);
  const stack: string[] = [];
  const problems: string[] = [];
  const body = html.replace(/<!doctype html>/i, '').replace(/<style>[\s\S]*?<\/style>/, '');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    const tag = name!.toLowerCase();
    if (voids.has(tag) || selfClosing === '/') continue;
    if (closing === '') stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`unexpected </${tag}> at ${match.index}`);
  }
  return [...problems, ...stack.map((tag) => `unclosed <${tag}>`)];
}

describe('renderStudyReport', () => {
  const html = report();

  it('is one well-formed, self-contained page', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(unbalancedTags(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
    // The only URL is the SVG namespace.
    expect([...html.matchAll(/https?:\/\/[^"\s]+/g)].map((m) => m[0])).toEqual(
      expect.arrayContaining(['http://www.w3.org/2000/svg']),
    );
    expect(new Set([...html.matchAll(/https?:\/\/[^"\s]+/g)].map((m) => m[0]))).toEqual(
      new Set(['http://www.w3.org/2000/svg']),
    );
  });

  it('has the four plots: throughput and WIP over time, utilisation bars with whiskers, lead-time histograms', () => {
    expect(html).toContain('Finished units per hour');
    expect(html).toContain('Units in the plant');
    expect(html).toContain('Utilisation per station');
    expect((html.match(/class="whisker"/g) ?? []).length).toBe(4);
    expect(html).toContain('Lead time, base');
    expect(html).toContain('Lead time, more-welders');
    expect((html.match(/<svg /g) ?? []).length).toBe(5);
    expect((html.match(/<polyline /g) ?? []).length).toBe(4);
  });

  it('has the KPI table with intervals, the bottleneck and the comparison', () => {
    expect(html).toContain('Key figures');
    expect(html).toMatch(/41\.5 ± [\d.]+ units\/h/);
    expect(html).toContain('throughput.red');
    expect(html).toMatch(/weld \(active 85%/);
    expect(html).toContain('more-welders vs base');
    expect(html).toMatch(/class="better">better/);
  });

  it('names each station by its plant-file name, with its id as the tooltip and in small print', () => {
    const study = parseStudyDefinition({ horizon: '2d', warmup: 0, replications: 2 });
    const named = (r: number): ReplicationOutput => ({
      ...output(r, 0),
      stationNames: { weld: 'Weld cell 2', [EVIL]: `Robot ${EVIL}` },
    });
    const html = renderStudyReport(summarizeStudy(study, 'plant.yaml', [[named(0), named(1)]]));
    const weld = '<span title="weld">Weld cell 2</span> <span class="small">weld</span>';
    // The station table's row, and the bottleneck in the key figures.
    expect(html).toContain(`<tr><td>${weld}</td>`);
    expect(html).toContain(`${weld} (active 85%`);
    // The utilisation chart labels its bars with the name and the id.
    expect(html).toContain('>Weld cell 2 (weld)</text>');
    expect(html).toContain('Robot &lt;script&gt;');
    expect(html).not.toContain(EVIL);
    expect(unbalancedTags(html)).toEqual([]);
    // Without names (a result stored before they were kept), the id stands alone.
    expect(report()).toContain('<tr><td>weld</td>');
  });

  it('escapes every text that came from the user', () => {
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(html).toContain('<title>Line 2 &lt;script&gt;');
  });
});
