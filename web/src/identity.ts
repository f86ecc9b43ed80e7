// Who this browser is in the room: a random key kept in localStorage (it marks the notes that are
// ours), a name (the token's, or "Visitor 3F2A" in the demo where everyone is anonymous) that the
// person may change, and a colour derived from the key.
import {
  cleanName,
  colourFor,
  visitorName,
  type PresenceRole,
  type PresenceUser,
} from '../../src/core/wire-presence.js';

const KEY_ITEM = 'imverse.presence.key';
const NAME_ITEM = 'imverse.presence.name';

/** GET /api/v1/world/me. */
export interface Me {
  readonly name: string;
  readonly role: PresenceRole;
  readonly via: 'token' | 'demo';
  readonly prefixes?: string[];
  readonly canCollaborate: boolean;
}

function browserKey(): string {
  let key = localStorage.getItem(KEY_ITEM);
  if (!key || !/^[A-Za-z0-9_-]{4,64}$/.test(key)) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    key = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(KEY_ITEM, key);
  }
  return key;
}

export function localUser(me: Me): PresenceUser {
  const key = browserKey();
  const fallback = me.via === 'demo' ? visitorName(key) : cleanName(me.name) || visitorName(key);
  const saved = cleanName(localStorage.getItem(NAME_ITEM) ?? '');
  return { name: saved || fallback, role: me.role, colour: colourFor(key), key };
}

/** Keeps a name the person typed for their next visit; an empty one goes back to the default. */
export function saveName(name: string): void {
  const clean = cleanName(name);
  if (clean) localStorage.setItem(NAME_ITEM, clean);
  else localStorage.removeItem(NAME_ITEM);
}
