// Twin graph at scale: bulk import rate, indexed query and 3-hop traversal latency, restart
// recovery time and resident memory. `npm run bench -- twins [--twins 5000000] [--dir DIR]`.
// The import runs here; recovery and queries run in a fresh child process on the same files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../src/server/platform.js';
import type { ImportInput } from '../src/twin/TwinGraph.js';
import { argValue, mib, ms, summarize } from './_stats.js';

const PREFIX = '88.100.1';
const STATIONS_PER_LINE = 20;
const SENSORS_PER_MACHINE = 3;
const LINES_PER_WORKSHOP = 10;
const TWINS_PER_LINE = 1 + STATIONS_PER_LINE * (2 + SENSORS_PER_MACHINE);
const TWINS_PER_WORKSHOP = 1 + LINES_PER_WORKSHOP * TWINS_PER_LINE;
const WORKSHOPS_PER_BATCH = 100;
const STATES = ['running', 'idle', 'blocked', 'starved', 'down', 'maintenance'] as const;
const STATION_TYPES = [
  'machining',
  'pressing',
  'welding',
  'assembly',
  'inspection',
  'test',
  'packaging',
] as const;
const M = (name: string) => `dtmi:imverse:${name};1`;

/** A deterministic pseudo-random state, so every run builds the same plant. */
const pick = <T>(list: readonly T[], n: number): T => list[((n * 2654435761) % list.length) >>> 0]!;

function workshopBatch(first: number, count: number): ImportInput {
  const twins: Array<{ id: string; model: string; properties: Record<string, unknown> }> = [];
  const relationships: Array<{
    id: string;
    source: string;
    name: string;
    target: string;
    properties: Record<string, unknown>;
  }> = [];
  const rel = (source: string, name: string, target: string, n: number) =>
    relationships.push({ id: `${name}-${n}`, source, name, target, properties: {} });
  for (let w = first; w < first + count; w++) {
    const ws = `${PREFIX}/ws-${w}`;
    twins.push({
      id: ws,
      model: M('Workshop'),
      properties: { name: `Workshop ${w}`, discipline: 'machining' },
    });
    for (let l = 0; l < LINES_PER_WORKSHOP; l++) {
      const line = `${ws}/line-${l}`;
      twins.push({
        id: line,
        model: M('Line'),
        properties: { name: `Line ${w}.${l}`, state: pick(STATES, w * 31 + l) },
      });
      rel(ws, 'contains', line, l);
      for (let s = 0; s < STATIONS_PER_LINE; s++) {
        const n = (w * LINES_PER_WORKSHOP + l) * STATIONS_PER_LINE + s;
        const station = `${line}/st-${s}`;
        const machine = `${station}/m`;
        twins.push({
          id: station,
          model: M('Station'),
          properties: {
            name: `Station ${s}`,
            stationType: pick(STATION_TYPES, n),
            sequence: s,
            state: pick(STATES, n),
            layout: { x: s * 6, y: l * 12, z: 0, rotation: 0, width: 4, depth: 3, height: 2.5 },
          },
        });
        rel(line, 'contains', station, s);
        if (s > 0) rel(`${line}/st-${s - 1}`, 'feeds', station, s);
        twins.push({
          id: machine,
          model: M('Machine'),
          properties: {
            name: `Machine ${n}`,
            machineType: 'cnc',
            state: pick(STATES, n + 7),
            serialNumber: `SN-${n}`,
            temperature: 20 + (n % 600) / 10,
          },
        });
        rel(station, 'hosts', machine, 0);
        for (let k = 0; k < SENSORS_PER_MACHINE; k++) {
          const sensor = `${machine}/s-${k}`;
          twins.push({
            id: sensor,
            model: M('Sensor'),
            properties: { name: `Sensor ${k}`, sensorType: 'temperature', unit: 'degC' },
          });
          rel(machine, 'hosts', sensor, k);
        }
      }
    }
  }
  return { twins, relationships };
}

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

async function importPhase(dir: string, target: number): Promise<void> {
  const workshops = Math.ceil(target / TWINS_PER_WORKSHOP);
  const core = await openCore({ dataDir: dir, sqliteSynchronous: 'normal' });
  let twins = 0;
  let relationships = 0;
  let peakRss = 0;
  const started = performance.now();
  for (let w = 0; w < workshops; w += WORKSHOPS_PER_BATCH) {
    const batch = workshopBatch(w, Math.min(WORKSHOPS_PER_BATCH, workshops - w));
    const counts = await core.graph.importTwins(batch);
    twins += counts.twins;
    relationships += counts.relationships;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if ((w / WORKSHOPS_PER_BATCH) % 10 === 0) {
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`  ${twins} twins, ${(twins / seconds).toFixed(0)} twins/s\r`);
    }
  }
  process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  core.store.db.pragma('optimize');
  await core.close();
  console.log(
    `import: ${twins} twins + ${relationships} relationships in ${seconds.toFixed(1)} s = ${(twins / seconds).toFixed(0)} twins/s ` +
      `(${((twins + relationships) / seconds).toFixed(0)} records/s); peak RSS ${mib(peakRss)}; files ${mib(dirSize(dir))}`,
  );
}

