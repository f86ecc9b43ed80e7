// Compiles a plant file's twins and `simulation:` section into a validated PlantSimulation, before any run.
import type { DistributionSpec } from '../engine/index.js';
import { modelIdForShortName } from '../../model/ontology/names.js';
import type { PlantDefinition, TwinSeed } from '../../twin/plant.js';
import { agvPaths } from './agv-paths.js';
import { PlantSimulationError } from './errors.js';
import { isObject, SectionReader, token, type Json } from './section-reader.js';
import type {
  AgvFleetSpec,
  BufferSpec,
  ConveyorSpec,
  LinkSpec,
  OrderSpec,
  PlantSimulation,
  Point,
  SinkSpec,
  SourceSpec,
  StationKind,
  StationSpec,
  TransportKind,
} from './spec.js';

const SECTION_KEYS = [
  'warmup',
  'variants',
  'sources',
  'stations',
  'buffers',
  'conveyors',
  'sinks',
  'flow',
  'agv',
];
const STATION_KEYS = ['kind', 'machines', 'processing', 'setup', 'mtbf', 'mttr', 'scrap', 'outputs'];
const SOURCE_KEYS = ['to', 'interarrival', 'mix', 'batch', 'orders'];
const FLOW_KEYS = ['from', 'to', 'transport', 'distance', 'transferTime', 'variants'];
const STATION_KINDS: readonly StationKind[] = ['station', 'assembly', 'split'];
const TRANSPORTS = ['direct', 'conveyor', 'agv', 'forklift', 'manual'];
const VARIANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The variant of a plant file that names none. */
export const DEFAULT_VARIANT = 'UNIT';
/** Conveyor pitch when neither the section nor the twin's capacity gives one. */
export const DEFAULT_PITCH = 0.5;

type NodeKind = 'station' | 'buffer' | 'conveyor' | 'source' | 'sink';

interface DraftLink extends LinkSpec {
  /** Where the link and its ends were stated in the section, when they were. */
  readonly path?: string;
  readonly fromPath?: string;
  readonly toPath?: string;
}

/**
 * Throws PlantSimulationError (IMV_PLANT_SIMULATION_INVALID) listing every problem with file,
 * line, column and field. Without a `simulation:` section the plant still compiles from its
 * twins: stations from nominalCycleTime, buffers from capacity, flow from `feeds`.
 */
export function compilePlantSimulation(plant: PlantDefinition, file: string): PlantSimulation {
  return new Compiler(plant, file).compile();
}

class Compiler {
  private readonly read: SectionReader;
  private readonly section: Json;
  private readonly twins = new Map<string, TwinSeed>();
  private readonly kinds = new Map<string, NodeKind>();
  private readonly locations: Record<string, Point> = {};
  private variants: string[] = [];

  constructor(
    private readonly plant: PlantDefinition,
    private readonly file: string,
  ) {
    this.read = new SectionReader(file, plant.simulation);
    const value = plant.simulation?.value;
    this.section = {};
    if (value !== undefined && value !== null) {
      if (isObject(value)) this.section = value;
      else this.read.fail('', 'the simulation section is a mapping');
    }
    const prefix = `${plant.prefix}/`;
    for (const twin of plant.twins) {
      const id = twin.id.startsWith(prefix) ? twin.id.slice(prefix.length) : twin.id;
      this.twins.set(id, twin);
      const layout = twin.properties.layout;
      if (isObject(layout) && typeof layout.x === 'number' && typeof layout.y === 'number') {
        this.locations[id] = { x: layout.x, y: layout.y };
      }
    }
  }

