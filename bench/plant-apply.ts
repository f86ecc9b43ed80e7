// Applying a plant file: a generated plant of N twins (lines → stations → machines, with `feeds`)
// written as a plant file, then `TwinGraph.applyPlant` creating it, re-applying it unchanged, and
// applying an edit (1% renamed, 1% gone with --prune, 1% new). The ceiling beside it: the same
// plant through the bulk import (`importTwins`), which only creates.
// `npm run bench -- plant-apply [--twins 100000]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../src/server/platform.js';
import { parsePlant } from '../src/twin/plant.js';
import { argValue } from './_stats.js';

const target = Number(argValue('twins', '100000'));
const PREFIX = '88.900.1';
const STATIONS_PER_LINE = 20;

interface Entry {
  id: string;
  model: string;
  properties: Record<string, unknown>;
  contains?: Entry[];
  hosts?: Entry[];
}

/** The plant file: lines of stations, each hosting one machine; stations feed the next. */
function plantText(stations: number, edit: boolean): string {
  const lines: Entry[] = [];
  const feeds: Array<{ from: string; name: string; to: string }> = [];
  for (let s = 0; s < stations; s++) {
    const line = Math.floor(s / STATIONS_PER_LINE);
    const id = `line-${line}/st-${s}`;
    // The edit renames every 100th station, removes every 100th + 50, and adds one per 100 at the end.
    if (edit && s % 100 === 50) continue;
    if (s % STATIONS_PER_LINE === 0) {
      lines.push({ id: `line-${line}`, model: 'Line', properties: { name: `Line ${line}` }, contains: [] });
    }
    const name = edit && s % 100 === 0 ? `Station ${s} (rebuilt)` : `Station ${s}`;
    lines[lines.length - 1]!.contains!.push({
      id,
      model: 'Station',
      properties: { name, stationType: 'filling', nominalCycleTime: 30 },
      hosts: [
        { id: `${id}/m`, model: 'Machine', properties: { name: `Machine ${s}`, machineType: 'filler' } },
      ],
    });
    const next = s + 1;
    if (next % STATIONS_PER_LINE !== 0 && next < stations && !(edit && next % 100 === 50)) {
      feeds.push({ from: id, name: 'feeds', to: `line-${line}/st-${next}` });
    }
  }
  if (edit) {
    const extra: Entry = { id: 'line-extra', model: 'Line', properties: { name: 'Extra' }, contains: [] };
    for (let e = 0; e < Math.ceil(stations / 100); e++) {
      extra.contains!.push({ id: `line-extra/st-${e}`, model: 'Station', properties: { name: `New ${e}` } });
    }
    lines.push(extra);
  }
  // JSON is YAML: the plant parser reads it, and it is quicker to write for large plants.
  return JSON.stringify({ imverse: 'plant/v1', prefix: PREFIX, twins: lines, relationships: feeds });
}

const seconds = (since: number) => (performance.now() - since) / 1000;
const stations = Math.max(Math.round(target / (2 + 1 / STATIONS_PER_LINE)), 100);

const original = plantText(stations, false);
const edited = plantText(stations, true);
let started = performance.now();
const plant = parsePlant(original, 'bench.json');
const parseSeconds = seconds(started);
const twins = plant.twins.length;
console.log(
  `plant: ${twins} twins, ${plant.relationships.length} relationships, ${(original.length / 1024 / 1024).toFixed(1)} MiB; parsed in ${parseSeconds.toFixed(2)} s`,
);

const dirs: string[] = [];
async function withCore<T>(work: (core: Awaited<ReturnType<typeof openCore>>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-bench-apply-'));
  dirs.push(dir);
  const core = await openCore({ dataDir: dir, sqliteSynchronous: 'normal' });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

try {
  const importSeconds = await withCore(async (core) => {
    const at = performance.now();
    await core.graph.importTwins({ twins: plant.twins, relationships: plant.relationships });
    return seconds(at);
  });
  console.log(
    `bulk import (create only): ${importSeconds.toFixed(2)} s = ${(twins / importSeconds).toFixed(0)} twins/s`,
  );

  await withCore(async (core) => {
    started = performance.now();
    const created = await core.graph.applyPlant(plant);
    const createSeconds = seconds(started);
    console.log(
      `apply, empty store: ${created.counts.twins.create} created in ${createSeconds.toFixed(2)} s = ${(twins / createSeconds).toFixed(0)} twins/s (${(createSeconds / importSeconds).toFixed(1)}× the bulk import)`,
    );

    started = performance.now();
    const same = await core.graph.applyPlant(plant);
    const noopSeconds = seconds(started);
    console.log(
      `re-apply, unchanged: ${same.counts.twins.unchanged} unchanged, plan in ${noopSeconds.toFixed(2)} s`,
    );

    const next = parsePlant(edited, 'bench-edited.json');
    started = performance.now();
    const dry = await core.graph.applyPlant(next, { prune: true, dryRun: true });
    const drySeconds = seconds(started);
    started = performance.now();
    const changed = await core.graph.applyPlant(next, { prune: true });
    const editSeconds = seconds(started);
    const { twins: t, relationships: r } = changed.counts;
    if (dry.counts.twins.update !== t.update) throw new Error('the dry run and the apply disagree');
    console.log(
      `apply an edit: ${t.create} created, ${t.update} updated, ${t.delete} deleted, ${r.add} relationships added, ${r.remove} removed; dry run ${drySeconds.toFixed(2)} s, apply ${editSeconds.toFixed(2)} s`,
    );
    console.log(
      `plant apply: ${twins} twins, an edit of 3% applied in ${editSeconds.toFixed(2)} s, unchanged re-apply ${noopSeconds.toFixed(2)} s, create ${(createSeconds / importSeconds).toFixed(1)}× bulk import`,
    );
  });
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
