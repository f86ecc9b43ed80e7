// Who this browser is in the room: a random key kept in localStorage (it marks the notes that are
// ours), a name, and a colour derived from the key. The server stamps name and role on what we
// publish: the token's name, or in the demo (where everyone is anonymous) "Visitor 3F2A" or the name
// the visitor chose; so only demo visitors may rename themselves.
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
  readonly via: 'token' | 'session' | 'demo';
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
  const colour = colourFor(key);
  if (!mayRename(me)) return { name: cleanName(me.name) || visitorName(key), role: me.role, colour, key };
  const saved = cleanName(localStorage.getItem(NAME_ITEM) ?? '');
  return { name: saved || visitorName(key), role: me.role, colour, key };
}

/** Token holders are shown by their token's name, whatever the page sends. */
export function mayRename(me: Me): boolean {
  return me.via === 'demo';
}

/** Keeps a name the person typed for their next visit; an empty one goes back to the default. */
export function saveName(name: string): void {
  const clean = cleanName(name);
  if (clean) localStorage.setItem(NAME_ITEM, clean);
  else localStorage.removeItem(NAME_ITEM);
}
