// The 3D scene generated from the twin graph: what each twin looks like (its kind, from its model),
// where it stands (its layout) and what contains or hosts it (the hierarchy tree). Pure: the caller
// reads the twins and relationships (scene-source.ts) and says how models extend each other.
import { NotFoundError } from '../core/errors.js';
import type { WorldKind, WorldObject, WorldScene } from '../core/wire.js';
import { modelIdForShortName } from '../model/ontology/names.js';

export interface SceneTwin {
  readonly id: string;
  /** The twin's model (DTMI). */
  readonly model: string;
  /** Its values of SCENE_FIELDS (others are ignored). */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface SceneLink {
  readonly source: string;
  readonly name: string;
  readonly target: string;
}

export interface SceneInput {
  readonly twins: Iterable<SceneTwin>;
  /** Relationships; only NESTING_RELATIONSHIPS count, and only between twins of the input. */
  readonly links: readonly SceneLink[];
  /** True when `model` is `base` or extends it (ModelRegistry.isOfModel). */
  readonly isOfModel: (model: string, base: string) => boolean;
  /** Only this twin and what it contains or hosts, transitively. */
  readonly root?: string;
}

/** The relationships that make the hierarchy: the source is the parent. */
export const NESTING_RELATIONSHIPS: readonly string[] = ['contains', 'hosts'];
/**
 * Where the tree puts a twin nothing contains or hosts, in order of preference: the place it is
 * `locatedIn`, the place a person is `assignedTo`, the site that `occupies` a building, the twin that
 * `owns` it. `child` says which end of the relationship is the child.
 */
const PLACING_RELATIONSHIPS: ReadonlyArray<{ readonly name: string; readonly child: 'source' | 'target' }> = [
  { name: 'locatedIn', child: 'source' },
  { name: 'assignedTo', child: 'source' },
  { name: 'occupies', child: 'target' },
  { name: 'owns', child: 'target' },
];
export const SCENE_RELATIONSHIPS: readonly string[] = [
  ...NESTING_RELATIONSHIPS,
  ...PLACING_RELATIONSHIPS.map((r) => r.name),
];

/** The twin properties the scene reads: name, state, layout and each kind's finer type. */
export const SCENE_FIELDS: readonly string[] = [
  'name',
  'state',
  'layout',
  'stationType',
  'machineType',
  'robotType',
  'sensorType',
  'zoneType',
];

type KindRule = { model: string; kind: WorldKind; type?: string };

/**
 * Kinds by ontology model, most specific first: a model takes the first kind it is (or extends).
 * Factory and Enterprise draw as `site` (type `factory`, `enterprise`): organisations above the
 * workshop, usually unplaced, which the hierarchy tree still needs as its roots. Customer is a Person.
 */
const KINDS: readonly KindRule[] = (
  [
    { model: 'AGV', kind: 'agv' },
    { model: 'Robot', kind: 'robot' },
    { model: 'Conveyor', kind: 'conveyor' },
    { model: 'Buffer', kind: 'buffer' },
    { model: 'Machine', kind: 'machine' },
    { model: 'Sensor', kind: 'sensor' },
    { model: 'Station', kind: 'station' },
    { model: 'Line', kind: 'line' },
    { model: 'Workshop', kind: 'workshop' },
    { model: 'Zone', kind: 'zone' },
    { model: 'Building', kind: 'building' },
    { model: 'Factory', kind: 'site', type: 'factory' },
    { model: 'Enterprise', kind: 'site', type: 'enterprise' },
    { model: 'Site', kind: 'site' },
    { model: 'Person', kind: 'person' },
  ] satisfies KindRule[]
).map((rule) => ({ ...rule, model: modelIdForShortName(rule.model) }));

/** The property holding the finer type of each kind. */
const TYPE_FIELD: Partial<Record<WorldKind, string>> = {
  station: 'stationType',
  machine: 'machineType',
  robot: 'robotType',
  sensor: 'sensorType',
  zone: 'zoneType',
};

type Layout = NonNullable<WorldObject['layout']>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Bounds = Mutable<WorldScene['bounds']>;

export function generateScene(input: SceneInput): WorldScene {
  const twins = new Map<string, SceneTwin>();
  for (const twin of input.twins) twins.set(twin.id, twin);
  const children = new Map<string, string[]>();
  for (const link of input.links) {
    if (!NESTING_RELATIONSHIPS.includes(link.name) || link.source === link.target) continue;
    if (!twins.has(link.source) || !twins.has(link.target)) continue;
    const list = children.get(link.source);
    if (list === undefined) children.set(link.source, [link.target]);
    else list.push(link.target);
  }

  const members = input.root === undefined ? [...twins.keys()] : subtree(input.root, twins, children);
  const inScene = new Set(members);
  const parents = parentsOf(children, inScene, input.root, fallbackParents(input.links, inScene));
  const kindOf = kindResolver(input.isOfModel);
  const bounds = emptyBounds();
  let placed = 0;

  // Code-unit order, as the store's: the client's instance indices follow it.
  members.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const objects = members.map((id): WorldObject => {
    const twin = twins.get(id)!;
    const props = twin.properties;
    const { kind, type: kindType } = kindOf(twin.model);
    // Assigned field by field: spreading optional parts costs more at ten thousand objects.
    const object: Mutable<WorldObject> = { id, name: nonEmpty(props.name) ?? id, kind, model: twin.model };
    const parent = parents.get(id);
    if (parent !== undefined) object.parent = parent;
    const layout = layoutOf(props.layout);
    if (layout !== undefined) {
      object.layout = layout;
      extend(bounds, layout);
      placed++;
    }
    const state = nonEmpty(props.state);
    if (state !== undefined) object.state = state;
    const typeField = TYPE_FIELD[kind];
    const type = typeField === undefined ? kindType : nonEmpty(props[typeField]);
    if (type !== undefined) object.type = type;
    return object;
  });
  return {
    ...(input.root === undefined ? {} : { root: input.root }),
    bounds: placed === 0 ? { minX: 0, minY: 0, maxX: 0, maxY: 0 } : rounded(bounds),
    objects,
  };
}

/** The root and everything it contains or hosts, transitively (cycles end the walk). */
function subtree(
  root: string,
  twins: ReadonlyMap<string, SceneTwin>,
  children: ReadonlyMap<string, string[]>,
): string[] {
  if (!twins.has(root)) throw new NotFoundError('IMV_TWIN_NOT_FOUND', `Twin ${root} not found`);
  const seen = new Set([root]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i]!) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return queue;
}

