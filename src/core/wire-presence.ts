// What people in the 3D world share through the collaboration room `world` (docs/world-presence.md):
// each person's awareness state (who, where they look, what they selected) and the shared annotations
// (pins with a note on a machine). Other people's states arrive from browsers we do not control, so
// everything read from the room goes through the parsers here and malformed entries are ignored.

/** The collaboration room that holds presence and annotations. */
export const PRESENCE_ROOM = 'world';
/** The Yjs map of the room holding annotations: annotation id → Annotation (plain JSON). */
export const ANNOTATIONS_MAP = 'annotations';
/** Longest display name, in characters. */
export const MAX_NAME_CHARS = 40;
/** Longest note, in characters: a pin is a short remark, not a report. */
export const MAX_NOTE_CHARS = 280;
/** The most annotations a room keeps; adding beyond it is refused by the page. */
export const MAX_ANNOTATIONS = 500;
/** The longest twin id a state or annotation may name (ids are DTDL-like paths). */
const MAX_ID_CHARS = 200;
/** Far enough for any plant: coordinates beyond it are garbage, not a very large factory. */
const MAX_COORDINATE = 1e6;

/** The platform's roles (src/access/roles.ts), as a presence shows them. */
export type PresenceRole = 'viewer' | 'operator' | 'engineer' | 'admin' | 'partner' | 'customer';
const ROLES: readonly PresenceRole[] = ['viewer', 'operator', 'engineer', 'admin', 'partner', 'customer'];

/** A point in the plant frame: x east, y north, z up, metres. */
export type PlantPoint = readonly [x: number, y: number, z: number];

export interface PresenceUser {
  /** Stamped by the server: the token's name (in the local demo, the name the visitor chose). */
  readonly name: string;
  /** Stamped by the server from the principal. */
  readonly role: PresenceRole;
  /** `#rrggbb`, the person's colour for avatar, list and pins. */
  readonly colour: string;
  /** A random key kept by the person's browser: says which annotations are theirs. */
  readonly key: string;
}

/** One person's awareness state in the room `world`. */
export interface PresenceState {
  readonly user: PresenceUser;
  /** Where their camera is and what it looks at; absent until their page has drawn the plant. */
  readonly camera?: { readonly position: PlantPoint; readonly target: PlantPoint };
  /** The twin they have selected, if any. */
  readonly selected?: string;
}

/** A pin with a note on a twin, seen by everyone in the room. */
export interface Annotation {
  readonly id: string;
  readonly twin: string;
  readonly text: string;
  /**
   * Name and role are stamped by the server from the principal that wrote the note (notes from before
   * stamping have no role); colour and key come from the author's browser.
   */
  readonly author: {
    readonly name: string;
    readonly colour: string;
    readonly key: string;
    readonly role?: PresenceRole;
  };
  /** When it was written, ms since the epoch. */
  readonly createdAt: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const COLOUR = /^#[0-9a-f]{6}$/i;
const KEY = /^[A-Za-z0-9_-]{4,64}$/;

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : undefined;
}

function point(value: unknown): PlantPoint | undefined {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [x, y, z] = value as unknown[];
  const ok = (n: unknown): n is number =>
    typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < MAX_COORDINATE;
  return ok(x) && ok(y) && ok(z) ? [x, y, z] : undefined;
}

/** A display name cleaned for showing: trimmed, control characters removed, cut to the limit. */
export function cleanName(name: string): string {
  return name
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, MAX_NAME_CHARS);
}

export function parseUser(value: unknown): PresenceUser | undefined {
  if (!isObject(value)) return undefined;
  const name = text(value.name, MAX_NAME_CHARS);
  const role = ROLES.find((r) => r === value.role);
  const colour = typeof value.colour === 'string' && COLOUR.test(value.colour) ? value.colour : undefined;
  const key = typeof value.key === 'string' && KEY.test(value.key) ? value.key : undefined;
  return name && role && colour && key ? { name, role, colour, key } : undefined;
}

/** Someone's awareness state, or undefined when it is not one (an old client, a broken one, a prank). */
export function parsePresenceState(value: unknown): PresenceState | undefined {
  if (!isObject(value)) return undefined;
  const user = parseUser(value.user);
  if (!user) return undefined;
  let camera: PresenceState['camera'];
  if (value.camera !== undefined) {
    if (!isObject(value.camera)) return undefined;
    const position = point(value.camera.position);
    const target = point(value.camera.target);
    if (!position || !target) return undefined;
    camera = { position, target };
  }
  const selected = value.selected === undefined ? undefined : text(value.selected, MAX_ID_CHARS);
  if (value.selected !== undefined && selected === undefined) return undefined;
  return { user, ...(camera ? { camera } : {}), ...(selected ? { selected } : {}) };
}

