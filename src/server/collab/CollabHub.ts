// Shared documents for people in the world at once, speaking the y-websocket protocol: Yjs sync for
// documents (annotations, layout drafts) and the awareness protocol for presence (who is here, where
// they look). One room per name and tenant scope; edits persist in the CollabStore as they arrive.
// The hub is the authority on who wrote what (authorship.ts) and bounds what a tenant can grow: its
// rooms, each room's document and each edit.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { applyUpdate, decodeUpdate, Doc, encodeStateAsUpdate, mergeUpdates } from 'yjs';
import type { EventBus } from '../../bus/bus.js';
import { DEFAULT_CONFIG } from '../../core/config.js';
import { ImverseError, isImverseError, ValidationError, type ErrorCode } from '../../core/errors.js';
import type { RefusalCounter } from '../../core/refusals.js';
import { ANNOTATIONS_MAP, PRESENCE_ROOM } from '../../core/wire-presence.js';
import { CredentialSockets } from '../credential-sockets.js';
import type { CollabStats } from '../metrics.js';
import { decodeAwareness, encodeAwareness, type AwarenessEntry } from './awareness-codec.js';
import { stampNote, stampPresence, type Authorship } from './authorship.js';
import type { CollabStore } from './collab-store.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
/** Rooms a hub holds in memory at once; idle ones are unloaded to make space. */
const MAX_ROOMS = 1000;
/** Awareness clients one connection speaks for: a page has one; a few more allow for its reconnects. */
const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 4;
/** Updates appended to a room's stored history before it is folded into one again. */
const FOLD_AFTER = 500;
export const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Who sees a room: a principal limited to tenant prefixes gets rooms of its own, apart from others'. */
export function scopeKey(prefixes: readonly string[] | undefined): string {
  return prefixes === undefined ? '*' : [...prefixes].sort().join('|');
}

export interface CollabLimits {
  /** Rooms one tenant scope may have, besides its world room (config `collabMaxRoomsPerTenant`). */
  readonly maxRoomsPerTenant: number;
  /** Size of a room's document past which edits that add content are refused (`collabMaxDocumentBytes`). */
  readonly maxDocumentBytes: number;
  /** Size of one edit a client may send (`collabMaxUpdateBytes`). */
  readonly maxUpdateBytes: number;
}

export interface CollabHubOptions extends Partial<CollabLimits> {
  /** Where credential revocations arrive: the sockets a revoked credential opened are closed. */
  readonly bus?: EventBus;
  readonly refusals?: RefusalCounter;
}

/** Who joins which room, as the route authenticated them. */
export interface CollabJoin {
  readonly scope: string;
  readonly room: string;
  /** May change documents, and create rooms; viewers without it still share presence. */
  readonly canWrite: boolean;
  /** The principal's credential (`token:ID`): revoking it closes the socket. */
  readonly credential?: string;
  readonly author: Authorship;
}

interface Connection {
  readonly socket: WebSocket;
  readonly canWrite: boolean;
  readonly author: Authorship;
  /** Awareness client ids this connection speaks for, removed when it leaves. */
  readonly clients: Set<number>;
}

export interface CollabCounters {
  /** Messages that could not be decoded; the connection was closed. */
  invalidMessages: number;
  /** Document edits sent by viewers who may not edit. */
  refusedEdits: number;
}

/** What a room needs of its hub. */
interface RoomContext {
  readonly store: CollabStore | undefined;
  readonly limits: CollabLimits;
  readonly counters: CollabCounters;
  refuse(connection: Connection, code: ErrorCode, message: string): void;
}

class Room {
  readonly doc = new Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  /** Whether the store holds something of this room: it then exists after it is unloaded. */
  stored = false;
  /** Which connection speaks for each awareness client id. */
  private readonly owners = new Map<number, Connection>();
  /** The document's size when `measured`, else that plus the updates applied since (an upper bound). */
  private bytes = 0;
  private measured = false;
  private appendedSinceFold = 0;
  /** While a client's edit is applied and stamped: the updates it made, sent on to everyone as one. */
  private held: Uint8Array[] | undefined;
  private editing: Connection | undefined;
  private readonly notesTouched = new Set<string>();