  compile(): PlantSimulation {
    const read = this.read;
    read.keys(this.section, '', SECTION_KEYS);
    const warmup = read.time(this.section.warmup, '/warmup', 'warmup') ?? 0;
    this.readVariants();
    for (const [id, twin] of this.twins) {
      if (twin.model === modelIdForShortName('Station')) this.kinds.set(id, 'station');
      else if (twin.model === modelIdForShortName('Buffer')) this.kinds.set(id, 'buffer');
      else if (twin.model === modelIdForShortName('Conveyor')) this.kinds.set(id, 'conveyor');
    }
    const sources = this.readSources();
    const explicitSinks = this.readSinks();
    const links = this.readLinks(sources);
    // A buffer twin that only receives is where units leave the plant (a shipping dock); one that
    // only sends is where they enter it (a goods-in rack), as an unlimited supply.
    const sending = new Set(links.map((link) => link.from));
    const receiving = new Set(links.map((link) => link.to));
    for (const id of sending) {
      if (this.kinds.get(id) !== 'buffer' || receiving.has(id) || explicitSinks.includes(id)) continue;
      this.kinds.set(id, 'source');
      sources.push({ id, mix: this.variants.map((variant) => ({ variant, weight: 1 })), batch: 1 });
    }
    for (const link of links) {
      if (this.kinds.get(link.to) === 'buffer' && !sending.has(link.to)) this.kinds.set(link.to, 'sink');
    }
    for (const id of explicitSinks) this.kinds.set(id, 'sink');
    const stations = this.readStations(links);
    const buffers = this.readBuffers();
    const conveyors = this.readConveyors();
    const agv = this.readAgv(links);
    this.checkLinks(links, buffers);
    this.checkExits(links, sources);
    const sinks: SinkSpec[] = [...this.kinds].filter(([, kind]) => kind === 'sink').map(([id]) => ({ id }));
    const result: PlantSimulation = {
      file: this.file,
      prefix: this.plant.prefix,
      variants: this.variants,
      stations,
      buffers,
      conveyors,
      sources,
      sinks,
      links: links.map(({ path: _path, fromPath: _from, toPath: _to, ...link }) => link),
      ...(agv === undefined ? {} : { agv }),
      locations: this.locations,
      warmup,
    };
    if (agv !== undefined && read.issues.length === 0) this.checkAgvPaths(result);
    if (read.issues.length > 0) throw new PlantSimulationError(this.file, read.issues);
    return result;
  }

  // ---- variants, sources, sinks ----

  private readVariants(): void {
    const value = this.section.variants;
    let ids: string[] = [];
    if (Array.isArray(value)) {
      value.forEach((id, i) => {
        const name = this.read.string(id, `/variants/${i}`, 'a variant');
        if (name !== undefined) ids.push(name);
      });
    } else if (isObject(value)) {
      ids = Object.keys(value);
      for (const id of ids) {
        const entry = value[id];
        if (entry !== null && !isObject(entry)) {
          this.read.fail(`/variants/${token(id)}`, 'each variant maps to { product, name } (or nothing)');
        } else if (isObject(entry)) this.read.keys(entry, `/variants/${token(id)}`, ['product', 'name']);
      }
    } else if (value !== undefined) {
      this.read.fail(
        '/variants',
        'variants is a list of variant ids or a mapping of id to { product, name }',
      );
    }
    for (const [i, id] of ids.entries()) {
      if (!VARIANT_ID.test(id)) {
        const path = Array.isArray(value) ? `/variants/${i}` : `/variants/${token(id)}`;
        this.read.fail(
          path,
          `variant "${id}" must be letters, digits, ".", "_" or "-" (it goes into unit serials)`,
        );
      }
    }
    this.variants = ids.length > 0 ? ids : [DEFAULT_VARIANT];
  }

  private readSources(): SourceSpec[] {
    const read = this.read;
    const value = this.section.sources;
    const map = read.object(value, '/sources', 'sources');
    const sources: SourceSpec[] = [];
    for (const [id, raw] of Object.entries(map ?? {})) {
      const path = `/sources/${token(id)}`;
      const entry = read.object(raw ?? {}, path, `source "${id}"`);
      if (entry === undefined) continue;
      read.keys(entry, path, SOURCE_KEYS);
      const existing = this.kinds.get(id);
      const twin = this.twins.get(id);
      if (twin !== undefined && twin.model !== modelIdForShortName('Buffer')) {
        read.fail(
          path,
          `"${id}" is a ${shortModel(twin.model)} twin; a source is a Buffer twin (a rack) or a new name`,
        );
        continue;
      }
      if (existing === 'source') continue;
      this.kinds.set(id, 'source');
      const interarrival = read.distribution(
        entry.interarrival,
        `${path}/interarrival`,
        'interarrival',
        'constant',
      );
      const batch = read.number(entry.batch, `${path}/batch`, 'batch', { min: 1, integer: true }) ?? 1;
      const mix = this.readMix(entry.mix, `${path}/mix`);
      const orders = this.readOrders(entry.orders, `${path}/orders`);
      if (orders !== undefined && interarrival !== undefined) {
        read.fail(`${path}/orders`, 'a source has either interarrival or orders, not both');
      }
      sources.push({
        id,
        ...(interarrival === undefined ? {} : { interarrival }),
        mix,
        batch,
        ...(orders === undefined ? {} : { orders }),
      });
    }
    return sources;
  }