/** An annotation read from the room, or undefined when it is malformed. */
export function parseAnnotation(id: string, value: unknown): Annotation | undefined {
  if (!isObject(value) || value.id !== id || !KEY.test(id)) return undefined;
  const twin = text(value.twin, MAX_ID_CHARS);
  const note = text(value.text, MAX_NOTE_CHARS);
  const author = isObject(value.author) ? value.author : undefined;
  const name = author && text(author.name, MAX_NAME_CHARS);
  const colour =
    author && typeof author.colour === 'string' && COLOUR.test(author.colour) ? author.colour : undefined;
  const key = author && typeof author.key === 'string' && KEY.test(author.key) ? author.key : undefined;
  const role = author && ROLES.find((r) => r === author.role);
  const createdAt = value.createdAt;
  if (!twin || !note || !name || !colour || !key) return undefined;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < 0) return undefined;
  return { id, twin, text: note, author: { name, colour, key, ...(role ? { role } : {}) }, createdAt };
}

/** The valid annotations among a room's entries (id → value), oldest first; `twin` keeps one twin's. */
export function readAnnotations(entries: Iterable<[string, unknown]>, twin?: string): Annotation[] {
  const list: Annotation[] = [];
  for (const [id, raw] of entries) {
    const annotation = parseAnnotation(id, raw);
    if (annotation && (twin === undefined || annotation.twin === twin)) list.push(annotation);
  }
  return list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Why a new note cannot be added, in words for the person typing it; undefined when it can. */
export function noteProblem(note: string, annotations: number): string | undefined {
  const trimmed = note.trim();
  if (trimmed.length === 0) return 'Write a note first.';
  if (trimmed.length > MAX_NOTE_CHARS) return `A note is at most ${MAX_NOTE_CHARS} characters.`;
  if (annotations >= MAX_ANNOTATIONS) {
    return `This plant already has ${MAX_ANNOTATIONS} notes: delete old ones before adding more.`;
  }
  return undefined;
}

/** Whether this person may delete the annotation: its author, or an admin. */
export function mayDelete(annotation: Annotation, user: Pick<PresenceUser, 'key' | 'role'>): boolean {
  return annotation.author.key === user.key || user.role === 'admin';
}

// Names, colours and poses as browsers publish them.

/** Colours that stand out on the dark 3D view and from the state colours' greens and reds. */
export const PRESENCE_COLOURS: readonly string[] = [
  '#4fc3f7',
  '#ffb74d',
  '#ba68c8',
  '#f06292',
  '#4db6ac',
  '#fff176',
  '#9575cd',
  '#aed581',
];

/** A stable small hash of a string (FNV-1a), to pick a colour from a key. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour of a browser's key: the same key always gets the same colour. */
export function colourFor(key: string): string {
  return PRESENCE_COLOURS[hash(key) % PRESENCE_COLOURS.length]!;
}

/** "Visitor 3F2A": a name for a demo visitor, from the first four characters of their browser's key. */
export function visitorName(key: string): string {
  const tag = key
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 4)
    .toUpperCase();
  return `Visitor ${tag.padEnd(4, '0')}`;
}

/** Metres a camera must move (or its target) before others are told: below it nobody can see it. */
export const CAMERA_EPSILON = 0.01;

/** Whether two camera poses differ enough to publish the new one. */
export function cameraMoved(
  before: { position: PlantPoint; target: PlantPoint } | undefined,
  after: { position: PlantPoint; target: PlantPoint },
  epsilon = CAMERA_EPSILON,
): boolean {
  if (!before) return true;
  const far = (a: PlantPoint, b: PlantPoint): boolean =>
    Math.abs(a[0] - b[0]) > epsilon || Math.abs(a[1] - b[1]) > epsilon || Math.abs(a[2] - b[2]) > epsilon;
  return far(before.position, after.position) || far(before.target, after.target);
}

/** Rounds a pose to centimetres: smaller awareness messages, and no jitter from float noise. */
export function roundPoint([x, y, z]: readonly [number, number, number]): PlantPoint {
  // `|| 0` turns −0 into 0, so a pose reads the same in JSON and in comparisons.
  const r = (n: number): number => Math.round(n * 100) / 100 || 0;
  return [r(x), r(y), r(z)];
}