  constructor(
    readonly key: string,
    readonly name: string,
    private readonly context: RoomContext,
  ) {
    // The hub's own awareness entry would show as a person: it has none.
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'store') this.persist(update);
      this.bytes += update.byteLength;
      this.measured = false;
      if (this.held) this.held.push(update);
      else this.broadcast(encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update)));
    });
    const saved = context.store?.load(key);
    if (saved) {
      applyUpdate(this.doc, saved, 'store');
      this.stored = true;
    }
    if (name === PRESENCE_ROOM) {
      this.doc.getMap<unknown>(ANNOTATIONS_MAP).observe((event, transaction) => {
        if (this.editing !== undefined && transaction.origin === this.editing) {
          for (const key of event.keysChanged) this.notesTouched.add(key);
        }
      });
    }
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        const changed = [...added, ...updated, ...removed];
        this.broadcast(
          encodeMessage(MESSAGE_AWARENESS, (e) =>
            encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)),
          ),
        );
      },
    );
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    send(
      connection,
      encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, this.doc)),
    );
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) {
      send(
        connection,
        encodeMessage(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, present)),
        ),
      );
    }
  }

  leave(connection: Connection): void {
    this.connections.delete(connection);
    for (const id of connection.clients) if (this.owners.get(id) === connection) this.owners.delete(id);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.clients], null);
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }

  receive(connection: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.readSyncStep1(decoder, encoder, this.doc);
        send(connection, encoding.toUint8Array(encoder));
      } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        this.edit(connection, decoding.readVarUint8Array(decoder));
      } else {
        throw new ValidationError('IMV_COLLAB_MESSAGE_INVALID', `Unknown sync step ${step}`);
      }
    } else if (type === MESSAGE_AWARENESS) {
      this.present(connection, decoding.readVarUint8Array(decoder));
    } else {
      throw new ValidationError('IMV_COLLAB_MESSAGE_INVALID', `Unknown collaboration message type ${type}`);
    }
  }

  /** Whether `extra` more bytes keep the document within its limit; measures only when near it. */
  fits(extra: number): boolean {
    const max = this.context.limits.maxDocumentBytes;
    if (this.bytes + extra <= max) return true;
    if (!this.measured) {
      this.bytes = encodeStateAsUpdate(this.doc).byteLength;
      this.measured = true;
    }
    return this.bytes + extra <= max;
  }

  private edit(connection: Connection, update: Uint8Array): void {
    const { limits, counters } = this.context;
    if (!connection.canWrite) {
      // A viewer's edit is not applied; its client learns from /api/v1/world/me not to offer editing.
      // The empty update a viewer's client answers the first sync with is no edit.
      if (!isEmptyUpdate(update)) {
        counters.refusedEdits++;
        this.context.refuse(connection, 'IMV_AUTH_FORBIDDEN', `Role ${connection.author.role} may not edit`);
      }
      return;
    }
    if (update.byteLength > limits.maxUpdateBytes) {
      this.context.refuse(
        connection,
        'IMV_COLLAB_UPDATE_TOO_LARGE',
        `An edit is at most ${limits.maxUpdateBytes} bytes`,
      );
      return;
    }
    // Deleting is always accepted, so a full room can be made room in.
    if (decodeUpdate(update).structs.length > 0 && !this.fits(update.byteLength)) {
      this.context.refuse(
        connection,
        'IMV_COLLAB_DOCUMENT_FULL',
        `Room ${this.name} holds ${limits.maxDocumentBytes} bytes at most`,
      );
      return;
    }
    this.held = [];
    this.editing = connection;
    try {
      applyUpdate(this.doc, update, connection);
      this.stampNotes(connection);
    } finally {
      const held = this.held;
      this.held = undefined;
      this.editing = undefined;
      this.notesTouched.clear();
      // The client's edit and the stamps over it reach everyone at once: nobody sees a forged author.
      if (held.length > 0) {
        const merged = held.length === 1 ? held[0]! : mergeUpdates(held);
        this.broadcast(encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, merged)));
      }
    }
  }

  private stampNotes(connection: Connection): void {
    if (this.notesTouched.size === 0) return;
    const notes = this.doc.getMap<unknown>(ANNOTATIONS_MAP);
    const stamped: Array<[string, unknown]> = [];
    for (const id of this.notesTouched) {
      const note = notes.has(id) ? stampNote(notes.get(id), connection.author) : undefined;
      if (note) stamped.push([id, note]);
    }
    if (stamped.length === 0) return;
    this.doc.transact(() => {
      for (const [id, note] of stamped) notes.set(id, note);
    }, 'server');
  }

  private present(connection: Connection, update: Uint8Array): void {
    const accepted: AwarenessEntry[] = [];
    let refused = 0;
    for (const entry of decodeAwareness(update)) {
      // y-websocket clients send everyone's changes back to the server: those are not news.
      const known = this.awareness.meta.get(entry.clientID);
      if (
        known !== undefined &&
        entry.clock <= known.clock &&
        this.owners.get(entry.clientID) !== connection
      ) {
        continue;
      }
      if (!this.speaksFor(connection, entry.clientID)) refused++;
      else {
        const state = entry.state === null ? null : stampPresence(entry.state, connection.author);
        accepted.push({ ...entry, state });
      }
    }
    if (refused > 0) {
      this.context.refuse(
        connection,
        'IMV_COLLAB_MESSAGE_INVALID',
        `A connection speaks for itself and at most ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} awareness clients`,
      );
    }
    if (accepted.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwareness(accepted), connection);
    }
  }

  /** Whether the connection may set this awareness client's state: its own, or a new one within its bound. */
  private speaksFor(connection: Connection, clientId: number): boolean {
    if (clientId === this.awareness.clientID) return false;
    const owner = this.owners.get(clientId);
    if (owner === connection) return true;
    // Someone else's person, unless their connection is going (a page that reconnected).
    if (owner !== undefined && owner.socket.readyState === owner.socket.OPEN) return false;
    if (connection.clients.size >= MAX_AWARENESS_CLIENTS_PER_CONNECTION) return false;
    owner?.clients.delete(clientId);
    this.owners.set(clientId, connection);
    connection.clients.add(clientId);
    return true;
  }

  private persist(update: Uint8Array): void {
    const store = this.context.store;
    if (store === undefined) return;
    store.append(this.key, update);
    this.stored = true;
    // The stored history would grow with every edit, even when the document does not (notes added
    // and deleted): fold it into the document's state now and then.
    if (++this.appendedSinceFold >= FOLD_AFTER) {
      store.replace(this.key, encodeStateAsUpdate(this.doc));
      this.appendedSinceFold = 0;
    }
  }

  private broadcast(message: Uint8Array): void {
    for (const connection of this.connections) send(connection, message);
  }
}

