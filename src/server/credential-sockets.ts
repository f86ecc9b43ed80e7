// Closes the WebSockets a credential opened as soon as it is revoked: a socket is authenticated once,
// at its upgrade, so without this a revoked token would keep streaming and editing.
import type { WebSocket } from 'ws';
import type { EventBus } from '../bus/bus.js';
import type { RefusalCounter } from '../core/refusals.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData } from '../core/wire.js';

/** The WebSocket close code for "this credential is no longer valid" (4000–4999 are the application's). */
export const CLOSE_REVOKED = 4401;
const REVOKED = 'IMV_AUTH_CREDENTIAL_REVOKED';
/**
 * Revocations remembered, so a socket whose upgrade was authenticated just before its credential was
 * revoked is closed when it is tracked; bounded, as by then that moment is long past for the oldest.
 */
const REMEMBERED_REVOCATIONS = 10_000;

export class CredentialSockets {
  private readonly open = new Map<string, Set<WebSocket>>();
  private readonly revoked = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly refusals: RefusalCounter | undefined,
  ) {
    this.unsubscribe = bus.subscribe(
      (event) => {
        const credential = (event.data as Partial<SecurityEventData> | null)?.credential;
        if (typeof credential === 'string') this.revoke(credential);
      },
      { types: [SECURITY_EVENT_TYPES.credentialRevoked] },
    );
  }

  /** Watches a socket until it closes. Sockets of anonymous demo callers have no credential. */
  track(socket: WebSocket, credential: string | undefined): void {
    if (credential === undefined) return;
    if (this.revoked.has(credential)) {
      this.close(socket);
      return;
    }
    let sockets = this.open.get(credential);
    if (sockets === undefined) this.open.set(credential, (sockets = new Set()));
    const mine = sockets;
    mine.add(socket);
    socket.once('close', () => {
      mine.delete(socket);
      if (mine.size === 0 && this.open.get(credential) === mine) this.open.delete(credential);
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  private revoke(credential: string): void {
    this.revoked.add(credential);
    if (this.revoked.size > REMEMBERED_REVOCATIONS) {
      this.revoked.delete(this.revoked.values().next().value as string);
    }
    for (const socket of this.open.get(credential) ?? []) this.close(socket);
    this.open.delete(credential);
  }

  private close(socket: WebSocket): void {
    this.refusals?.count('ws', REVOKED);
    socket.close(CLOSE_REVOKED, REVOKED);
  }
}
