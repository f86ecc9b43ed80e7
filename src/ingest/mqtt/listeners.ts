// The broker's network listeners: plain MQTT on node:net and MQTTS on node:tls, each refusing
// connections beyond its limit at accept time, before any byte is read.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface TlsSettings {
  /** PEM certificate chain and private key of the broker. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** PEM CA: when set, devices may present a certificate it signed (they need not). */
  readonly clientCa?: string | Buffer;
  /** 0: any free port. */
  readonly port: number;
}

export interface ListenerOptions {
  readonly host: string;
  /** The plain MQTT port; undefined: no plain listener. */
  readonly plainPort?: number;
  readonly tls?: TlsSettings;
  /** Per listener. */
  readonly maxConnections: number;
  /** Time for the TLS handshake. */
  readonly handshakeTimeoutMs: number;
  /** A connection ready to speak MQTT (for MQTTS: after the handshake). */
  onSocket(socket: Socket): void;
  onDropped(remoteAddress: string | undefined): void;
  onTlsError(error: Error, remoteAddress: string | undefined): void;
  onError(error: Error): void;
}

export interface RunningListeners {
  readonly plainPort?: number;
  readonly tlsPort?: number;
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

export async function startListeners(options: ListenerOptions): Promise<RunningListeners> {
  const servers: Server[] = [];
  // Every accepted socket, so that close() ends handshakes still in progress, too.
  const sockets = new Set<Socket>();
  const prepare = (server: Server): Server => {
    // Node closes the socket of a connection beyond maxConnections before it reads from it.
    server.maxConnections = options.maxConnections;
    server.on('drop', (data) => options.onDropped(data?.remoteAddress));
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    server.on('error', options.onError);
    servers.push(server);
    return server;
  };
  try {
    let plainPort: number | undefined;
    let tlsPort: number | undefined;
    if (options.plainPort !== undefined) {
      plainPort = await listen(prepare(createServer(options.onSocket)), options.plainPort, options.host);
    }
    if (options.tls) {
      const { cert, key, clientCa } = options.tls;
      const server = createTlsServer(
        {
          cert,
          key,
          handshakeTimeout: options.handshakeTimeoutMs,
          // A device may present a certificate; whether it verified is decided at CONNECT, where a
          // device without one can still use its password.
          ...(clientCa === undefined ? {} : { ca: clientCa, requestCert: true, rejectUnauthorized: false }),
        },
        options.onSocket,
      );
      server.on('tlsClientError', (error, socket) => options.onTlsError(error, socket.remoteAddress));
      tlsPort = await listen(prepare(server), options.tls.port, options.host);
    }
    return {
      ...(plainPort === undefined ? {} : { plainPort }),
      ...(tlsPort === undefined ? {} : { tlsPort }),
      close: () => closeAll(servers, sockets),
    };
  } catch (error) {
    await closeAll(servers, sockets);
    throw error;
  }
}

async function closeAll(servers: readonly Server[], sockets: Set<Socket>): Promise<void> {
  const closed = servers.map(
    (server) =>
      new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  );
  for (const socket of sockets) socket.destroy();
  await Promise.all(closed);
}