/**
 * Each object's parent: the source of a nesting relationship to it, within the scene. Containment
 * should be a tree; where a twin has several parents the smallest identifier wins, so the answer
 * does not depend on the order relationships were read, and a cycle loses the link into its
 * smallest member, so the client's tree always ends.
 */
function parentsOf(
  children: ReadonlyMap<string, string[]>,
  inScene: ReadonlySet<string>,
  root: string | undefined,
  fallback: ReadonlyMap<string, string>,
): Map<string, string> {
  const parents = new Map<string, string>();
  for (const [source, targets] of children) {
    if (!inScene.has(source)) continue;
    for (const target of targets) {
      if (target === root || !inScene.has(target)) continue;
      const current = parents.get(target);
      if (current === undefined || source < current) parents.set(target, source);
    }
  }
  for (const [child, parent] of fallback)
    if (child !== root && !parents.has(child)) parents.set(child, parent);
  // Walk up from every object, stamping what each walk passes: meeting its own stamp is a cycle,
  // an older one a chain already checked.
  const walkOf = new Map<string, number>();
  let walk = 0;
  for (const start of parents.keys()) {
    walk++;
    let at: string | undefined = start;
    while (at !== undefined && !walkOf.has(at)) {
      walkOf.set(at, walk);
      at = parents.get(at);
    }
    if (at === undefined || walkOf.get(at) !== walk) continue;
    let smallest = at;
    for (let next = parents.get(at)!; next !== at; next = parents.get(next)!) {
      if (next < smallest) smallest = next;
    }
    parents.delete(smallest);
  }
  return parents;
}

/** Each scene twin's parent by the placing relationships, the first that applies; smallest identifier wins. */
function fallbackParents(links: SceneInput['links'], inScene: ReadonlySet<string>): Map<string, string> {
  const byRule = PLACING_RELATIONSHIPS.map(() => new Map<string, string>());
  for (const { name, source, target } of links) {
    const rule = PLACING_RELATIONSHIPS.findIndex((r) => r.name === name);
    if (rule < 0 || source === target || !inScene.has(source) || !inScene.has(target)) continue;
    const [child, parent] =
      PLACING_RELATIONSHIPS[rule]!.child === 'source' ? [source, target] : [target, source];
    const current = byRule[rule]!.get(child);
    if (current === undefined || parent < current) byRule[rule]!.set(child, parent);
  }
  const parents = new Map<string, string>();
  for (const map of byRule)
    for (const [child, parent] of map) if (!parents.has(child)) parents.set(child, parent);
  return parents;
}

/** Kind and default type of a model, each model resolved once. */
function kindResolver(
  isOfModel: (model: string, base: string) => boolean,
): (model: string) => { kind: WorldKind; type?: string } {
  const cache = new Map<string, { kind: WorldKind; type?: string }>();
  return (model) => {
    let found = cache.get(model);
    if (found === undefined) {
      const rule = KINDS.find((candidate) => isOfModel(model, candidate.model));
      found =
        rule === undefined
          ? { kind: 'other' }
          : { kind: rule.kind, ...(rule.type === undefined ? {} : { type: rule.type }) };
      cache.set(model, found);
    }
    return found;
  };
}

/** A layout needs finite x and y; other fields missing or invalid count as 0. */
function layoutOf(value: unknown): Layout | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (!isFiniteNumber(record.x) || !isFiniteNumber(record.y)) return undefined;
  const num = (field: string) => {
    const v = record[field];
    return isFiniteNumber(v) ? v : 0;
  };
  return {
    x: record.x,
    y: record.y,
    z: num('z'),
    rotation: num('rotation'),
    width: Math.abs(num('width')),
    depth: Math.abs(num('depth')),
    height: Math.abs(num('height')),
  };
}

function emptyBounds(): Bounds {
  return { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
}

/** Grows the bounds by the footprint's axis-aligned box, turned by its rotation. */
function extend(bounds: Bounds, layout: Layout): void {
  const angle = (layout.rotation * Math.PI) / 180;
  const cos = Math.abs(Math.cos(angle));
  const sin = Math.abs(Math.sin(angle));
  const halfX = (layout.width * cos + layout.depth * sin) / 2;
  const halfY = (layout.width * sin + layout.depth * cos) / 2;
  bounds.minX = Math.min(bounds.minX, layout.x - halfX);
  bounds.maxX = Math.max(bounds.maxX, layout.x + halfX);
  bounds.minY = Math.min(bounds.minY, layout.y - halfY);
  bounds.maxY = Math.max(bounds.maxY, layout.y + halfY);
}

/** To the millimetre: cos(90°) is not quite 0, and a camera needs no more. */
function rounded(bounds: Bounds): Bounds {
  const mm = (value: number) => Math.round(value * 1000) / 1000 || 0;
  return { minX: mm(bounds.minX), minY: mm(bounds.minY), maxX: mm(bounds.maxX), maxY: mm(bounds.maxY) };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
