// Shared documents for people in the world at once, speaking the y-websocket protocol: Yjs sync for
// documents (annotations, layout drafts) and the awareness protocol for presence (who is here, where
// they look). One room per name and tenant scope; edits persist in the CollabStore as they arrive.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { applyUpdate, Doc, encodeStateAsUpdate } from 'yjs';
import { ValidationError } from '../../core/errors.js';
import type { CollabStats } from '../metrics.js';
import type { CollabStore } from './collab-store.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** Rooms a hub holds in memory at once; each is a small document. */
const MAX_ROOMS = 1000;
export const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Who sees a room: a principal limited to tenant prefixes gets rooms of its own, apart from others'. */
export function scopeKey(prefixes: readonly string[] | undefined): string {
  return prefixes === undefined ? '*' : [...prefixes].sort().join('|');
}

interface Connection {
  readonly socket: WebSocket;
  /** May change documents; viewers without it still share presence. */
  readonly canWrite: boolean;
  /** Awareness client ids this connection speaks for, removed when it leaves. */
  readonly clients: Set<number>;
}

class Room {
  readonly doc = new Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();

  constructor(
    readonly key: string,
    store: CollabStore | undefined,
    private readonly counters: CollabCounters,
  ) {
    // The hub's own awareness entry would show as a person: it has none.
    this.awareness.setLocalState(null);
    const saved = store?.load(key);
    if (saved) applyUpdate(this.doc, saved, 'store');
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'store') store?.append(key, update);
      const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
      for (const connection of this.connections) send(connection, message);
    });
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        const from = origin as Connection | undefined;
        if (from?.clients) {
          for (const id of added) from.clients.add(id);
          for (const id of removed) from.clients.delete(id);
        }
        const message = encodeMessage(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)),
        );
        for (const connection of this.connections) send(connection, message);
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
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.clients], null);
  }

  receive(connection: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.peekVarUint(decoder);
      if (step !== syncProtocol.messageYjsSyncStep1 && !connection.canWrite) {
        // A viewer's edit is not applied; its client learns from /api/v1/world/me not to offer editing.
        this.counters.refusedEdits++;
        return;
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.readSyncMessage(decoder, encoder, this.doc, connection);
      if (encoding.length(encoder) > 1) send(connection, encoding.toUint8Array(encoder));
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), connection);
    } else {
      throw new ValidationError('IMV_COLLAB_MESSAGE_INVALID', `Unknown collaboration message type ${type}`);
    }
  }
}

export interface CollabCounters {
  /** Messages that could not be decoded; the connection was closed. */
  invalidMessages: number;
  /** Document edits sent by viewers who may not edit. */
  refusedEdits: number;
}

export class CollabHub {
  private readonly rooms = new Map<string, Room>();
  readonly counters: CollabCounters = { invalidMessages: 0, refusedEdits: 0 };

  constructor(private readonly store?: CollabStore) {}

  /**
   * The live document of a room, loaded from the store when nobody has it open. Changes made to it here
   * reach every person in the room and are stored, as theirs are.
   */
  document(scope: string, room: string): Doc {
    return this.room(scope, room).doc;
  }

  /** The room's state as one Yjs update, e.g. to save a named version of a layout draft. */
  snapshot(scope: string, room: string): Uint8Array {
    return encodeStateAsUpdate(this.document(scope, room));
  }

  /** People present in a room: their awareness states (name, role, camera…). */
  presence(scope: string, room: string): unknown[] {
    return [...this.room(scope, room).awareness.getStates().values()];
  }

  stats(): CollabStats {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.connections.size;
    return { rooms: this.rooms.size, connections, ...this.counters };
  }

  attach(socket: WebSocket, scope: string, roomName: string, canWrite: boolean): void {
    const room = this.room(scope, roomName);
    const connection: Connection = { socket, canWrite, clients: new Set() };
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        if (!isBinary) throw new ValidationError('IMV_COLLAB_MESSAGE_INVALID', 'Messages must be binary');
        room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch (error) {
        // A client that speaks garbage is closed; the room and everyone else in it carry on.
        this.counters.invalidMessages++;
        socket.close(1007, error instanceof ValidationError ? error.code : 'IMV_COLLAB_MESSAGE_INVALID');
      }
    });
    socket.on('close', () => room.leave(connection));
    room.join(connection);
  }

  close(): void {
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) connection.socket.close(1001, 'server shutting down');
      room.awareness.destroy();
      room.doc.destroy();
    }
    this.rooms.clear();
    this.store?.close();
  }

  private room(scope: string, name: string): Room {
    if (!ROOM_NAME.test(name)) {
      throw new ValidationError(
        'IMV_COLLAB_ROOM_INVALID',
        `Room names are 1–80 letters, digits, dots, dashes or underscores: ${JSON.stringify(name)}`,
      );
    }
    const key = `${scope}/${name}`;
    let room = this.rooms.get(key);
    if (!room) {
      if (this.rooms.size >= MAX_ROOMS) {
        throw new ValidationError('IMV_COLLAB_ROOM_LIMIT', `This server holds at most ${MAX_ROOMS} rooms`);
      }
      room = new Room(key, this.store, this.counters);
      this.rooms.set(key, room);
    }
    return room;
  }
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