  private readMix(value: unknown, path: string): SourceSpec['mix'] {
    const all = this.variants.map((variant) => ({ variant, weight: 1 }));
    if (value === undefined) return all;
    const map = this.read.object(value, path, 'mix');
    if (map === undefined) return all;
    const mix: { variant: string; weight: number }[] = [];
    for (const [variant, weight] of Object.entries(map)) {
      const at = `${path}/${token(variant)}`;
      if (!this.variants.includes(variant)) {
        this.read.fail(at, `no variant "${variant}"; variants: ${this.variants.join(', ')}`);
        continue;
      }
      const w = this.read.number(weight, at, `weight of ${variant}`, { min: 0 });
      if (w !== undefined && w > 0) mix.push({ variant, weight: w });
    }
    if (mix.length === 0) {
      this.read.fail(path, 'the mix needs at least one variant with a weight > 0');
      return all;
    }
    return mix;
  }

  private readOrders(value: unknown, path: string): OrderSpec[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.read.fail(path, 'orders is a list of { id, variant, quantity, release }');
      return undefined;
    }
    const orders: OrderSpec[] = [];
    value.forEach((raw, i) => {
      const at = `${path}/${i}`;
      const entry = this.read.object(raw, at, 'an order');
      if (entry === undefined) return;
      this.read.keys(entry, at, ['id', 'variant', 'quantity', 'release']);
      const id = this.read.string(entry.id ?? `order-${i + 1}`, `${at}/id`, 'order id');
      const variant = this.read.string(entry.variant ?? this.variants[0], `${at}/variant`, 'variant');
      if (variant !== undefined && !this.variants.includes(variant)) {
        this.read.fail(`${at}/variant`, `no variant "${variant}"; variants: ${this.variants.join(', ')}`);
        return;
      }
      const quantity = this.read.number(entry.quantity ?? 1, `${at}/quantity`, 'quantity', {
        min: 1,
        integer: true,
      });
      const release = this.read.time(entry.release ?? 0, `${at}/release`, 'release');
      if (id === undefined || variant === undefined || quantity === undefined || release === undefined)
        return;
      orders.push({ id, variant, quantity, release });
    });
    // Stable: equal release times keep the file's order.
    return orders
      .map((order, i) => ({ order, i }))
      .sort((a, b) => a.order.release - b.order.release || a.i - b.i)
      .map((x) => x.order);
  }

  private readSinks(): string[] {
    const value = this.section.sinks;
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.read.fail('/sinks', 'sinks is a list of ids (Buffer twins or new names)');
      return [];
    }
    const ids: string[] = [];
    value.forEach((raw, i) => {
      const id = this.read.string(raw, `/sinks/${i}`, 'a sink');
      if (id === undefined) return;
      const twin = this.twins.get(id);
      if (twin !== undefined && twin.model !== modelIdForShortName('Buffer')) {
        this.read.fail(
          `/sinks/${i}`,
          `"${id}" is a ${shortModel(twin.model)} twin; a sink is a Buffer twin or a new name`,
        );
        return;
      }
      ids.push(id);
    });
    return ids;
  }

  // ---- flow ----

  private readLinks(sources: readonly SourceSpec[]): DraftLink[] {
    const read = this.read;
    const links = new Map<string, DraftLink>();
    const key = (from: string, to: string): string => `${from}\u0000${to}`;
    const isNode = (id: string): boolean => this.kinds.has(id);
    const prefix = `${this.plant.prefix}/`;
    const local = (id: string): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
    for (const relationship of this.plant.relationships) {
      if (relationship.name !== 'feeds') continue;
      const from = local(relationship.source);
      const to = local(relationship.target);
      if (!isNode(from) || !isNode(to)) continue;
      const p = relationship.properties;
      const transport =
        typeof p.transport === 'string' && TRANSPORTS.includes(p.transport) ? p.transport : 'direct';
      const distance = typeof p.distance === 'number' && p.distance >= 0 ? p.distance : undefined;
      const transferTime = typeof p.transferTime === 'number' && p.transferTime >= 0 ? p.transferTime : 0;
      links.set(key(from, to), {
        from,
        to,
        transport: normaliseTransport(transport),
        ...(distance === undefined ? {} : { distance }),
        transferTime,
      });
    }
    // A source's `to` replaces the feeds of its twin.
    const sourcesMap = isObject(this.section.sources) ? this.section.sources : {};
    for (const source of sources) {
      const entry = sourcesMap[source.id];
      const to = isObject(entry) ? entry.to : undefined;
      if (to === undefined) continue;
      const path = `/sources/${token(source.id)}/to`;
      const targets = Array.isArray(to) ? to : [to];
      for (const existing of [...links.keys()])
        if (links.get(existing)!.from === source.id) links.delete(existing);
      targets.forEach((target, i) => {
        const at = Array.isArray(to) ? `${path}/${i}` : path;
        const id = read.string(target, at, 'to');
        if (id === undefined) return;
        links.set(key(source.id, id), {
          from: source.id,
          to: id,
          transport: 'direct',
          transferTime: 0,
          path: at,
          fromPath: `/sources/${token(source.id)}`,
          toPath: at,
        });
      });
    }
    const flow = this.section.flow;
    if (flow !== undefined && !Array.isArray(flow)) {
      read.fail('/flow', 'flow is a list of { from, to, transport, distance, transferTime, variants }');
    }
    (Array.isArray(flow) ? flow : []).forEach((raw, i) => {
      const path = `/flow/${i}`;
      const entry = read.object(raw, path, 'a flow entry');
      if (entry === undefined) return;
      read.keys(entry, path, FLOW_KEYS);
      const from = read.string(entry.from, `${path}/from`, 'from');
      const to = read.string(entry.to, `${path}/to`, 'to');
      if (entry.from === undefined) read.fail(path, 'a flow entry needs from');
      if (entry.to === undefined) read.fail(path, 'a flow entry needs to');
      const transport = read.string(entry.transport ?? 'direct', `${path}/transport`, 'transport');
      if (transport !== undefined && !TRANSPORTS.includes(transport)) {
        read.fail(`${path}/transport`, `unknown transport "${transport}"; one of ${TRANSPORTS.join(', ')}`);
        return;
      }
      const distance = read.number(entry.distance, `${path}/distance`, 'distance', { min: 0 });
      const transferTime = read.time(entry.transferTime ?? 0, `${path}/transferTime`, 'transferTime');
      let variants: string[] | undefined;
      if (entry.variants !== undefined) {
        if (!Array.isArray(entry.variants))
          read.fail(`${path}/variants`, 'variants is a list of variant ids');
        else {
          variants = [];
          entry.variants.forEach((v, j) => {
            if (typeof v === 'string' && this.variants.includes(v)) variants!.push(v);
            else
              read.fail(
                `${path}/variants/${j}`,
                `no variant ${JSON.stringify(v)}; variants: ${this.variants.join(', ')}`,
              );
          });
        }
      }
      if (from === undefined || to === undefined || transport === undefined || transferTime === undefined)
        return;
      links.set(key(from, to), {
        from,
        to,
        transport: normaliseTransport(transport),
        ...(distance === undefined ? {} : { distance }),
        transferTime,
        ...(variants === undefined ? {} : { variants }),
        path,
        fromPath: `${path}/from`,
        toPath: `${path}/to`,
      });
    });
    return [...links.values()];
  }

  private checkLinks(links: readonly DraftLink[], buffers: readonly BufferSpec[]): void {
    const capacity = new Map(buffers.map((b) => [b.id, b.capacity]));
    for (const link of links) {
      const path = link.path ?? '';
      for (const [end, id] of [
        ['from', link.from],
        ['to', link.to],
      ] as const) {
        if (this.kinds.has(id)) continue;
        const twin = this.twins.get(id);
        const why =
          twin === undefined
            ? `no station, buffer, conveyor, source or sink "${id}"${hint(id, this.kinds.keys())}`
            : `"${id}" is a ${shortModel(twin.model)} twin, which material does not flow through`;
        this.read.fail((end === 'from' ? link.fromPath : link.toPath) ?? path, why);
      }
      const fromKind = this.kinds.get(link.from);
      if (this.kinds.get(link.to) === 'source')
        this.read.fail(link.path ?? '', `a link cannot lead into source "${link.to}"`);
      if (fromKind === 'sink') this.read.fail(link.path ?? '', `a link cannot leave sink "${link.from}"`);
      if (link.transport === 'agv') {
        if (fromKind !== 'buffer' && fromKind !== 'source') {
          this.read.fail(
            link.fromPath ?? '',
            `AGV transport from "${link.from}": vehicles pick up at a buffer or a source; put a buffer in between`,
          );
        } else if (capacity.get(link.from) === 0) {
          this.read.fail(
            `/buffers/${token(link.from)}/capacity`,
            `buffer "${link.from}" of capacity 0 cannot wait for an AGV`,
          );
        }
      }
    }
  }

  /** Every node a source reaches must reach a sink: otherwise units pile up there for ever. */
  private checkExits(links: readonly DraftLink[], sources: readonly SourceSpec[]): void {
    const out = new Map<string, DraftLink[]>();
    const into = new Map<string, string[]>();
    for (const link of links) {
      if (!this.kinds.has(link.from) || !this.kinds.has(link.to)) continue;
      (out.get(link.from) ?? out.set(link.from, []).get(link.from)!).push(link);
      (into.get(link.to) ?? into.set(link.to, []).get(link.to)!).push(link.from);
    }
    const exits = new Set<string>();
    const stack = [...this.kinds].filter(([, kind]) => kind === 'sink').map(([id]) => id);
    for (const id of stack) exits.add(id);
    while (stack.length > 0) {
      for (const from of into.get(stack.pop()!) ?? []) {
        if (!exits.has(from)) {
          exits.add(from);
          stack.push(from);
        }
      }
    }
    const reached = new Set<string>(sources.map((s) => s.id));
    const queue = [...reached];
    while (queue.length > 0) {
      for (const link of out.get(queue.pop()!) ?? []) {
        if (!reached.has(link.to)) {
          reached.add(link.to);
          queue.push(link.to);
        }
      }
    }
    const reported = new Set<string>();
    for (const id of reached) {
      if (exits.has(id) || reported.has(id)) continue;
      const cycle = this.cycleThrough(id, out, exits);
      if (cycle !== undefined) {
        for (const link of cycle) reported.add(link.from);
        const stated = cycle.find((link) => link.path !== undefined);
        this.read.fail(
          stated?.path ?? this.stationPath(id),
          `cyclic routing without exit: ${[...cycle.map((l) => l.from), cycle[0]!.from].join(' → ')} never reaches a sink`,
        );
      } else if ((out.get(id) ?? []).length === 0) {
        reported.add(id);
        this.read.fail(
          this.stationPath(id),
          `"${id}" has no exit: add a feeds relationship or a flow entry from it, or list it under sinks`,
        );
      }
    }
    if (sources.length === 0 && this.kinds.size > 0) {
      this.read.fail(
        '/sources',
        'the plant has no source: name at least one under sources (a rack twin or a new name)',
      );
    }
  }

  /** A cycle of links through `start` among nodes without exit, if there is one. */
  private cycleThrough(
    start: string,
    out: Map<string, DraftLink[]>,
    exits: Set<string>,
  ): DraftLink[] | undefined {
    const path: DraftLink[] = [];
    const seen = new Set<string>();
    const visit = (id: string): boolean => {
      seen.add(id);
      for (const link of out.get(id) ?? []) {
        if (exits.has(link.to)) continue;
        path.push(link);
        if (link.to === start) return true;
        if (!seen.has(link.to) && visit(link.to)) return true;
        path.pop();
      }
      return false;
    };
    return visit(start) ? path : undefined;
  }

  private stationPath(id: string): string {
    for (const group of ['stations', 'buffers', 'conveyors', 'sources']) {
      const map = this.section[group];
      if (isObject(map) && id in map) return `/${group}/${token(id)}`;
    }
    return '';
  }

  // ---- stations, buffers, conveyors, vehicles ----

  private readStations(links: readonly DraftLink[]): StationSpec[] {
    const read = this.read;
    const map = read.object(this.section.stations, '/stations', 'stations') ?? {};
    for (const id of Object.keys(map)) {
      if (this.kinds.get(id) === 'station') continue;
      const twin = this.twins.get(id);
      read.fail(
        `/stations/${token(id)}`,
        twin === undefined
          ? `no station twin "${id}"${hint(
              id,
              [...this.kinds].filter(([, k]) => k === 'station').map(([i]) => i),
            )}`
          : `"${id}" is a ${shortModel(twin.model)} twin, not a Station`,
      );
    }
    const stations: StationSpec[] = [];
    for (const [id, kind] of this.kinds) {
      if (kind !== 'station') continue;
      const path = `/stations/${token(id)}`;
      const entry = read.object(map[id], path, `station "${id}"`) ?? {};
      read.keys(entry, path, STATION_KEYS);
      const stationKind = read.string(entry.kind ?? 'station', `${path}/kind`, 'kind');
      if (stationKind !== undefined && !STATION_KINDS.includes(stationKind as StationKind)) {
        read.fail(
          `${path}/kind`,
          `unknown station kind "${stationKind}"; one of ${STATION_KINDS.join(', ')}`,
        );
        continue;
      }
      const machines =
        read.number(entry.machines ?? 1, `${path}/machines`, 'machines', { min: 1, integer: true }) ?? 1;
      const processing = this.readProcessing(id, entry.processing, `${path}/processing`);
      const setup = read.distribution(entry.setup, `${path}/setup`, 'setup', 'constant', true);
      const mtbf = read.distribution(entry.mtbf, `${path}/mtbf`, 'mtbf', 'exponential');
      const mttr = read.distribution(entry.mttr, `${path}/mttr`, 'mttr', 'exponential', true);
      if ((entry.mtbf === undefined) !== (entry.mttr === undefined)) {
        read.fail(path, 'give both mtbf and mttr, or neither');
      }
      const scrap = read.number(entry.scrap ?? 0, `${path}/scrap`, 'scrap', { min: 0, below: 1 }) ?? 0;
      const outputs =
        read.number(entry.outputs ?? (stationKind === 'split' ? 2 : 1), `${path}/outputs`, 'outputs', {
          min: 1,
          integer: true,
        }) ?? 1;
      if (stationKind !== 'split' && entry.outputs !== undefined)
        read.fail(`${path}/outputs`, 'outputs is for split stations');
      if (stationKind === 'assembly') {
        const inputs = links.filter((link) => link.to === id).length;
        if (inputs < 2)
          read.fail(`${path}/kind`, `assembly "${id}" needs at least two inputs, it has ${inputs}`);
        if (machines !== 1) read.fail(`${path}/machines`, 'an assembly station has one machine');
      }
      if (processing === undefined) continue;
      const name = this.twins.get(id)?.properties.name;
      stations.push({
        id,
        ...(typeof name === 'string' && name !== '' ? { name } : {}),
        kind: (stationKind ?? 'station') as StationKind,
        machines,
        processing,
        ...(setup === undefined ? {} : { setup }),
        ...(mtbf === undefined || mttr === undefined ? {} : { mtbf, mttr }),
        scrap,
        outputs,
      });
    }
    return stations;
  }

  private readProcessing(
    id: string,
    value: unknown,
    path: string,
  ): Record<string, DistributionSpec> | undefined {
    const read = this.read;
    if (value === undefined) {
      const nominal = this.twins.get(id)?.properties.nominalCycleTime;
      if (typeof nominal === 'number' && nominal > 0 && Number.isFinite(nominal)) {
        return { '*': { kind: 'constant', value: nominal } };
      }
      read.fail(
        path,
        `station "${id}" has no processing time: give processing here or nominalCycleTime on its twin`,
      );
      return undefined;
    }
    if (isObject(value) && value.kind === undefined) {
      const out: Record<string, DistributionSpec> = {};
      let ok = true;
      for (const [variant, raw] of Object.entries(value)) {
        const at = `${path}/${token(variant)}`;
        if (variant !== '*' && !this.variants.includes(variant)) {
          read.fail(at, `no variant "${variant}"; variants: ${this.variants.join(', ')} (or * for the rest)`);
          ok = false;
          continue;
        }
        const spec = read.distribution(raw, at, `processing time of ${variant}`, 'constant', true);
        if (spec === undefined) ok = false;
        else out[variant] = spec;
      }
      if (!ok) return undefined;
      if (out['*'] === undefined) {
        const nominal = this.twins.get(id)?.properties.nominalCycleTime;
        const missing = this.variants.filter((v) => out[v] === undefined);
        if (typeof nominal === 'number' && nominal > 0) out['*'] = { kind: 'constant', value: nominal };
        else if (missing.length > 0) {
          read.fail(path, `no processing time for ${missing.join(', ')}: add them or "*"`);
          return undefined;
        }
      }
      return out;
    }
    const spec = read.distribution(value, path, 'processing', 'constant', true);
    return spec === undefined ? undefined : { '*': spec };
  }

  private readBuffers(): BufferSpec[] {
    const read = this.read;
    const map = read.object(this.section.buffers, '/buffers', 'buffers') ?? {};
    for (const id of Object.keys(map)) {
      if (this.kinds.get(id) !== 'buffer') {
        read.fail(
          `/buffers/${token(id)}`,
          `no buffer "${id}" in the flow${hint(
            id,
            [...this.kinds].filter(([, k]) => k === 'buffer').map(([i]) => i),
          )}`,
        );
      }
    }
    const buffers: BufferSpec[] = [];
    for (const [id, kind] of this.kinds) {
      if (kind !== 'buffer') continue;
      const path = `/buffers/${token(id)}`;
      const entry = read.object(map[id], path, `buffer "${id}"`) ?? {};
      read.keys(entry, path, ['capacity']);
      let capacity: number | null = null;
      if (entry.capacity === null) capacity = null;
      else if (entry.capacity !== undefined) {
        capacity =
          read.number(entry.capacity, `${path}/capacity`, 'capacity', { min: 0, integer: true }) ?? null;
      } else {
        const property = this.twins.get(id)?.properties.capacity;
        if (typeof property === 'number' && Number.isInteger(property) && property >= 0) capacity = property;
      }
      buffers.push({ id, capacity });
    }
    return buffers;
  }

  private readConveyors(): ConveyorSpec[] {
    const read = this.read;
    const map = read.object(this.section.conveyors, '/conveyors', 'conveyors') ?? {};
    for (const id of Object.keys(map)) {
      if (this.kinds.get(id) !== 'conveyor') read.fail(`/conveyors/${token(id)}`, `no conveyor twin "${id}"`);
    }
    const conveyors: ConveyorSpec[] = [];
    for (const [id, kind] of this.kinds) {
      if (kind !== 'conveyor') continue;
      const path = `/conveyors/${token(id)}`;
      const entry = read.object(map[id], path, `conveyor "${id}"`) ?? {};
      read.keys(entry, path, ['length', 'speed', 'pitch']);
      const p = this.twins.get(id)!.properties;
      const length = read.number(entry.length ?? p.length, `${path}/length`, `length of conveyor "${id}"`, {
        above: 0,
      });
      const speed = read.number(
        entry.speed ?? p.nominalSpeed ?? p.speed,
        `${path}/speed`,
        `speed of conveyor "${id}"`,
        { above: 0 },
      );
      if (length === undefined && entry.length === undefined && p.length === undefined) {
        read.fail(path, `conveyor "${id}" has no length: give length here or on its twin (metres)`);
      }
      if (
        speed === undefined &&
        entry.speed === undefined &&
        p.nominalSpeed === undefined &&
        p.speed === undefined
      ) {
        read.fail(path, `conveyor "${id}" has no speed: give speed here or nominalSpeed on its twin (m/s)`);
      }
      const places = typeof p.capacity === 'number' && p.capacity >= 1 ? p.capacity : undefined;
      const pitch = read.number(
        entry.pitch ?? (length !== undefined && places !== undefined ? length / places : DEFAULT_PITCH),
        `${path}/pitch`,
        'pitch',
        { above: 0 },
      );
      if (length === undefined || speed === undefined || pitch === undefined) continue;
      if (pitch > length)
        read.fail(`${path}/pitch`, `pitch ${pitch} m is longer than the conveyor (${length} m)`);
      conveyors.push({ id, length, speed, pitch });
    }
    return conveyors;
  }

  private readAgv(links: readonly DraftLink[]): AgvFleetSpec | undefined {
    const read = this.read;
    const entry = read.object(this.section.agv, '/agv', 'agv');
    const needed = links.some((link) => link.transport === 'agv');
    if (entry === undefined && !needed) return undefined;
    const config = entry ?? {};
    read.keys(config, '/agv', ['vehicles', 'speed']);
    const agvTwins = [...this.twins]
      .filter(([, twin]) => twin.model === modelIdForShortName('AGV'))
      .map(([id]) => id);
    let ids: string[] = agvTwins;
    if (Array.isArray(config.vehicles)) {
      ids = [];
      config.vehicles.forEach((raw, i) => {
        const id = read.string(raw, `/agv/vehicles/${i}`, 'a vehicle');
        if (id === undefined) return;
        if (!agvTwins.includes(id))
          read.fail(`/agv/vehicles/${i}`, `no AGV twin "${id}"${hint(id, agvTwins)}`);
        else ids.push(id);
      });
    } else if (config.vehicles !== undefined) {
      const count = read.number(config.vehicles, '/agv/vehicles', 'vehicles', { min: 1, integer: true });
      if (count !== undefined) {
        ids = Array.from({ length: count }, (_, i) => agvTwins[i] ?? `agv-${String(i + 1).padStart(2, '0')}`);
      }
    }
    if (ids.length === 0) {
      read.fail('/agv', 'AGV transport is used but there is no vehicle: add AGV twins or agv.vehicles');
      return undefined;
    }
    const speeds = ids
      .map((id) => this.twins.get(id)?.properties.maxSpeed)
      .filter((s): s is number => typeof s === 'number' && s > 0);
    const speed =
      read.number(config.speed ?? (speeds.length > 0 ? Math.min(...speeds) : 1), '/agv/speed', 'agv speed', {
        above: 0,
      }) ?? 1;
    const firstPickup = links.find((link) => link.transport === 'agv')?.from;
    const vehicles = ids.map((id) => ({
      id,
      home: this.locations[id] !== undefined || firstPickup === undefined ? id : firstPickup,
    }));
    return { vehicles, speed };
  }

  private checkAgvPaths(plant: PlantSimulation): void {
    const { locations, distance } = agvPaths(plant);
    const n = locations.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (distance[i * n + j] !== Infinity) continue;
        this.read.fail(
          '/agv',
          `no AGV path from "${locations[i]}" to "${locations[j]}": give both a layout { x, y } or state the link's distance`,
        );
        return;
      }
    }
  }
}

function normaliseTransport(transport: string): TransportKind {
  // Manual handling moves like a forklift: a delay per unit, no shared vehicle.
  return transport === 'manual' ? 'forklift' : (transport as TransportKind);
}

function shortModel(model: string): string {
  return /^dtmi:imverse:([A-Za-z]+);/.exec(model)?.[1] ?? model;
}

/** "; did you mean …" for a likely typo. */
function hint(id: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestScore = Math.max(2, Math.floor(id.length / 4)) + 1;
  for (const candidate of candidates) {
    const score = distance(id, candidate, bestScore);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best === undefined ? '' : `; did you mean "${best}"?`;
}

function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(
        Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    }
    previous = current;
  }
  return Math.min(previous[b.length]!, limit);
}
