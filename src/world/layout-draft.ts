// A layout draft's Yjs document read into plain data, checked, and resolved against the plant into the
// objects of a named version. The document's shape (docs/layout-design.md): `objects` maps a twin id
// to a Y.Map of field overrides (or `removed: true`), and `draft:<uuid>` ids to added equipment.
import { Map as YMap, type Doc } from 'yjs';
import {
  ADDED_PREFIX,
  DESIGN_KINDS,
  LAYOUT_FIELDS,
  type AddedEquipment,
  type DesignKind,
  type LayoutDraft,
  type LayoutFields,
  type LayoutOverride,
  type VersionObject,
} from '../core/wire-layout.js';
import { ValidationError, type Issue } from '../core/errors.js';
import type { WorldObject } from '../core/wire.js';

/** Plants are at most a few kilometres across: anything further is a typing slip. */
const MAX_COORDINATE = 100_000;
const MAX_SIZE = 1_000;
const MAX_NAME = 200;

/** Reads the draft document; throws IMV_LAYOUT_DRAFT_INVALID listing every value that is not a layout. */
export function readDraft(doc: Doc): LayoutDraft {
  const objects = doc.getMap('objects');
  const overrides: Record<string, LayoutOverride> = {};
  const added: Record<string, AddedEquipment> = {};
  const issues: Issue[] = [];
  for (const [id, raw] of objects.entries()) {
    const value: unknown = raw instanceof YMap ? raw.toJSON() : raw;
    const path = `/objects/${id.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!isRecord(value)) {
      issues.push({ path, message: 'is not a map of layout fields' });
      continue;
    }
    if (id.startsWith(ADDED_PREFIX)) {
      const equipment = readAdded(value, path, issues);
      if (equipment && value.removed !== true) added[id] = equipment;
    } else {
      const override = readOverride(value, path, issues);
      if (override) overrides[id] = override;
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(
      'IMV_LAYOUT_DRAFT_INVALID',
      `The draft holds ${issues.length} value(s) that are not a layout: ${issues[0]!.path} ${issues[0]!.message}`,
      { issues },
    );
  }
  return { overrides, added };
}

function readOverride(
  value: Record<string, unknown>,
  path: string,
  issues: Issue[],
): LayoutOverride | undefined {
  if (value.removed === true) return { removed: true };
  const override: Partial<LayoutFields> = {};
  for (const field of LAYOUT_FIELDS) {
    if (value[field] === undefined) continue;
    const n = checkField(field, value[field], `${path}/${field}`, issues);
    if (n !== undefined) override[field] = n;
  }
  return Object.keys(override).length > 0 ? override : undefined;
}

function readAdded(
  value: Record<string, unknown>,
  path: string,
  issues: Issue[],
): AddedEquipment | undefined {
  const before = issues.length;
  const kind = value.kind;
  if (typeof kind !== 'string' || !(DESIGN_KINDS as readonly string[]).includes(kind)) {
    issues.push({ path: `${path}/kind`, message: `is not one of ${DESIGN_KINDS.join(', ')}` });
  }
  const name = value.name;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    issues.push({ path: `${path}/name`, message: `is not a name of 1–${MAX_NAME} characters` });
  }
  if (value.model !== undefined && (typeof value.model !== 'string' || value.model.length > MAX_NAME)) {
    issues.push({ path: `${path}/model`, message: 'is not a model name' });
  }
  const fields: Partial<LayoutFields> = {};
  for (const field of LAYOUT_FIELDS) {
    const n = checkField(field, value[field], `${path}/${field}`, issues);
    if (n !== undefined) fields[field] = n;
  }
  if (issues.length > before) return undefined;
  return {
    kind: kind as DesignKind,
    name: name as string,
    ...(typeof value.model === 'string' ? { model: value.model } : {}),
    ...(fields as LayoutFields),
  };
}

function checkField(field: string, value: unknown, path: string, issues: Issue[]): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ path, message: 'is not a finite number' });
    return undefined;
  }
  if (field === 'rotation') return normaliseDegrees(value);
  if (field === 'x' || field === 'y') {
    if (Math.abs(value) <= MAX_COORDINATE) return value;
    issues.push({ path, message: `is further than ${MAX_COORDINATE} m from the origin` });
    return undefined;
  }
  if (value > 0 && value <= MAX_SIZE) return value;
  issues.push({ path, message: `is not a size between 0 and ${MAX_SIZE} m` });
  return undefined;
}

/** Degrees in [0, 360). */
export function normaliseDegrees(degrees: number): number {
  const d = degrees % 360;
  return d < 0 ? d + 360 : d === 0 ? 0 : d;
}

/** How many objects the draft changes, adds or removes. */
export function draftChangeCount(draft: LayoutDraft): number {
  return Object.keys(draft.overrides).length + Object.keys(draft.added).length;
}

export function layoutOf(object: WorldObject): LayoutFields | undefined {
  const l = object.layout;
  if (!l) return undefined;
  return { x: l.x, y: l.y, rotation: l.rotation, width: l.width, depth: l.depth, height: l.height };
}

/**
 * The objects of a version: each override applied to the plant's layout of its twin (as `objects` has
 * it now), removals and additions. Overrides of twins the plant does not place are left out and named.
 */
export function resolveDraft(
  draft: LayoutDraft,
  objects: readonly WorldObject[],
): { objects: VersionObject[]; unknown: string[] } {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const resolved: VersionObject[] = [];
  const unknown: string[] = [];
  for (const [id, override] of Object.entries(draft.overrides).sort(([a], [b]) => a.localeCompare(b))) {
    const object = byId.get(id);
    const before = object && layoutOf(object);
    if (!object || !before) {
      unknown.push(id);
      continue;
    }
    const { removed, ...fields } = override;
    resolved.push({
      id,
      name: object.name,
      kind: object.kind,
      change: removed ? 'removed' : 'changed',
      layout: removed ? before : { ...before, ...fields },
      before,
    });
  }
  for (const [id, equipment] of Object.entries(draft.added).sort(([a], [b]) => a.localeCompare(b))) {
    const { kind, name, x, y, rotation, width, depth, height } = equipment;
    resolved.push({ id, name, kind, change: 'added', layout: { x, y, rotation, width, depth, height } });
  }
  return { objects: resolved, unknown };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
