// The awareness update of the y-websocket protocol, read and written entry by entry so the hub can
// check who speaks for which client and stamp each state before applying it (y-protocols/awareness
// only applies whole updates). Layout: count, then per entry client id, clock and the state as JSON.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  readonly clientID: number;
  readonly clock: number;
  /** null: the client left. */
  readonly state: unknown;
}

/** The entries of an update; throws on anything that is not one (the caller closes the connection). */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ clientID, clock, state: JSON.parse(decoding.readVarString(decoder)) as unknown });
  }
  return entries;
}

export function encodeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientID, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientID);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}