export class CollabHub {
  private readonly rooms = new Map<string, Room>();
  /** The rooms that exist in each tenant scope: stored ones, and those open in memory. */
  private readonly known = new Map<string, Set<string>>();
  readonly counters: CollabCounters = { invalidMessages: 0, refusedEdits: 0 };
  private readonly limits: CollabLimits;
  private readonly refusals: RefusalCounter | undefined;
  private readonly credentials: CredentialSockets | undefined;
  private readonly context: RoomContext;

  constructor(
    private readonly store?: CollabStore,
    options: CollabHubOptions = {},
  ) {
    this.limits = {
      maxRoomsPerTenant: options.maxRoomsPerTenant ?? DEFAULT_CONFIG.collabMaxRoomsPerTenant,
      maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_CONFIG.collabMaxDocumentBytes,
      maxUpdateBytes: options.maxUpdateBytes ?? DEFAULT_CONFIG.collabMaxUpdateBytes,
    };
    this.refusals = options.refusals;
    this.credentials = options.bus && new CredentialSockets(options.bus, options.refusals);
    this.context = {
      store,
      limits: this.limits,
      counters: this.counters,
      refuse: (connection, code, message) => {
        this.refusals?.count('ws', code);
        send(
          connection,
          encodeMessage(MESSAGE_AUTH, (e) => authProtocol.writePermissionDenied(e, `${code}: ${message}`)),
        );
      },
    };
    for (const key of store?.rooms() ?? []) {
      const cut = key.lastIndexOf('/');
      this.knownIn(key.slice(0, cut)).add(key.slice(cut + 1));
    }
  }

