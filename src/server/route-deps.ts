// What the API's routes are given (AppOptions plus what buildApp adds) and what a request carries
// after authentication; a module of its own so routes do not import app.ts.
import type { Logger } from 'pino';
import type { TwinGraph } from '../twin/TwinGraph.js';
import type { EventBus } from '../bus/bus.js';
import type { HistoryStore } from '../history/store.js';
import type { DeadLetterStore } from '../ingest/dead-letters.js';
import type { IngestPipeline } from '../ingest/IngestPipeline.js';
import type { Principal } from './auth/roles.js';
import type { RoutePermission } from './auth/authorize-request.js';
import type { AccessView } from '../access/access-view.js';
import type { PolicyService } from './policies/PolicyService.js';
import type { TokenStore } from './auth/TokenStore.js';
import type { DeviceStore } from './auth/DeviceStore.js';
import type { Metrics, ConnectorStatus } from './metrics.js';
import type { ConfigReloader } from './ingest-config.js';
import type { CollabHub } from './collab/CollabHub.js';
import type { RefusalCounter } from '../core/refusals.js';
import type { PeopleService, PeopleSettings } from './people/PeopleService.js';
import type { SocketSettings } from './socket-settings.js';
import type { StudyLimits } from './studies/study-limits.js';
import type { EdgeLimits } from './edge-limits.js';

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
  /** Serve HTTPS (and so WSS) with this PEM certificate and key (src/server/tls.ts reads them). */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /** Checks the stores answer, for /readyz. */
  readonly ready?: () => Promise<boolean>;
  /** Sessions, sign-in lockout and OpenID Connect (configuration defaults when absent). */
  readonly people?: Partial<PeopleSettings>;
  /** Our origins and host names, and the live and collaboration limits (configuration defaults when absent). */
  readonly sockets?: Partial<SocketSettings>;
  /** How many studies are queued and kept, and how large one may be (configuration defaults when absent). */
  readonly studyLimits?: Partial<StudyLimits>;
  /** JSON nesting, telemetry answer and layout version limits (configuration defaults when absent). */
  readonly edgeLimits?: Partial<EdgeLimits>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route requires (`twin:read`, `policies:write`, …); `public` needs no authentication. */
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** What the caller's policies let it do (src/access), for routes that ask about single resources. */
    access?: AccessView;
    /** The twin graph as this caller may see it, for the route's action. */
    graph: TwinGraph;
  }
}

export type RouteDeps = AppOptions & {
  readonly metrics: Metrics;
  readonly refusals: RefusalCounter;
  /** Shared documents and presence, for the collaboration routes and layout versions. */
  readonly collab: CollabHub;
  /** Accounts, sign-in sessions and OpenID Connect (src/server/people/). */
  readonly people: PeopleService;
  /** The policies in force, and changes to them (src/server/policies/). */
  readonly policies: PolicyService;
};
