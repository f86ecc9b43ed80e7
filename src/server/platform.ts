// The composition root: opens the stores, loads the models, seeds the demo plant and starts the API.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../core/config.js';
import { MemoryBus } from '../bus/memory-bus.js';
import { ModelRegistry } from '../model/registry.js';
import { loadOntology } from '../model/ontology/load.js';
import { SqliteTwinStore } from '../twin/sqlite-store.js';
import { TwinGraph } from '../twin/TwinGraph.js';
import { importPlant, readPlantFile } from './plant-file.js';
import { removeRunningMarker, writeRunningMarker } from './running-marker.js';
import { SqliteHistoryStore } from '../history/sqlite-store.js';
import type { HistoryStore } from '../history/store.js';
import { IngestConfig, loadIngestFiles, type ReloadStatus, type ReloadTrigger } from './ingest-config.js';
import { IngestPipeline } from '../ingest/IngestPipeline.js';
import { SqliteDeadLetterStore } from '../ingest/sqlite-dead-letters.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { COMMAND_TOPIC, startVirtualPlant, type RunningVirtualPlant } from './virtual-plant.js';
import { TokenStore } from './auth/TokenStore.js';
import { DeviceStore } from './auth/DeviceStore.js';
import { startMqttBroker, type RunningMqttBroker } from '../ingest/mqtt/broker.js';
import { buildApp } from './app.js';
import { auditPlugin } from './audit/audit-plugin.js';
import { RefusalCounter } from '../core/refusals.js';
import { readTlsFiles } from './tls.js';
import { readClientCa } from './tls-client-ca.js';
import { makeEvent } from '../core/events.js';
import { openDataDir, restrictDataDir } from './data-dir.js';

const RETENTION_EVERY_MS = 10 * 60_000;

export const DEMO_PLANT = new URL('../../examples/demo-plant.yaml', import.meta.url);
/** The broker user name of the virtual plant. */
export const VIRTUAL_PLANT_DEVICE = 'virtual-plant';

