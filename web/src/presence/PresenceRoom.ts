// The page's seat in the collaboration room `world`: a Yjs document and its awareness over the
// y-websocket protocol. Others' awareness states and the annotations map are read through the
// wire-presence parsers, so a malformed entry from someone else's browser is skipped, never drawn.
import { WebsocketProvider } from 'y-websocket';
import { Doc, type Map as YMap } from 'yjs';
import {
  ANNOTATIONS_MAP,
  PRESENCE_ROOM,
  readAnnotations,
  parsePresenceState,
  type Annotation,
  type PlantPoint,
  type PresenceState,
  type PresenceUser,
} from '../../../src/core/wire-presence.js';

export class PresenceRoom {
  readonly doc = new Doc();
  readonly provider: WebsocketProvider;
  private readonly annotationsMap: YMap<unknown>;
  /** Everyone else in the room with a valid state, by awareness client id. */
  people = new Map<number, PresenceState>();
  annotations: Annotation[] = [];
  connected = false;
  /** Whether the first sync with the server finished (the annotations are the room's). */
  synced = false;
  private readonly peopleListeners: Array<() => void> = [];
  private readonly annotationListeners: Array<() => void> = [];
  private readonly statusListeners: Array<() => void> = [];

  constructor(user: PresenceUser) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.provider = new WebsocketProvider(
      `${scheme}://${location.host}/api/v1/world/collab`,
      PRESENCE_ROOM,
      this.doc,
      // The session cookie authenticates the upgrade (same origin): no token in the URL.
      { disableBc: true },
    );
    this.annotationsMap = this.doc.getMap<unknown>(ANNOTATIONS_MAP);
    this.provider.awareness.setLocalStateField('user', user);
    this.provider.awareness.on('change', () => this.readPeople());
    this.annotationsMap.observe(() => this.readAnnotations());
    this.provider.on('status', ({ status }) => {
      this.connected = status === 'connected';
      for (const listener of this.statusListeners) listener();
    });
    this.provider.on('sync', (synced: boolean) => {
      this.synced = synced;
      for (const listener of this.statusListeners) listener();
    });
  }

  get clientId(): number {
    return this.doc.clientID;
  }

  onPeople(listener: () => void): void {
    this.peopleListeners.push(listener);
  }

  onAnnotations(listener: () => void): void {
    this.annotationListeners.push(listener);
  }

  onStatus(listener: () => void): void {
    this.statusListeners.push(listener);
  }

  setUser(user: PresenceUser): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  setCamera(camera: { position: PlantPoint; target: PlantPoint }): void {
    this.provider.awareness.setLocalStateField('camera', camera);
  }

  setSelected(selected: string | undefined): void {
    this.provider.awareness.setLocalStateField('selected', selected);
  }

  add(annotation: Annotation): void {
    this.annotationsMap.set(annotation.id, annotation);
  }

  remove(id: string): void {
    this.annotationsMap.delete(id);
  }

  private readPeople(): void {
    const people = new Map<number, PresenceState>();
    for (const [clientId, raw] of this.provider.awareness.getStates()) {
      if (clientId === this.clientId) continue;
      const state = parsePresenceState(raw);
      if (state) people.set(clientId, state);
    }
    this.people = people;
    for (const listener of this.peopleListeners) listener();
  }

  private readAnnotations(): void {
    this.annotations = readAnnotations(this.annotationsMap.entries());
    for (const listener of this.annotationListeners) listener();
  }
}
