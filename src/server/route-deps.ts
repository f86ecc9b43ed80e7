// What the API's routes are given (AppOptions plus what buildApp adds) and what a request carries
// after authentication; a module of its own so routes do not import app.ts.
import type { Logger } from 'pino';
import type { TwinGraph } from '../twin/TwinGraph.js';
import type { EventBus } from '../bus/bus.js';
import type { HistoryStore } from '../history/store.js';
import type { DeadLetterStore } from '../ingest/dead-letters.js';
import type { IngestPipeline } from '../ingest/IngestPipeline.js';
import type { Permission, Principal } from './auth/roles.js';
import type { TokenStore } from './auth/TokenStore.js';
import type { DeviceStore } from './auth/DeviceStore.js';
import type { Metrics, ConnectorStatus } from './metrics.js';
import type { ConfigReloader } from './ingest-config.js';
import type { CollabHub } from './collab/CollabHub.js';
import type { RefusalCounter } from '../core/refusals.js';

export interface AppOptions {
  readonly graph: TwinGraph;
  readonly bus: EventBus;
  readonly history: HistoryStore;
  readonly ingest: IngestPipeline;
  readonly deadLetters: DeadLetterStore;
  /** Counters and connection states of every connector, for /api/v1/ingest/stats. */
  readonly ingestStats: () => unknown;
  /** The same connectors' states in short, for /metrics. */
  readonly connectors?: () => readonly ConnectorStatus[];
  /** Reloads the mapping file and sources.yaml, for /api/v1/ingest/reload. */
  readonly configReload?: ConfigReloader;
  /** The data directory, for the studies' results; in memory without one. */
  readonly dataDir?: string;
  readonly tokens: TokenStore;
  readonly devices: DeviceStore;
  readonly logger: Logger;
  /** Anonymous access from this machine (the local demo): read, and edit layout drafts and notes. */
  readonly demo: boolean;
  readonly bodyLimitBytes?: number;
  /** Counts every refusal by edge and code, for /metrics; the platform shares one with the broker. */
  readonly refusals?: RefusalCounter;
  /** Behind a reverse proxy: take the client address and protocol from X-Forwarded-* headers. */
  readonly trustProxy?: boolean;
  /** Checks the stores answer, for /readyz. */
  readonly ready?: () => Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route requires; `public` needs no authentication. */
    permission?: Permission | 'public';
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The twin graph as this caller may see it (its tenants' prefixes). */
    graph: TwinGraph;
  }
}

export type RouteDeps = AppOptions & {
  readonly metrics: Metrics;
  readonly refusals: RefusalCounter;
  /** Shared documents and presence, for the collaboration routes and layout versions. */
  readonly collab: CollabHub;
};