  /**
   * The live document of a room, created when it does not exist (for callers who may edit). Changes
   * made to it here reach every person in the room and are stored, as theirs are.
   */
  document(scope: string, room: string): Doc {
    return this.room(scope, room, true).doc;
  }

  /** A room's document to read: an empty one when the room does not exist, which is not created. */
  read(scope: string, room: string): Doc {
    checkRoomName(room);
    const open = this.rooms.get(`${scope}/${room}`);
    if (open) return open.doc;
    return this.knownIn(scope).has(room) ? this.room(scope, room, false).doc : new Doc();
  }

  /** Refuses (IMV_COLLAB_DOCUMENT_FULL) an edit of about `bytes` that would take the room past its limit. */
  ensureSpace(scope: string, room: string, bytes: number): void {
    const open = this.rooms.get(`${scope}/${room}`);
    if (open && !open.fits(bytes)) {
      throw new ImverseError(
        'IMV_COLLAB_DOCUMENT_FULL',
        `Room ${room} holds ${this.limits.maxDocumentBytes} bytes at most`,
      );
    }
  }

  /** The room's state as one Yjs update, e.g. to save a named version of a layout draft. */
  snapshot(scope: string, room: string): Uint8Array {
    return encodeStateAsUpdate(this.read(scope, room));
  }

  /** People present in a room: their awareness states (name, role, camera…). */
  presence(scope: string, room: string): unknown[] {
    return [...(this.rooms.get(`${scope}/${room}`)?.awareness.getStates().values() ?? [])];
  }

  stats(): CollabStats {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.connections.size;
    return { rooms: this.rooms.size, connections, ...this.counters };
  }

  /** Throws what joining would refuse, so the route refuses before the WebSocket upgrade. */
  checkJoin(scope: string, room: string, canWrite: boolean): void {
    this.admit(scope, room, canWrite);
  }