async function queryPhase(dir: string, workshops: number): Promise<void> {
  const started = performance.now();
  const core = await openCore({ dataDir: dir, sqliteSynchronous: 'normal' });
  const first = await core.graph.getTwin(`${PREFIX}/ws-0/line-0/st-0`);
  const recovery = performance.now() - started;
  if (first === undefined) throw new Error('no twin after restart');

  const timed = async (n: number, run: (i: number) => Promise<number>) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const rows = await run(i);
      samples.push(performance.now() - t);
      if (rows === 0 && i === 0) throw new Error('query returned nothing');
    }
    return summarize(samples);
  };
  const ws = (i: number) => `${PREFIX}/ws-${(i * 7919) % workshops}`;
  const propertyQuery = await timed(500, async (i) => {
    const state = STATES[i % STATES.length];
    const page = await core.graph.query(
      `SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL('dtmi:imverse:Machine;1') AND T.state = '${state}' AND T.temperature > ${20 + (i % 50)}`,
      { pageSize: 100 },
    );
    return page.value.length;
  });
  const machines = workshops * LINES_PER_WORKSHOP * STATIONS_PER_LINE;
  const selectiveQuery = await timed(500, async (i) => {
    const serial = `SN-${(i * 104729) % machines}`;
    const page = await core.graph.query(
      `SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL('dtmi:imverse:Machine;1') AND T.serialNumber = '${serial}'`,
    );
    return page.value.length;
  });
  const joinQuery = await timed(500, async (i) => {
    const page = await core.graph.query(
      `SELECT M FROM DIGITALTWINS W JOIN L RELATED W.contains JOIN S RELATED L.contains JOIN M RELATED S.hosts ` +
        `WHERE W.$dtId = '${ws(i)}' AND IS_OF_MODEL(M, 'dtmi:imverse:Machine;1')`,
      { pageSize: 100 },
    );
    return page.value.length;
  });
  const traversal = await timed(500, async (i) => {
    const result = await core.graph.traverse(
      `${ws(i)}/line-${i % LINES_PER_WORKSHOP}/st-${STATIONS_PER_LINE - 1}`,
      {
        relationship: 'feeds',
        direction: 'in',
        maxDepth: 3,
      },
    );
    return result.length;
  });
  const rss = process.memoryUsage().rss;
  await core.close();
  console.log(`recovery: open + first read after a kill -9 during writes ${ms(recovery)}`);
  console.log(
    `model+property query (page of 100): p50 ${ms(propertyQuery.p50)}, p99 ${ms(propertyQuery.p99)}`,
  );
  console.log(
    `selective query (one machine by serial number): p50 ${ms(selectiveQuery.p50)}, p99 ${ms(selectiveQuery.p99)}`,
  );
  console.log(
    `3-hop join query workshop→line→station→machine (page of 100): p50 ${ms(joinQuery.p50)}, p99 ${ms(joinQuery.p99)}`,
  );
  console.log(`3-hop upstream traversal (feeds): p50 ${ms(traversal.p50)}, p99 ${ms(traversal.p99)}`);
  console.log(`resident memory of the restarted process after the queries: ${mib(rss)}`);
  console.log(
    `RESULT recovery=${recovery.toFixed(0)}ms query_p99=${propertyQuery.p99.toFixed(2)}ms selective_p99=${selectiveQuery.p99.toFixed(2)}ms join3_p99=${joinQuery.p99.toFixed(2)}ms traverse3_p99=${traversal.p99.toFixed(2)}ms rss=${mib(rss)}`,
  );
}

/** Writes one more batch and dies by SIGKILL without closing, so the next open has to recover. */
async function crashPhase(dir: string, workshops: number): Promise<void> {
  const core = await openCore({ dataDir: dir, sqliteSynchronous: 'normal' });
  await core.graph.importTwins(workshopBatch(workshops, WORKSHOPS_PER_BATCH));
  console.log(`crash: wrote ${WORKSHOPS_PER_BATCH * TWINS_PER_WORKSHOP} more twins, then SIGKILL`);
  process.kill(process.pid, 'SIGKILL');
}

const phase = argValue('phase', 'all');
const target = Number(argValue('twins', '5000000'));
const workshops = Math.ceil(target / TWINS_PER_WORKSHOP);
if (phase === 'query') {
  await queryPhase(argValue('dir', ''), workshops);
} else if (phase === 'crash') {
  await crashPhase(argValue('dir', ''), workshops);
} else {
  const dir = argValue('dir', '') || mkdtempSync(join(tmpdir(), 'imverse-bench-twins-'));
  try {
    console.log(`twins benchmark: ${workshops * TWINS_PER_WORKSHOP} twins in ${dir}`);
    await importPhase(dir, target);
    spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--phase', 'crash', '--dir', dir, '--twins', String(target)],
      {
        stdio: 'inherit',
      },
    );
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--phase', 'query', '--dir', dir, '--twins', String(target)],
      {
        stdio: 'inherit',
      },
    );
    if (child.status !== 0) process.exitCode = 1;
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}
