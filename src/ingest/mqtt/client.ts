// Subscribes Imverse to an external MQTT broker (Mosquitto, EMQX, HiveMQ) as one persistent
// session: QoS 1 messages published while Imverse was away are delivered when it reconnects, and
// each is acknowledged only after its points are durable.
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { IngestSink } from '../points.js';
import type { FieldKind, MappingLookup } from '../mapping/MappingSet.js';
import { ingestMessage, messageContext } from './handle-message.js';
import type { IngestStats } from './stats.js';

export type MqttSourceState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export interface MqttSourceOptions {
  /** mqtt://host:1883 or mqtts://host:8883 */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Fixed, so the broker keeps the session (subscriptions, queued QoS 1 messages) across restarts. Default "imverse-ingest". */
  readonly clientId?: string;
  readonly topics: readonly string[];
  readonly sink: IngestSink;
  /** The mappings in force (a MappingSet, or LiveMappings to reload them while running). */
  readonly mappings: MappingLookup;
  /** Subscription QoS; default 1. */
  readonly qos?: 0 | 1;
  /** 4 (MQTT 3.1.1, default) or 5. */
  readonly protocolVersion?: 4 | 5;
  /** MQTT 5 only: how long the broker keeps the session while Imverse is away; default 7 days. */
  readonly sessionExpirySeconds?: number;
  /** Wait between reconnection attempts; default 1000 ms. */
  readonly reconnectPeriodMs?: number;
  /** Give up a connection attempt after this long; default 30000 ms. */
  readonly connectTimeoutMs?: number;
  readonly maxPayloadBytes?: number;
  readonly now?: () => number;
  /** PointBatch.source; default "mqtt". */
  readonly source?: string;
  readonly fieldKind?: (twin: string, field: string) => FieldKind | undefined;
  readonly onStateChange?: (state: MqttSourceState, error?: Error) => void;
}

export interface MqttSourceStats extends IngestStats {
  readonly state: MqttSourceState;
  readonly reconnects: number;
  readonly lastError: string | undefined;
}

export interface MqttSource {
  readonly state: MqttSourceState;
  /** Resolves once connected and subscribed; rejects after `timeoutMs` (the client keeps trying). */
  connected(timeoutMs?: number): Promise<void>;
  stats(): MqttSourceStats;
  /** Disconnects cleanly; the broker keeps the session for the next start. */
  close(): Promise<void>;
}

export function connectMqttSource(options: MqttSourceOptions): MqttSource {
  const ctx = messageContext({
    ...options,
    // Rebirth requests (NCMD) go to the edge node through the broker Imverse subscribes to.
    publish: (topic, payload) =>
      client.publish(topic, Buffer.from(payload), { qos: 0 }, (error) => {
        if (error) lastError = error;
      }),
  });
  const { counters } = ctx;
  const now = options.now ?? Date.now;
  const qos = options.qos ?? 1;
  const protocolVersion = options.protocolVersion ?? 4;
  let state: MqttSourceState = 'connecting';
  let reconnects = 0;
  let lastError: Error | undefined;
  const waiters = new Set<() => void>();

  const setState = (next: MqttSourceState, error?: Error): void => {
    if (error) lastError = error;
    if (next === state) return;
    state = next;
    options.onStateChange?.(next, error);
  };

  const clientOptions: IClientOptions = {
    clientId: options.clientId ?? 'imverse-ingest',
    clean: false,
    protocolVersion,
    reconnectPeriod: options.reconnectPeriodMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 30_000,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    // MQTT 5 ends a session at disconnect unless it has an expiry interval.
    ...(protocolVersion === 5
      ? { properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 7 * 24 * 3600 } }
      : {}),
  };
  const client: MqttClient = connect(options.url, clientOptions);

  // mqtt.js sends the PUBACK when this callback is called, and reads the next packet after it:
  // the ack follows durability, in the order MQTT requires.
  client.handleMessage = (packet, callback) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    ingestMessage(ctx, packet.topic, payload, now()).then(
      () => callback(),
      (error: unknown) => {
        // The sink failed: no ack. Drop the connection so that the broker delivers the message again.
        const err = error instanceof Error ? error : new Error(String(error));
        setState('reconnecting', err);
        client.stream.destroy();
        callback(err);
      },
    );
  };

  client.on('connect', () => {
    client.subscribe([...options.topics], { qos }, (error, granted) => {
      const refused = granted?.filter((g) => g.qos === 128) ?? [];
      if (error || refused.length > 0) {
        const err =
          error ?? new Error(`broker refused the subscription to ${refused.map((g) => g.topic).join(', ')}`);
        setState('offline', err);
        return;
      }
      setState('connected');
      for (const wake of waiters) wake();
      waiters.clear();
    });
  });
  client.on('reconnect', () => {
    reconnects++;
    setState('reconnecting');
  });
  client.on('offline', () => setState('offline'));
  client.on('error', (error) => {
    lastError = error;
    options.onStateChange?.(state, error);
  });
  client.on('end', () => setState('closed'));

  return {
    get state() {
      return state;
    },
    connected(timeoutMs = 10_000) {
      if (state === 'connected') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `not connected to ${options.url} after ${timeoutMs} ms: ${lastError?.message ?? state}`,
            ),
          );
        }, timeoutMs);
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        waiters.add(wake);
      });
    },
    stats: () => ({ ...counters.snapshot(), state, reconnects, lastError: lastError?.message }),
    close: () =>
      new Promise<void>((resolve) => {
        client.end(false, {}, () => {
          setState('closed');
          resolve();
        });
      }),
  };
}
