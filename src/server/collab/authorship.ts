// Who wrote what in a collaboration room is the server's to say, not the browser's: the name and role
// on each person's presence and on each note they add are stamped from the principal that opened
// the connection, over whatever the client sent.
import { cleanName, type PresenceRole } from '../../core/wire-presence.js';
import type { Principal } from '../auth/roles.js';

export interface Authorship {
  /** The principal's name as shown (control characters removed, cut to the display limit). */
  readonly name: string;
  readonly role: PresenceRole;
  /**
   * Anonymous demo visitors are all one principal, so the name each chose ("Visitor 3F2A", "Bea")
   * is kept: it only tells visitors apart, it proves nothing. Token holders show their token's name.
   */
  readonly keepsChosenName: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

export function authorshipOf(principal: Principal): Authorship {
  return {
    name: cleanName(principal.name) || 'anonymous',
    role: principal.role,
    keepsChosenName: principal.via === 'demo',
  };
}

function nameFor(who: Authorship, sent: unknown): string {
  if (!who.keepsChosenName || typeof sent !== 'string') return who.name;
  return cleanName(sent) || who.name;
}

/** An awareness state with `user.name` and `user.role` stamped; other fields as the client sent them. */
export function stampPresence(state: unknown, who: Authorship): unknown {
  if (!isObject(state)) return state;
  const user = isObject(state.user) ? state.user : {};
  return { ...state, user: { ...user, name: nameFor(who, user.name), role: who.role } };
}

/**
 * A note with `author.name` and `author.role` stamped, or undefined when it already carries them (or
 * is not a note-shaped object at all: readers ignore those).
 */
export function stampNote(value: unknown, who: Authorship): Json | undefined {
  if (!isObject(value)) return undefined;
  const author = isObject(value.author) ? value.author : {};
  const name = nameFor(who, author.name);
  if (author.name === name && author.role === who.role) return undefined;
  return { ...value, author: { ...author, name, role: who.role } };
}
