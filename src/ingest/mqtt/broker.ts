// The embedded MQTT broker (aedes on node:net, and node:tls for MQTTS): devices connect with their
// own credentials, publish within their own topics, and a QoS 1 message is acknowledged only once
// it is durable.
//
// Sequencing: aedes runs authorizePublish before anything else for a PUBLISH and writes the
// PUBACK (QoS 1) or PUBREC (QoS 2) only after its callback (node_modules/aedes/lib/handlers/
// publish.js: runSeries(authorizePublish, enqueuePublish)). So the message is decoded and
// ingested inside authorizePublish, and the callback runs after `sink.ingest` resolved. aedes
// dispatches the packets of one socket read together and clients independently, so concurrent
// messages' ingests overlap and the sink can group-commit them.
//
// Limits hold before authentication: connections are counted at accept (listeners.ts), packet
// sizes are read from each fixed header as the bytes arrive (connection-guard.ts), and a
// connection without CONNECT is closed in time.
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { ImverseError, type ErrorCode } from '../../core/errors.js';
import type { RefusalCounter } from '../../core/refusals.js';
import type { SecurityEventData, SecurityEventType } from '../../core/wire.js';
import { SECURITY_EVENT_TYPES } from '../../core/wire.js';
import type { IngestSink } from '../points.js';
import type { FieldKind, MappingLookup } from '../mapping/MappingSet.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../json/decode.js';
import { DEFAULT_SPARKPLUG_LIMITS, STATE_FULL } from '../sparkplug/SparkplugDecoder.js';
import { deviceProblem, mayPublish, maySubscribe, mayUseClientId, type DeviceIdentity } from './authorize.js';
import { guardConnection } from './connection-guard.js';
import { ingestMessage, messageContext } from './handle-message.js';
import { startListeners, type TlsSettings } from './listeners.js';
import { RetainedBudget } from './retained.js';
import type { IngestStats } from './stats.js';

export interface BrokerStats extends IngestStats {
  readonly connectedClients: number;
  /** CONNECTs refused: anonymous, wrong credentials, or a client id of another device. */
  readonly connectionsRefused: number;
  /** Retained messages kept, and their topics' and payloads' bytes. */
  readonly retainedMessages: number;
  readonly retainedBytes: number;
}

export const DEFAULT_BROKER_LIMITS = {
  maxPacketBytes: 1024 * 1024,
  maxConnections: 1000,
  connectTimeoutMs: 10_000,
  retainedMaxMessages: 10_000,
  retainedMaxBytes: 64 * 1024 * 1024,
} as const;

export interface MqttBrokerOptions {
  /** Plain MQTT port, 0: any free port. With `tls`, used only when `plain` is true. */
  readonly port: number;
  /** Default 127.0.0.1; "0.0.0.0" to serve the plant network. */
  readonly host?: string;
  /** MQTTS: certificate, key, optional client CA and port. */
  readonly tls?: TlsSettings;
  /** Keep the plain listener beside MQTTS; default: plain only without `tls`. */
  readonly plain?: boolean;
  readonly sink: IngestSink;
  /** The mappings in force (a MappingSet, or LiveMappings to reload them while running). */
  readonly mappings: MappingLookup;
  /** The device these credentials belong to, or undefined to refuse the connection. */
  authenticate(
    username: string,
    password: string,
  ): DeviceIdentity | undefined | Promise<DeviceIdentity | undefined>;
  /**
   * The device named by the CN of a client certificate that `tls.clientCa` signed, or undefined to
   * refuse it. Without it, certificates authenticate no one.
   */
  authenticateCertificate?(commonName: string): DeviceIdentity | undefined;
  /** Largest payload decoded (default 256 KiB); larger ones are dead-lettered. */
  readonly maxPayloadBytes?: number;
  /** Largest packet, fixed header included (default 1 MiB; at least `maxPayloadBytes`). */
  readonly maxPacketBytes?: number;
  /** Open connections per listener (default 1000). */
  readonly maxConnections?: number;
  /** Time to send a whole CONNECT (and for MQTTS, to complete the handshake); default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Retained messages kept (default 10,000) and their bytes (default 64 MiB). */
  readonly retainedMaxMessages?: number;
  readonly retainedMaxBytes?: number;
  /** Sparkplug B session state kept (defaults 10,000 edge nodes, 100,000 devices). */
  readonly sparkplugMaxEdgeNodes?: number;
  readonly sparkplugMaxDevices?: number;
  /** Counts every refusal at this edge as `mqtt`. */
  readonly refusals?: RefusalCounter;
  /** Security events (refused access, failed sign-ins of devices), for the audit log. */
  readonly onSecurityEvent?: (type: SecurityEventType, data: SecurityEventData) => void;
  /** Receive-time clock, ms since the epoch. */
  readonly now?: () => number;
  /** PointBatch.source; default "mqtt". */
  readonly source?: string;
  readonly fieldKind?: (twin: string, field: string) => FieldKind | undefined;
  /** Client and connection errors (bad packets, refused publishes); the broker carries on regardless. */
  readonly onClientError?: (clientId: string | undefined, error: Error) => void;
}

