// Shapes that cross the wire (HTTP, WebSocket, bus): imported by the server and the browser alike.
// Twins and relationships use the Azure Digital Twins JSON shape, so ADT users can bring their code.

export interface FieldMetadata {
  lastUpdateTime: string;
  /** When the device or source observed the value, if it said so. */
  sourceTime?: string;
}

export interface TwinMetadata {
  $model: string;
  $lastUpdateTime: string;
  [field: string]: FieldMetadata | string;
}

/** A twin as stored and returned: $-prefixed system fields, then its property and telemetry values. */
export interface TwinDoc {
  $dtId: string;
  $etag: string;
  $metadata: TwinMetadata;
  [field: string]: unknown;
}

export interface RelationshipDoc {
  $relationshipId: string;
  $etag: string;
  $sourceId: string;
  $relationshipName: string;
  $targetId: string;
  [property: string]: unknown;
}

/** One page of a listing or query. */
export interface Page<T> {
  value: T[];
  continuationToken: string | null;
}

/** Operational state of equipment, as the 3D world colours it. */
export const EQUIPMENT_STATES = ['running', 'idle', 'blocked', 'starved', 'down', 'maintenance'] as const;
export type EquipmentState = (typeof EQUIPMENT_STATES)[number];

export const EVENT_TYPES = {
  twinCreated: 'io.imverse.twin.created',
  twinUpdated: 'io.imverse.twin.updated',
  twinDeleted: 'io.imverse.twin.deleted',
  twinsImported: 'io.imverse.twins.imported',
  /** Values devices reported for a twin's fields (telemetry, device-owned properties). */
  twinTelemetry: 'io.imverse.twin.telemetry',
  relationshipCreated: 'io.imverse.relationship.created',
  relationshipUpdated: 'io.imverse.relationship.updated',
  relationshipDeleted: 'io.imverse.relationship.deleted',
  modelCreated: 'io.imverse.model.created',
  modelDeleted: 'io.imverse.model.deleted',
} as const;

/**
 * Security events: who signed in, what was created, revoked or refused. They travel on the bus so
 * the audit log and the live sockets (closing a revoked credential's connections) subscribe, and
 * they are never forwarded to live clients.
 */
export const SECURITY_EVENT_TYPES = {
  signedIn: 'io.imverse.security.signed-in',
  signInFailed: 'io.imverse.security.sign-in-failed',
  signedOut: 'io.imverse.security.signed-out',
  tokenCreated: 'io.imverse.security.token.created',
  /** A token, session or device credential stopped being valid: close whatever it opened. */
  credentialRevoked: 'io.imverse.security.credential.revoked',
  deviceCreated: 'io.imverse.security.device.created',
  userChanged: 'io.imverse.security.user.changed',
  policyChanged: 'io.imverse.security.policy.changed',
  accessRefused: 'io.imverse.security.access.refused',
} as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[keyof typeof SECURITY_EVENT_TYPES];

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES] | SecurityEventType;

/** The data of every security event: who did what, to what, from where, with what result. */
export interface SecurityEventData {
  /** The principal's name, or `anonymous`. */
  readonly actor: string;
  /** The credential used or affected: `token:ID`, `session:ID`, `device:NAME`, `user:NAME`. */
  readonly credential?: string;
  /** What was done, e.g. `token.create`, `GET /api/v1/twins/{id}`. */
  readonly action: string;
  /** What it was done to: a twin, a token id, a user name. */
  readonly target?: string;
  /** The client address. */
  readonly source?: string;
  readonly result: 'ok' | 'refused' | 'failed';
  /** The stable error code of a refusal or failure. */
  readonly code?: string;
}

/** A CloudEvents 1.0 envelope (structured JSON mode). */
export interface ImverseEvent<D = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  time: string;
  /** The twin the event is about (for relationship events: the source twin). */
  subject?: string;
  datacontenttype: 'application/json';
  /** Extension attribute: the DTMI of the subject twin's model, for subscription filters. */
  twinmodel?: string;
  data: D;
}

export interface TwinTelemetryData {
  twin: string;
  /** The newest value of each field in this commit; `time` is the source time (ms since epoch). */
  values: Array<{ field: string; value: unknown; time: number }>;
}

export interface TwinUpdatedData {
  twin: TwinDoc;
  patch: Array<{ op: string; path: string; value?: unknown; from?: string }>;
}

/** Messages on the live WebSocket (/api/v1/live). */
export type LiveClientMessage =
  | { type: 'subscribe'; id: string; filter: LiveFilter }
  | { type: 'unsubscribe'; id: string }
  | { type: 'ping' };

export interface LiveFilter {
  /** Only these twins. */
  twins?: string[];
  /** Only twins of these models (following `extends`). */
  models?: string[];
  /** Only twins contained (transitively, via `contains`) in this twin, and the twin itself. */
  subtree?: string;
  /** Only these event types. */
  types?: EventType[];
}

export type LiveServerMessage =
  | { type: 'subscribed'; id: string }
  | { type: 'unsubscribed'; id: string }
  | { type: 'event'; subscription: string; event: ImverseEvent }
  | { type: 'error'; code: string; message: string; id?: string }
  | { type: 'pong' };

/**
 * The 3D world as the server generates it from the twin graph and layout coordinates
 * (`GET /api/v1/world/scene`), and the browser renders it: one instanced mesh per `kind`.
 * Coordinates are metres in the plant frame: x east, y north, z up; rotation is degrees about z.
 */
export interface WorldScene {
  /** The twin the scene was generated from (its subtree), or undefined for the whole store. */
  readonly root?: string;
  /** Extent of everything placed, for the initial camera. */
  readonly bounds: {
    readonly minX: number;
    readonly minY: number;
    readonly maxX: number;
    readonly maxY: number;
  };
  readonly objects: readonly WorldObject[];
}

/** What a twin looks like in the world; the browser picks a procedural shape per kind. */
export type WorldKind =
  | 'site'
  | 'building'
  | 'zone'
  | 'workshop'
  | 'line'
  | 'station'
  | 'machine'
  | 'robot'
  | 'conveyor'
  | 'buffer'
  | 'agv'
  | 'person'
  | 'sensor'
  | 'other';

export interface WorldObject {
  /** Twin identifier. */
  readonly id: string;
  readonly name: string;
  readonly kind: WorldKind;
  /** The twin's model (DTMI). */
  readonly model: string;
  /**
   * The hierarchy tree: the twin that contains or hosts it, else the place it is `locatedIn` or
   * `assignedTo`, the site that `occupies` it, or its owner (`owns`); only when that one is in the scene.
   */
  readonly parent?: string;
  /** Placed objects have a layout; organisational ones (site, workshop, line) may not. */
  readonly layout?: {
    readonly x: number;
    readonly y: number;
    readonly z: number;
    readonly rotation: number;
    readonly width: number;
    readonly depth: number;
    readonly height: number;
  };
  /** Operating state for colouring (running, idle, blocked, starved, down, maintenance, setup, offline). */
  readonly state?: string;
  /** A finer type within the kind (a station's stationType, a machine's machineType). */
  readonly type?: string;
}
