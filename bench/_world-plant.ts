// A generated plant for the world benchmarks: workshops → lines → stations → machines, all placed.
import type { ImportInput } from '../src/twin/TwinGraph.js';

const PREFIX = '88.100.1';
const LINES_PER_WORKSHOP = 10;
const STATIONS_PER_LINE = 50;
const STATES = ['running', 'idle', 'blocked', 'starved', 'down', 'maintenance'] as const;
const M = (name: string) => `dtmi:imverse:${name};1`;

/** `objects` equipment twins: half stations, half the machine each station hosts, laid out on a grid. */
export function plant(objects: number): ImportInput {
  const twins: Array<ImportInput['twins'][number]> = [];
  const relationships: Array<ImportInput['relationships'][number]> = [];
  const contains = (source: string, target: string, name = 'contains') =>
    relationships.push({ id: `${name}-${relationships.length}`, source, name, target, properties: {} });
  const stations = Math.ceil(objects / 2);
  const lines = Math.ceil(stations / STATIONS_PER_LINE);
  for (let l = 0; l < lines; l++) {
    const w = Math.floor(l / LINES_PER_WORKSHOP);
    const workshop = `${PREFIX}/ws-${w}`;
    if (l % LINES_PER_WORKSHOP === 0) {
      twins.push({ id: workshop, model: M('Workshop'), properties: { name: `Workshop ${w}` } });
    }
    const line = `${workshop}/line-${l}`;
    twins.push({ id: line, model: M('Line'), properties: { name: `Line ${l}`, state: 'running' } });
    contains(workshop, line);
    for (let s = 0; s < STATIONS_PER_LINE && l * STATIONS_PER_LINE + s < stations; s++) {
      const n = l * STATIONS_PER_LINE + s;
      const [x, y] = [s * 8, l * 14];
      const station = `${line}/st-${s}`;
      twins.push({
        id: station,
        model: M('Station'),
        properties: {
          name: `Station ${n}`,
          stationType: 'machining',
          state: STATES[n % STATES.length],
          layout: { x, y, z: 0, rotation: 0, width: 6, depth: 8, height: 2.5 },
        },
      });
      contains(line, station);
      twins.push({
        id: `${station}/m`,
        model: M('Machine'),
        properties: {
          name: `Machine ${n}`,
          machineType: 'cnc',
          state: STATES[(n + 3) % STATES.length],
          serialNumber: `SN-${n}`,
          layout: { x, y: y + 1, z: 0, rotation: 90, width: 3, depth: 2.5, height: 2.8 },
        },
      });
      contains(station, `${station}/m`, 'hosts');
    }
  }
  return { twins, relationships };
}
