// The embedded MQTT broker (aedes on node:net): devices connect with their own credentials,
// publish within their own topics, and a QoS 1 message is acknowledged only once it is durable.
//
// Sequencing: aedes runs authorizePublish before anything else for a PUBLISH and writes the
// PUBACK (QoS 1) or PUBREC (QoS 2) only after its callback (node_modules/aedes/lib/handlers/
// publish.js: runSeries(authorizePublish, enqueuePublish)). So the message is decoded and
// ingested inside authorizePublish, and the callback runs after `sink.ingest` resolved. aedes
// dispatches the packets of one socket read together and clients independently, so concurrent
// messages' ingests overlap and the sink can group-commit them.
import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { IngestSink } from '../points.js';
import type { FieldKind, MappingLookup } from '../mapping/MappingSet.js';
import { deviceProblem, mayPublish, maySubscribe, type DeviceIdentity } from './authorize.js';
import { ingestMessage, messageContext } from './handle-message.js';
import type { IngestStats } from './stats.js';

export interface BrokerStats extends IngestStats {
  readonly connectedClients: number;
  /** CONNECTs refused: anonymous or wrong credentials. */
  readonly connectionsRefused: number;
}

export interface MqttBrokerOptions {
  /** 0: any free port. */
  readonly port: number;
  /** Default 127.0.0.1; "0.0.0.0" to serve the plant network. */
  readonly host?: string;
  readonly sink: IngestSink;
  /** The mappings in force (a MappingSet, or LiveMappings to reload them while running). */
  readonly mappings: MappingLookup;
  /** The device these credentials belong to, or undefined to refuse the connection. */
  authenticate(
    username: string,
    password: string,
  ): DeviceIdentity | undefined | Promise<DeviceIdentity | undefined>;
  /** Largest payload decoded (default 256 KiB); larger ones are dead-lettered. */
  readonly maxPayloadBytes?: number;
  /** Receive-time clock, ms since the epoch. */
  readonly now?: () => number;
  /** PointBatch.source; default "mqtt". */
  readonly source?: string;
  readonly fieldKind?: (twin: string, field: string) => FieldKind | undefined;
  /** Client and connection errors (bad packets, refused publishes); the broker carries on regardless. */
  readonly onClientError?: (clientId: string | undefined, error: Error) => void;
}

export interface RunningMqttBroker {
  readonly port: number;
  close(): Promise<void>;
  stats(): BrokerStats;
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export async function startMqttBroker(options: MqttBrokerOptions): Promise<RunningMqttBroker> {
  const now = options.now ?? Date.now;
  const ctx = messageContext({
    ...options,
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

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (username === undefined || username === '' || password === undefined) {
        connectionsRefused++;
        return done(authError('anonymous connections are not allowed', 5), false);
      }
      Promise.resolve()
        .then(() => options.authenticate(username, password.toString('utf8')))
        .then(
          (device) => {
            const problem = device && deviceProblem(device);
            if (!device || problem) {
              connectionsRefused++;
              if (problem) options.onClientError?.(client.id, new Error(problem));
              return done(authError('bad user name or password', 4), false);
            }
            devices.set(client, device);
            done(null, true);
          },
          (error: unknown) => {
            connectionsRefused++;
            options.onClientError?.(client.id, error instanceof Error ? error : new Error(String(error)));
            done(authError('authentication failed', 5), false);
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
        // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection (MQTT-3.3.5-2).
        return done(new Error(reason));
      }
      ingestMessage(ctx, packet.topic, payload, now()).then(
        () => done(null),
        // The sink failed: no PUBACK, the connection closes and the device sends the message again.
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    },

    authorizeSubscribe(client, subscription, done) {
      const device = devices.get(client);
      // A null subscription is a negative SUBACK (0x80) for this filter; the connection stays.
      done(null, device && maySubscribe(device, subscription.topic) ? subscription : null);
    },
  });

  const report = (client: Client | null, error: Error): void => options.onClientError?.(client?.id, error);
  broker.on('clientError', report);
  broker.on('connectionError', report);
  // aedes also emits plain 'error' (e.g. a failing persistence); unhandled, it would end the process.
  (broker as EventEmitter).on('error', (error: Error) => options.onClientError?.(undefined, error));

  const server: Server = createServer(broker.handle);
  server.on('error', (error) => options.onClientError?.(undefined, error));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  return {
    port,
    stats: () => ({
      ...counters.snapshot(),
      connectedClients: broker.connectedClients,
      connectionsRefused,
    }),
    close() {
      closing ??= new Promise<void>((resolve) => broker.close(() => resolve())).then(
        () => new Promise<void>((resolve) => server.close(() => resolve())),
      );
      return closing;
    },
  };
}
