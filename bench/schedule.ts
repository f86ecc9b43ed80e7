// Job-shop scheduling on public instances: dispatching rules, then tabu search over several seeds
// against the best-known makespans. Default: Taillard's ta01–ta20 (15×15 and 20×15).
// `npm run bench -- schedule [--seconds 10] [--seeds 1,2,3] [--instances taillard|classic|ta01,la01,…]`
import { readFileSync } from 'node:fs';
import { DISPATCH_RULES, dispatch, improve, parseJobShop, type Schedule } from '../src/sim/schedule/index.js';
import { argValue } from './_stats.js';

const SETS: Record<string, string[]> = {
  taillard: Array.from({ length: 20 }, (_, i) => `ta${String(i + 1).padStart(2, '0')}`),
  classic: ['ft10', ...Array.from({ length: 10 }, (_, i) => `la${String(i + 1).padStart(2, '0')}`)],
};
const seconds = Number(argValue('seconds', '10'));
const seeds = argValue('seeds', '1,2,3').split(',').map(Number);
const instancesArg = argValue('instances', 'taillard');
const names = instancesArg.split(',').flatMap((name) => SETS[name] ?? [name]);
const now = performance.now.bind(performance);

interface Row {
  name: string;
  meanGap: number;
  atBest: number;
}

const header = [
  'instance',
  'size',
  'best rule',
  'best-known',
  'tabu mean',
  'tabu best',
  'mean gap',
  'at best-known',
  'mean time to it',
  'moves/s',
];
const table: string[][] = [];
const rows: Row[] = [];
for (const name of names) {
  const text = readFileSync(new URL(`../examples/jobshop/${name}.txt`, import.meta.url), 'utf8');
  const bestKnown = Number(/(?:Optimum|Best-known) makespan: (\d+)/.exec(text)?.[1]);
  const instance = parseJobShop(text);
  const started = now();
  const schedules = DISPATCH_RULES.flatMap((rule) =>
    (['non-delay', 'active'] as const).map((mode) => dispatch(instance, rule, { mode })),
  );
  const initial = schedules.reduce((a: Schedule, b) => (b.makespan < a.makespan ? b : a));
  const dispatched = now() - started;
  const runs = seeds.map((seed) =>
    // The search stops at the best-known makespan: most are proven optima, none has been beaten.
    improve(instance, initial, { seed, timeLimitMs: seconds * 1000, now, target: bestKnown }),
  );
  const gaps = runs.map((r) => ((r.makespan - bestKnown) / bestKnown) * 100);
  const reached = runs.filter((r) => r.makespan <= bestKnown);
  const meanGap = mean(gaps);
  const rate = mean(runs.map((r) => r.iterations / (Math.max(r.elapsedMs!, 1e-3) / 1000)));
  rows.push({ name, meanGap, atBest: reached.length });
  table.push([
    name,
    `${instance.jobs.length}×${instance.machines}`,
    String(initial.makespan),
    String(bestKnown),
    mean(runs.map((r) => r.makespan)).toFixed(1),
    String(Math.min(...runs.map((r) => r.makespan))),
    `${meanGap.toFixed(2)}%`,
    `${reached.length}/${runs.length}`,
    reached.length === 0
      ? '–'
      : `${(mean(reached.map((r) => dispatched + r.timeToBestMs!)) / 1000).toFixed(1)} s`,
    // A start that already meets a lower bound needs no move.
    runs.every((r) => r.iterations === 0) ? '–' : rate.toFixed(0),
  ]);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(
  `seeds ${seeds.join(',')}, at most ${seconds} s per run; start: the best of ${DISPATCH_RULES.length} rules × (non-delay, active)`,
);
console.log(line(header));
for (const row of table) console.log(line(row));
const gap = mean(rows.map((r) => r.meanGap));
const atBest = rows.reduce((sum, r) => sum + r.atBest, 0);
console.log(
  `schedule: mean gap ${gap.toFixed(2)}% over ${rows.length} instances × ${seeds.length} seeds; ` +
    `${atBest}/${rows.length * seeds.length} at best-known (${seconds} s per run)`,
);
