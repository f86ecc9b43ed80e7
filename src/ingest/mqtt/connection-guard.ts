// Limits every broker connection holds to before it is authenticated: no packet larger than the
// limit is ever buffered, and a connection that does not complete its CONNECT in time is closed.
import type { Socket } from 'node:net';
import { PacketSizeReader } from './packet-size.js';

export type GuardRefusal = 'IMV_MQTT_PACKET_TOO_LARGE' | 'IMV_MQTT_CONNECT_TIMEOUT';

export interface ConnectionGuardOptions {
  readonly maxPacketBytes: number;
  readonly connectTimeoutMs: number;
  /** Called once, just before the socket is destroyed. */
  onRefused(code: GuardRefusal, reason: string): void;
}

/**
 * Watches the bytes aedes reads from `socket`. Call it right after `broker.handle(socket)`: aedes
 * reads with 'readable' and read(), and then (Node's stream documentation) 'data' fires for each
 * chunk read(), before the chunk reaches the MQTT parser. The socket keeps aedes' flow control.
 */
export function guardConnection(socket: Socket, options: ConnectionGuardOptions): void {
  const reader = new PacketSizeReader(options.maxPacketBytes);
  const refuse = (code: GuardRefusal, reason: string): void => {
    clearTimeout(timer);
    if (socket.destroyed) return;
    options.onRefused(code, reason);
    socket.destroy();
  };
  const timer = setTimeout(
    () => refuse('IMV_MQTT_CONNECT_TIMEOUT', `no whole CONNECT within ${options.connectTimeoutMs} ms`),
    options.connectTimeoutMs,
  );
  socket.once('close', () => clearTimeout(timer));
  socket.on('data', (chunk: Buffer) => {
    const verdict = reader.push(chunk);
    if (verdict.kind === 'too-large') {
      refuse(
        'IMV_MQTT_PACKET_TOO_LARGE',
        `packet of at least ${verdict.atLeast} bytes exceeds the limit of ${options.maxPacketBytes}`,
      );
    } else if (verdict.kind === 'ok' && verdict.packetsCompleted > 0) {
      // The first packet is whole: it is the CONNECT, or aedes closes the connection itself.
      clearTimeout(timer);
    }
  });
}