  attach(socket: WebSocket, join: CollabJoin): void {
    let room: Room;
    try {
      room = this.room(join.scope, join.room, join.canWrite);
    } catch (error) {
      // Checked before the upgrade; only a race with another join gets here.
      const code = isImverseError(error) ? error.code : 'IMV_COLLAB_ROOM_LIMIT';
      this.refusals?.count('ws', code);
      socket.close(1008, code);
      return;
    }
    const connection: Connection = {
      socket,
      canWrite: join.canWrite,
      author: join.author,
      clients: new Set(),
    };
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // A socket being closed (its credential revoked) changes nothing any more.
      if (socket.readyState !== socket.OPEN) return;
      try {
        if (!isBinary) throw new ValidationError('IMV_COLLAB_MESSAGE_INVALID', 'Messages must be binary');
        room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch (error) {
        // A client that speaks garbage is closed; the room and everyone else in it carry on.
        const code = error instanceof ValidationError ? error.code : 'IMV_COLLAB_MESSAGE_INVALID';
        this.counters.invalidMessages++;
        this.refusals?.count('ws', code);
        socket.close(1007, code);
      }
    });
    socket.on('close', () => {
      room.leave(connection);
      if (room.connections.size === 0) this.unload(room);
    });
    room.join(connection);
    this.credentials?.track(socket, join.credential);
  }

  close(): void {
    this.credentials?.dispose();
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) connection.socket.close(1001, 'server shutting down');
      room.destroy();
    }
    this.rooms.clear();
    this.store?.close();
  }

  private knownIn(scope: string): Set<string> {
    let rooms = this.known.get(scope);
    if (rooms === undefined) this.known.set(scope, (rooms = new Set()));
    return rooms;
  }

  /** Refuses what may not be opened: a bad name, a new room for a viewer or past the tenant's bound. */
  private admit(scope: string, name: string, mayCreate: boolean): void {
    checkRoomName(name);
    if (this.rooms.has(`${scope}/${name}`)) return;
    const known = this.knownIn(scope);
    // Every tenant has its world room (presence and notes): readers may open it, and it is not counted.
    if (name !== PRESENCE_ROOM && !known.has(name)) {
      if (!mayCreate) {
        throw new ImverseError(
          'IMV_COLLAB_ROOM_NOT_FOUND',
          `No room ${name}: it is created by someone who may edit`,
        );
      }
      const counted = known.size - (known.has(PRESENCE_ROOM) ? 1 : 0);
      if (counted >= this.limits.maxRoomsPerTenant) {
        throw new ImverseError(
          'IMV_COLLAB_TENANT_ROOM_LIMIT',
          `This tenant has ${counted} rooms, the most it may have (collabMaxRoomsPerTenant)`,
        );
      }
    }
    if (this.rooms.size >= MAX_ROOMS && !this.hasIdleRoom()) {
      throw new ImverseError('IMV_COLLAB_ROOM_LIMIT', `This server holds at most ${MAX_ROOMS} rooms in use`);
    }
  }

  private room(scope: string, name: string, mayCreate: boolean): Room {
    const key = `${scope}/${name}`;
    const open = this.rooms.get(key);
    if (open) return open;
    this.admit(scope, name, mayCreate);
    if (this.rooms.size >= MAX_ROOMS) this.unloadIdleRoom();
    const room = new Room(key, name, this.context);
    this.rooms.set(key, room);
    this.knownIn(scope).add(name);
    return room;
  }

  /** Without a store a room lives only in memory: it is never unloaded. */
  private hasIdleRoom(): boolean {
    if (this.store === undefined) return false;
    for (const room of this.rooms.values()) if (room.connections.size === 0) return true;
    return false;
  }

  private unloadIdleRoom(): void {
    for (const room of this.rooms.values()) {
      if (room.connections.size === 0) {
        this.unload(room);
        return;
      }
    }
  }

  /** Frees an idle room's memory; it is loaded again from the store when next opened. */
  private unload(room: Room): void {
    if (this.store === undefined || this.rooms.get(room.key) !== room) return;
    this.rooms.delete(room.key);
    room.destroy();
    // A room nothing was ever written to does not go on counting against its tenant.
    if (!room.stored) {
      const cut = room.key.lastIndexOf('/');
      this.known.get(room.key.slice(0, cut))?.delete(room.name);
    }
  }
}

function checkRoomName(name: string): void {
  if (!ROOM_NAME.test(name)) {
    throw new ValidationError(
      'IMV_COLLAB_ROOM_INVALID',
      `Room names are 1–80 letters, digits, dots, dashes or underscores: ${JSON.stringify(name)}`,
    );
  }
}

/** The update a client that has nothing sends (no structs, no deletions). */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

function encodeMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function send(connection: Connection, message: Uint8Array): void {
  if (connection.socket.readyState !== connection.socket.OPEN) return;
  connection.socket.send(message, (error) => {
    if (error) connection.socket.terminate();
  });
}