/** Where a local client reaches a server listening on `host`. */
function loopbackOf(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

export interface Core {
  readonly graph: TwinGraph;
  readonly bus: MemoryBus;
  readonly store: SqliteTwinStore;
  readonly history: HistoryStore;
  readonly deadLetters: SqliteDeadLetterStore;
  /** Where every connector delivers decoded device values. */
  readonly ingest: IngestPipeline;
  close(): Promise<void>;
}

/** Opens the twin graph on a data directory: the store, the built-in and stored models, the bus. */
export async function openCore(
  config: Pick<Config, 'dataDir' | 'sqliteSynchronous'> & Partial<Pick<Config, 'history' | 'postgresUrl'>>,
  logger?: Logger,
): Promise<Core> {
  openDataDir(config.dataDir);
  const store = new SqliteTwinStore(join(config.dataDir, 'twins.sqlite'), {
    synchronous: config.sqliteSynchronous,
  });
  const registry = new ModelRegistry();
  const builtIn = registry.add(loadOntology());
  const bus = new MemoryBus((error, event) =>
    logger?.error({ err: error, type: event.type }, 'event subscriber failed'),
  );
  const graph = new TwinGraph(store, registry, bus, {
    builtInModels: new Set(builtIn.map((model) => model.id)),
  });
  await graph.loadStoredModels();
  const history: HistoryStore =
    config.history === 'postgres'
      ? await (
          await import('../history/postgres-store.js')
        ).PostgresHistoryStore.open({
          connectionString: config.postgresUrl!,
        })
      : new SqliteHistoryStore(join(config.dataDir, 'history.sqlite'), {
          synchronous: config.sqliteSynchronous,
        });
  const deadLetters = new SqliteDeadLetterStore(join(config.dataDir, 'dead-letters.sqlite'));
  const checkpointer = new WalCheckpointer(
    [store.db, ...(history instanceof SqliteHistoryStore ? [history.db] : [])],
    (message) => logger?.warn({ message }, 'SQLite checkpoint failed'),
  );
  const ingest = new IngestPipeline(store, registry, history, deadLetters, bus);
  // History past its retention goes in the background; unref'd so it never keeps the process alive.
  const retention = setInterval(() => {
    history
      .enforceRetention(Date.now())
      .catch((error) => logger?.error({ err: error }, 'history retention failed'));
  }, RETENTION_EVERY_MS);
  retention.unref();
  restrictDataDir(config.dataDir);
  return {
    graph,
    bus,
    store,
    history,
    deadLetters,
    ingest,
    async close() {
      clearInterval(retention);
      await ingest.drain();
      ingest.close();
      await bus.close();
      await checkpointer.close();
      await history.close();
      deadLetters.close();
      await store.close();
    },
  };
}

// The mapping file and sources.yaml are read (and reloaded while running) by ingest-config.ts.
export { DEMO_MAPPINGS, loadMappings, loadSources } from './ingest-config.js';

export interface RunningPlatform {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly core: Core;
  /** Printed once, on the first start of a data directory. */
  readonly adminToken?: string;
  /** Twins imported from the demo plant on this start (0 when the store already had data). */
  readonly seeded: number;
  /** The embedded MQTT broker, when enabled. */
  readonly mqtt?: { readonly url: string; readonly mappings: number; readonly broker: RunningMqttBroker };
  /** The simulated demo plant, publishing to the embedded broker as the device `device`. */
  readonly virtualPlant?: { readonly device: string; readonly running: RunningVirtualPlant };
  /** Reads the mapping file and sources.yaml again; keeps the ones in force when either is wrong. */
  reload(trigger?: ReloadTrigger): Promise<ReloadStatus>;
  close(): Promise<void>;
}

export async function startPlatform(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
): Promise<RunningPlatform> {
  // Configuration files first: a mistake in them stops the start before anything is opened.
  const ingestFiles = await loadIngestFiles(config);
  const tls = readTlsFiles(config);
  const clientCa = readClientCa(config);
  const core = await openCore(config, logger);
  const ingestConfig = new IngestConfig(config, ingestFiles, { sink: core.ingest, logger });
  const { mappings } = ingestConfig;
  let seeded = 0;
  if (config.demo && (await core.store.countTwins()) === 0 && existsSync(DEMO_PLANT)) {
    seeded = (await importPlant(core.graph, readPlantFile(DEMO_PLANT))).twins;
    logger.info({ twins: seeded }, 'demo plant imported');
  }
  const tokens = new TokenStore(join(config.dataDir, 'auth.sqlite'));
  const devices = new DeviceStore(join(config.dataDir, 'auth.sqlite'));
  const refusals = new RefusalCounter();
  let broker: RunningMqttBroker | undefined;
  let virtualPlant: RunningVirtualPlant | undefined;
  // The virtual plant's broker credentials live only in this process: nothing to store or leak.
  const virtualPlantSecret = randomBytes(24).toString('base64url');
  const app = await buildApp({
    graph: core.graph,
    bus: core.bus,
    history: core.history,
    ingest: core.ingest,
    deadLetters: core.deadLetters,
    ingestStats: () => ({
      sources: core.ingest.counters.snapshot(),
      ...(broker === undefined ? {} : { mqtt: broker.stats() }),
      ...ingestConfig.sourceStats(),
    }),
    connectors: () => [
      ...(broker === undefined
        ? []
        : [
            {
              connector: 'mqtt',
              connected: true,
              clients: broker.stats().connectedClients,
              rebirthsRequested: broker.stats().rebirthsRequested,
            },
          ]),
      ...ingestConfig.connectors(),
    ],
    configReload: ingestConfig,
    dataDir: config.dataDir,
    tokens,
    devices,
    logger,
    demo: config.demo,
    bodyLimitBytes: config.bodyLimitBytes,
    refusals,
    trustProxy: config.trustProxy,
    people: config,
    ...(tls === undefined ? {} : { https: tls }),
    // Only the study* settings are read from it.
    studyLimits: config,
    // Only the host, origin, live* and collab* settings are read from it.
    sockets: config,
    // Only the jsonMaxDepth, telemetryMax* and layoutMaxVersions settings are read from it.
    edgeLimits: config,
    ready: async () => (await core.store.getTwin('READY/probe')) === undefined || true,
  });
  // Audit (src/server/audit/): every security event on the bus, hash-chained in audit.sqlite; GET /api/v1/audit.
  await app.register(auditPlugin, {
    dataDir: config.dataDir,
    bus: core.bus,
    logger,
    refusalWindowSeconds: config.auditRefusalWindowSeconds,
    refusalKinds: config.auditRefusalKinds,
  });
  // Every store is open now (the API's own ones too): none of their files may stay readable to others.
  restrictDataDir(config.dataDir);
  const address = await app.listen({ host: config.host, port: config.port });
  try {
    if (config.mqtt) {
      broker = await startMqttBroker({
        port: config.mqttPort,
        host: config.mqttHost,
        ...(tls === undefined
          ? {}
          : {
              tls: { ...tls, port: config.mqttTlsPort, ...(clientCa === undefined ? {} : { clientCa }) },
              ...(config.mqttPlain === undefined ? {} : { plain: config.mqttPlain }),
            }),
        sink: core.ingest,
        mappings,
        authenticate: (username, password) =>
          username === VIRTUAL_PLANT_DEVICE && password === virtualPlantSecret
            ? { id: VIRTUAL_PLANT_DEVICE, topics: ['plant/#'], subscribe: [COMMAND_TOPIC] }
            : devices.authenticate(username, password),
        authenticateCertificate: (commonName) => devices.find(commonName),
        maxPacketBytes: config.mqttMaxPacketBytes,
        maxConnections: config.mqttMaxConnections,
        connectTimeoutMs: config.mqttConnectTimeoutMs,
        retainedMaxMessages: config.mqttRetainedMaxMessages,
        retainedMaxBytes: config.mqttRetainedMaxBytes,
        sparkplugMaxEdgeNodes: config.sparkplugMaxEdgeNodes,
        sparkplugMaxDevices: config.sparkplugMaxDevices,
        refusals,
        onSecurityEvent: (type, data) =>
          core.bus
            .publish([makeEvent(type, data)])
            .catch((error: unknown) => logger.error({ err: error }, 'mqtt security event not published')),
        onClientError: (clientId, error) => logger.debug({ clientId, err: error }, 'mqtt client error'),
      });
    }
    if (broker !== undefined && (config.virtualPlant ?? config.demo)) {
      if (broker.plainPort === undefined) {
        // It connects over plain MQTT on loopback; with MQTTS alone there is no such listener.
        logger.warn('the virtual plant needs the plain MQTT listener beside MQTTS (mqttPlain: true)');
      } else {
        virtualPlant = await startVirtualPlant({
          url: `mqtt://${loopbackOf(config.mqttHost)}:${broker.plainPort}`,
          username: VIRTUAL_PLANT_DEVICE,
          password: virtualPlantSecret,
          plantFile: DEMO_PLANT,
          speed: config.virtualPlantSpeed,
          models: core.graph.models,
          logger,
        });
      }
    }
    await ingestConfig.start();
    ingestConfig.watch();
  } catch (error) {
    await virtualPlant?.close();
    await ingestConfig.close();
    await broker?.close();
    await app.close();
    throw error;
  }
  // Only once the server is up: a start that fails must not swallow the one-time token.
  const adminToken = tokens.hasRole('admin')
    ? undefined
    : tokens.create('admin (first start)', 'admin').token;
  const url = address.replace('://[::1]', '://localhost');
  writeRunningMarker(config.dataDir, url);
  return {
    url,
    app,
    core,
    seeded,
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(broker === undefined
      ? {}
      : {
          mqtt: {
            url: `${broker.plainPort === undefined ? 'mqtts' : 'mqtt'}://${config.mqttHost}:${broker.port}`,
            mappings: mappings.current.size,
            broker,
          },
        }),
    ...(virtualPlant === undefined
      ? {}
      : { virtualPlant: { device: VIRTUAL_PLANT_DEVICE, running: virtualPlant } }),
    reload: (trigger = 'api') => ingestConfig.reload(trigger),
    async close() {
      removeRunningMarker(config.dataDir);
      await virtualPlant?.close();
      await ingestConfig.close();
      await broker?.close();
      await app.close();
      tokens.close();
      devices.close();
      await core.close();
    },
  };
}
