// What the presence feature shows tests and benchmarks on window.__imverse.presence (no DOM types: Node imports it).
import type { Annotation, PlantPoint, PresenceRole } from '../../../src/core/wire-presence.js';

export interface PresencePersonHook {
  /** Their awareness client id in the room. */
  readonly clientId: number;
  readonly name: string;
  readonly role: PresenceRole;
  readonly colour: string;
  /** Their camera and its target as they last published it (plant frame, metres). */
  readonly position?: PlantPoint;
  readonly target?: PlantPoint;
  /** Where their avatar is drawn now (eased toward `position`); absent while hidden or unknown. */
  readonly drawnAt?: PlantPoint;
  readonly selected?: string;
}

export interface PresenceHook {
  /** The feature is installed and usable. */
  ready: boolean;
  /** The collaboration WebSocket is open. */
  connected: boolean;
  /** The first sync with the room finished: `annotations` are the room's. */
  synced: boolean;
  /** Our awareness client id. */
  clientId: number;
  name: string;
  colour: string;
  role: PresenceRole;
  /** May add and delete notes (writer, admin, or the local demo). */
  canCollaborate: boolean;
  /** Our camera as last published (plant frame). */
  camera?: { position: PlantPoint; target: PlantPoint };
  /** Everyone else in the room. */
  people: PresencePersonHook[];
  /** The client id whose view we follow, or null. */
  following: number | null;
  annotations: Annotation[];
  /** Pins drawn in 3D (notes whose machine is in this scene). */
  pins: number;
  /** True while the next click on a machine pins a note on it. */
  placing: boolean;
}