export interface RunningMqttBroker {
  /** The plain MQTT port, or the MQTTS port when there is no plain listener. */
  readonly port: number;
  readonly plainPort?: number;
  readonly tlsPort?: number;
  close(): Promise<void>;
  stats(): BrokerStats;
}

/** The MQTT CONNACK return codes aedes can send for a refused authentication. */
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Keeps text a client chose short in events and logs. */
function clip(text: string): string {
  return text.length > 128 ? `${text.slice(0, 128)}…` : text;
}

/** What the client certificate of an MQTTS connection says, if it presented one. */
function peerCertificate(conn: unknown): { commonName: string } | { problem: string } | undefined {
  if (!(conn instanceof TLSSocket)) return undefined;
  const certificate = conn.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  if (!conn.authorized) return { problem: `client certificate refused: ${String(conn.authorizationError)}` };
  const cn = certificate.subject?.CN;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  return commonName ? { commonName } : { problem: 'client certificate without a common name (CN)' };
}

export async function startMqttBroker(options: MqttBrokerOptions): Promise<RunningMqttBroker> {
  const now = options.now ?? Date.now;
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_BROKER_LIMITS.maxPacketBytes;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_BROKER_LIMITS.connectTimeoutMs;
  if (maxPacketBytes < maxPayloadBytes) {
    throw new ImverseError(
      'IMV_CONFIG_INVALID',
      `mqttMaxPacketBytes (${maxPacketBytes}) must be at least the payload limit (${maxPayloadBytes})`,
      { path: '/mqttMaxPacketBytes' },
    );
  }
  const retained = new RetainedBudget({
    maxMessages: options.retainedMaxMessages ?? DEFAULT_BROKER_LIMITS.retainedMaxMessages,
    maxBytes: options.retainedMaxBytes ?? DEFAULT_BROKER_LIMITS.retainedMaxBytes,
    maxPayloadBytes,
  });

  /** Counts a refusal; with a known device or claimed name, also tells the audit log. */
  const refuse = (
    code: ErrorCode,
    event?: Omit<SecurityEventData, 'result' | 'code'> & { type?: SecurityEventType },
  ): void => {
    options.refusals?.count('mqtt', code);
    if (!event || !options.onSecurityEvent) return;
    const { type = SECURITY_EVENT_TYPES.accessRefused, ...data } = event;
    options.onSecurityEvent(type, { ...data, result: 'refused', code });
  };
  const addressOf = (client: Client | null): string | undefined =>
    (client?.conn as Socket | undefined)?.remoteAddress;

  const ctx = messageContext({
    ...options,
    maxPayloadBytes,
    sparkplugLimits: {
      maxEdgeNodes: options.sparkplugMaxEdgeNodes ?? DEFAULT_SPARKPLUG_LIMITS.maxEdgeNodes,
      maxDevices: options.sparkplugMaxDevices ?? DEFAULT_SPARKPLUG_LIMITS.maxDevices,
    },
    // Dead letters of bad data are the devices' business; a full state table is the platform's.
    onRefused: (code) => {
      if (code === STATE_FULL) refuse(STATE_FULL);
    },
    // Rebirth requests (NCMD) go to the edge node's subscription like any broker message; QoS 0,
    // as Sparkplug hosts send commands.
    publish: (topic, payload) =>
      broker.publish(
        { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, dup: false, retain: false },
        (error) => {
          if (error) options.onClientError?.(undefined, error);
        },
      ),
  });
  const { counters } = ctx;
  const devices = new WeakMap<Client, DeviceIdentity>();
  let connectionsRefused = 0;

  /** Checks a device an authenticator returned, and that the client id is its own. */
  const admit = (
    client: Client,
    device: DeviceIdentity | undefined,
    claimed: string,
  ): AuthenticateError | undefined => {
    const problem = device && deviceProblem(device);
    if (!device || problem) {
      if (problem) options.onClientError?.(client.id, new Error(problem));
      refuse('IMV_MQTT_CREDENTIALS_INVALID', {
        type: SECURITY_EVENT_TYPES.signInFailed,
        actor: clip(claimed),
        credential: `device:${clip(claimed)}`,
        action: 'mqtt.connect',
        source: addressOf(client),
      });
      return authError('bad user name or password', BAD_CREDENTIALS);
    }
    if (!mayUseClientId(device, client.id)) {
      refuse('IMV_MQTT_CLIENT_ID_FORBIDDEN', {
        actor: device.id,
        credential: `device:${device.id}`,
        action: 'mqtt.connect',
        target: clip(client.id),
        source: addressOf(client),
      });
      return authError(`device ${device.id} may not use the client id "${clip(client.id)}"`, NOT_AUTHORIZED);
    }
    devices.set(client, device);
    return undefined;
  };

  const broker = await Aedes.createBroker({
    // Ours closes first and is counted (connection-guard.ts); aedes' own stays as a backstop.
    connectTimeout: 2 * connectTimeoutMs,

    authenticate(client, username, password, done) {
      const finish = (error: AuthenticateError | undefined): void => {
        if (error) connectionsRefused++;
        done(error ?? null, error === undefined);
      };
      const certificate = options.tls?.clientCa === undefined ? undefined : peerCertificate(client.conn);
      if (certificate !== undefined) {
        if ('problem' in certificate || !options.authenticateCertificate) {
          options.onClientError?.(
            client.id,
            new Error(
              'problem' in certificate ? certificate.problem : 'client certificates are not accepted',
            ),
          );
          return finish(admit(client, undefined, username ?? 'anonymous'));
        }
        // The certificate names the device: a user name, if any, must name the same one.
        if (username !== undefined && username !== '' && username !== certificate.commonName) {
          return finish(admit(client, undefined, username));
        }
        return finish(
          admit(client, options.authenticateCertificate(certificate.commonName), certificate.commonName),
        );
      }
      if (username === undefined || username === '' || password === undefined) {
        connectionsRefused++;
        refuse('IMV_MQTT_CREDENTIALS_INVALID');
        return done(authError('anonymous connections are not allowed', NOT_AUTHORIZED), false);
      }
      Promise.resolve()
        .then(() => options.authenticate(username, password.toString('utf8')))
        .then(
          (device) => finish(admit(client, device, username)),
          (error: unknown) => {
            connectionsRefused++;
            options.onClientError?.(client.id, error instanceof Error ? error : new Error(String(error)));
            done(authError('authentication failed', NOT_AUTHORIZED), false);
          },
        );
    },

    authorizePublish(client, packet: PublishPacket, done) {
      const device = client ? devices.get(client) : undefined;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      if (!device || !mayPublish(device, packet.topic)) {
        const who = device ? `device ${device.id}` : 'an unauthenticated client';
        const reason = `${who} may not publish to "${packet.topic}"`;
        counters.messagesReceived++;
        counters.messagesRejected++;
        counters.rejected('IMV_INGEST_TOPIC_FORBIDDEN');
        options.sink.reject(ctx.source, 'IMV_INGEST_TOPIC_FORBIDDEN', reason, payload, packet.topic);
        refuse('IMV_INGEST_TOPIC_FORBIDDEN', {
          actor: device?.id ?? 'anonymous',
          ...(device ? { credential: `device:${device.id}` } : {}),
          action: 'mqtt.publish',
          target: clip(packet.topic),
          source: addressOf(client),
        });
        // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection (MQTT-3.3.5-2).
        return done(new Error(reason));
      }
      if (packet.retain) {
        // aedes keeps retained messages in memory: beyond the budget the message is still
        // delivered and ingested, only not retained (authorizePublish may change the packet).
        const refusal = retained.admit(packet.topic, payload.byteLength);
        if (refusal) {
          packet.retain = false;
          refuse(refusal, {
            actor: device.id,
            credential: `device:${device.id}`,
            action: 'mqtt.retain',
            target: clip(packet.topic),
            source: addressOf(client),
          });
        }
      }
      ingestMessage(ctx, packet.topic, payload, now()).then(
        () => done(null),
        // The sink failed: no PUBACK, the connection closes and the device sends the message again.
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    },

    authorizeSubscribe(client, subscription, done) {
      const device = devices.get(client);
      const allowed = device !== undefined && maySubscribe(device, subscription.topic);
      if (!allowed) {
        refuse('IMV_MQTT_SUBSCRIBE_FORBIDDEN', {
          actor: device?.id ?? 'anonymous',
          ...(device ? { credential: `device:${device.id}` } : {}),
          action: 'mqtt.subscribe',
          target: clip(subscription.topic),
          source: addressOf(client),
        });
      }
      // A null subscription is a negative SUBACK (0x80) for this filter; the connection stays.
      done(null, allowed ? subscription : null);
    },
  });

  const report = (client: Client | null, error: Error): void => options.onClientError?.(client?.id, error);
  broker.on('clientError', report);
  broker.on('connectionError', report);
  // aedes also emits plain 'error' (e.g. a failing persistence); unhandled, it would end the process.
  (broker as EventEmitter).on('error', (error: Error) => options.onClientError?.(undefined, error));

  const host = options.host ?? '127.0.0.1';
  let listeners;
  try {
    listeners = await startListeners({
      host,
      ...(options.tls === undefined || options.plain === true ? { plainPort: options.port } : {}),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      maxConnections: options.maxConnections ?? DEFAULT_BROKER_LIMITS.maxConnections,
      handshakeTimeoutMs: connectTimeoutMs,
      onSocket: (socket) => {
        broker.handle(socket);
        guardConnection(socket, {
          maxPacketBytes,
          connectTimeoutMs,
          onRefused: (code, reason) => {
            refuse(code);
            options.onClientError?.(undefined, new Error(`${socket.remoteAddress ?? '?'}: ${reason}`));
          },
        });
      },
      onDropped: (address) => {
        refuse('IMV_MQTT_CONNECTIONS_FULL');
        options.onClientError?.(undefined, new Error(`${address ?? '?'}: connection limit reached`));
      },
      onTlsError: (error, address) => {
        refuse('IMV_MQTT_TLS_FAILED');
        options.onClientError?.(
          undefined,
          new Error(`${address ?? '?'}: ${error.message}`, { cause: error }),
        );
      },
      onError: (error) => options.onClientError?.(undefined, error),
    });
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  const running = listeners;

  let closing: Promise<void> | undefined;
  return {
    port: (running.plainPort ?? running.tlsPort)!,
    ...(running.plainPort === undefined ? {} : { plainPort: running.plainPort }),
    ...(running.tlsPort === undefined ? {} : { tlsPort: running.tlsPort }),
    stats: () => ({
      ...counters.snapshot(),
      connectedClients: broker.connectedClients,
      connectionsRefused,
      retainedMessages: retained.messages,
      retainedBytes: retained.bytes,
    }),
    close() {
      closing ??= new Promise<void>((resolve) => broker.close(() => resolve())).then(() => running.close());
      return closing;
    },
  };
}
