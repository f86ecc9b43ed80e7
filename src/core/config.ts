// Configuration: defaults, then imverse.yaml, then IMVERSE_* environment variables, then flags.
import { ImverseError } from './errors.js';

export interface Config {
  /** Where the SQLite files live. */
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Anonymous access from this machine (read; edit layout drafts and notes), and the demo plant on an empty store. */
  readonly demo: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bodyLimitBytes: number;
  /** `full` makes every commit survive power loss, at a cost in write speed. */
  readonly sqliteSynchronous: 'normal' | 'full';
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto headers (client address, https links). */
  readonly trustProxy: boolean;
  /** Run the embedded MQTT broker. */
  readonly mqtt: boolean;
  readonly mqttHost: string;
  /** 1883 is MQTT's registered port; 0 picks a free one. */
  readonly mqttPort: number;
  /** MQTTS port of the embedded broker when `tlsCert` and `tlsKey` are set; 8883 is registered, 0 picks a free one. */
  readonly mqttTlsPort: number;
  /** Keep the plain MQTT listener beside MQTTS; default: plain only when no certificate is configured. */
  readonly mqttPlain?: boolean;
  /** Largest MQTT packet, fixed header included; larger ones close the connection before they are read. */
  readonly mqttMaxPacketBytes: number;
  /** Open connections per broker listener; more are closed at accept, before any byte is read. */
  readonly mqttMaxConnections: number;
  /** A connection that has not sent its whole CONNECT packet within this time is closed. */
  readonly mqttConnectTimeoutMs: number;
  /** Retained messages the broker keeps; a retained publish beyond it is delivered but not retained. */
  readonly mqttRetainedMaxMessages: number;
  /** Bytes (topics and payloads) of retained messages the broker keeps. */
  readonly mqttRetainedMaxBytes: number;
  /** Sparkplug B edge nodes whose session state (births, aliases, sequence) is kept per connector. */
  readonly sparkplugMaxEdgeNodes: number;
  /** Sparkplug B devices, over all edge nodes, whose session state is kept per connector. */
  readonly sparkplugMaxDevices: number;
  /** PEM CA certificate file: MQTTS devices presenting a certificate it signed authenticate by its CN. */
  readonly tlsClientCa?: string;
  /** Topic-to-twin mappings (YAML); default: mappings.yaml in the data directory, if there is one. */
  readonly mappingsFile?: string;
  /** External MQTT brokers and OPC UA servers to read from (YAML); default: sources.yaml in the data directory. */
  readonly sourcesFile?: string;
  /** Where history is kept: the embedded SQLite file, or PostgreSQL at `postgresUrl`. */
  readonly history: 'sqlite' | 'postgres';
  readonly postgresUrl?: string;
  /** Run the simulated plant as an MQTT client of the embedded broker; default: in demo mode. */
  readonly virtualPlant?: boolean;
  /** Simulated seconds per real second of the virtual plant. */
  readonly virtualPlantSpeed: number;
  /** Identical refusals (same source, action, code) within this many seconds are one audit record with a count. */
  readonly auditRefusalWindowSeconds: number;
  /** Kinds of refusal (source, action, code) audited apart per window; past it they are counted by code alone. */
  readonly auditRefusalKinds: number;
  /** A sign-in session ends after this many minutes without a request. */
  readonly sessionIdleMinutes: number;
  /** A sign-in session ends this many hours after sign-in, however active. */
  readonly sessionMaxHours: number;
  /** Failed sign-ins for one name within `signInLockMinutes` before that name is locked for as long. */
  readonly signInMaxFailures: number;
  /** Failed sign-ins from one client address within `signInLockMinutes` before that address is locked. */
  readonly signInMaxFailuresPerAddress: number;
  /** The window in which failed sign-ins are counted, and how long a lock lasts. */
  readonly signInLockMinutes: number;
  /** OpenID Connect provider (issuer URL) for sign-in; no OpenID Connect sign-in without it. */
  readonly oidcIssuer?: string;
  /** This platform's client id at the provider. */
  readonly oidcClientId?: string;
  /** Its client secret; without one the client authenticates with PKCE only (a public client). */
  readonly oidcClientSecret?: string;
  /** Where the provider sends the browser back; default: /signin/oidc/callback on the requested host. */
  readonly oidcRedirectUrl?: string;
  /** The claim (ID token or userinfo) whose values name the person's roles or groups, e.g. roles, groups. */
  readonly oidcRoleClaim: string;
  /** Claim value → Imverse role; the first entry the person has wins (`a=engineer,b=viewer` in the environment). */
  readonly oidcRoleMap?: Readonly<Record<string, string>>;
  /** A claim whose values are the tenant identifier prefixes the person is limited to; all tenants without it. */
  readonly oidcTenantClaim?: string;
  /** Studies queued or running at once over all tenants; more are refused (IMV_STUDY_QUEUE_FULL). */
  readonly studyMaxQueued: number;
  /** Studies queued or running at once for one tenant scope (the prefixes of the submitting token). */
  readonly studyMaxQueuedPerTenant: number;
  /** Studies kept per tenant scope, finished or not; more are refused until some are deleted (IMV_STUDY_STORE_FULL). */
  readonly studyMaxStored: number;
  /** Replications per scenario of one study (at most 1000 whatever this says). */
  readonly studyMaxReplications: number;
  /** Alternative scenarios besides the base in one study (at most 20 whatever this says). */
  readonly studyMaxScenarios: number;
  /** Simulated days of one study: replications × scenarios × (warm-up + horizon); bounds its CPU time. */
  readonly studyMaxSimulatedDays: number;
  /** Nesting of arrays and objects in a JSON request body; deeper bodies are refused before parsing (IMV_REQUEST_JSON_TOO_DEEP). */
  readonly jsonMaxDepth: number;
  /** Distinct fields one telemetry request may name (IMV_TELEMETRY_FIELDS_TOO_MANY). */
  readonly telemetryMaxFields: number;
  /** Samples or buckets, over all fields, in one telemetry answer (IMV_TELEMETRY_TOO_LARGE). */
  readonly telemetryMaxPoints: number;
  /** Bytes of sample values (strings count their length) in one telemetry answer (IMV_TELEMETRY_TOO_LARGE). */
  readonly telemetryMaxBytes: number;
  /** Layout versions kept per tenant scope; saving more is refused until some are deleted (IMV_LAYOUT_VERSIONS_FULL). */
  readonly layoutMaxVersions: number;
  /** Other sites' origins whose pages may open the WebSockets (`https://hmi.example:8443`), comma-separated. */
  readonly allowedOrigins?: string;
  /** Names people reach the server by besides loopback and `host` (checked on loopback and in the demo), comma-separated. */
  readonly publicHost?: string;
  /** Subscriptions one live WebSocket (/api/v1/live) may hold at once. */
  readonly liveMaxSubscriptions: number;
  /** Collaboration rooms (the world room, layout drafts) one tenant scope may have. */
  readonly collabMaxRoomsPerTenant: number;
  /** Size of one collaboration room's document (Yjs state); edits that would grow it further are refused. */
  readonly collabMaxDocumentBytes: number;
  /** Size of one collaboration edit (Yjs update) a client may send. */
  readonly collabMaxUpdateBytes: number;
  /** PEM certificate (chain) file: with `tlsKey`, the API serves HTTPS and WSS on its port. */
  readonly tlsCert?: string;
  /** PEM private key file of `tlsCert`. */
  readonly tlsKey?: string;
}

export const DEFAULT_CONFIG: Config = {
  dataDir: './data',
  host: '127.0.0.1',
  port: 8470,
  demo: false,
  logLevel: 'info',
  bodyLimitBytes: 4 * 1024 * 1024,
  sqliteSynchronous: 'normal',
  trustProxy: false,
  mqtt: true,
  mqttHost: '127.0.0.1',
  mqttPort: 1883,
  mqttTlsPort: 8883,
  mqttMaxPacketBytes: 1024 * 1024,
  mqttMaxConnections: 1000,
  mqttConnectTimeoutMs: 10_000,
  mqttRetainedMaxMessages: 10_000,
  mqttRetainedMaxBytes: 64 * 1024 * 1024,
  sparkplugMaxEdgeNodes: 10_000,
  sparkplugMaxDevices: 100_000,
  history: 'sqlite',
  virtualPlantSpeed: 1,
  auditRefusalWindowSeconds: 60,
  auditRefusalKinds: 100,
  liveMaxSubscriptions: 64,
  collabMaxRoomsPerTenant: 100,
  collabMaxDocumentBytes: 2 * 1024 * 1024,
  collabMaxUpdateBytes: 64 * 1024,
  sessionIdleMinutes: 60,
  sessionMaxHours: 12,
  signInMaxFailures: 5,
  signInMaxFailuresPerAddress: 20,
  signInLockMinutes: 15,
  oidcRoleClaim: 'roles',
  studyMaxQueued: 20,
  studyMaxQueuedPerTenant: 5,
  studyMaxStored: 200,
  studyMaxReplications: 1000,
  studyMaxScenarios: 20,
  studyMaxSimulatedDays: 50_000,
  jsonMaxDepth: 64,
  telemetryMaxFields: 32,
  telemetryMaxPoints: 200_000,
  telemetryMaxBytes: 16 * 1024 * 1024,
  layoutMaxVersions: 500,
};

const ENV_KEYS: Record<string, keyof Config> = {
  IMVERSE_DATA_DIR: 'dataDir',
  IMVERSE_HOST: 'host',
  IMVERSE_PORT: 'port',
  IMVERSE_DEMO: 'demo',
  IMVERSE_LOG_LEVEL: 'logLevel',
  IMVERSE_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  IMVERSE_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
  IMVERSE_TRUST_PROXY: 'trustProxy',
  IMVERSE_MQTT: 'mqtt',
  IMVERSE_MQTT_HOST: 'mqttHost',
  IMVERSE_MQTT_PORT: 'mqttPort',
  IMVERSE_MQTT_TLS_PORT: 'mqttTlsPort',
  IMVERSE_MQTT_PLAIN: 'mqttPlain',
  IMVERSE_MQTT_MAX_PACKET_BYTES: 'mqttMaxPacketBytes',
  IMVERSE_MQTT_MAX_CONNECTIONS: 'mqttMaxConnections',
  IMVERSE_MQTT_CONNECT_TIMEOUT_MS: 'mqttConnectTimeoutMs',
  IMVERSE_MQTT_RETAINED_MAX_MESSAGES: 'mqttRetainedMaxMessages',
  IMVERSE_MQTT_RETAINED_MAX_BYTES: 'mqttRetainedMaxBytes',
  IMVERSE_SPARKPLUG_MAX_EDGE_NODES: 'sparkplugMaxEdgeNodes',
  IMVERSE_SPARKPLUG_MAX_DEVICES: 'sparkplugMaxDevices',
  IMVERSE_TLS_CLIENT_CA: 'tlsClientCa',
  IMVERSE_MAPPINGS_FILE: 'mappingsFile',
  IMVERSE_SOURCES_FILE: 'sourcesFile',
  IMVERSE_HISTORY: 'history',
  IMVERSE_POSTGRES_URL: 'postgresUrl',
  IMVERSE_VIRTUAL_PLANT: 'virtualPlant',
  IMVERSE_VIRTUAL_PLANT_SPEED: 'virtualPlantSpeed',
  IMVERSE_AUDIT_REFUSAL_WINDOW_SECONDS: 'auditRefusalWindowSeconds',
  IMVERSE_AUDIT_REFUSAL_KINDS: 'auditRefusalKinds',
  IMVERSE_SESSION_IDLE_MINUTES: 'sessionIdleMinutes',
  IMVERSE_SESSION_MAX_HOURS: 'sessionMaxHours',
  IMVERSE_SIGN_IN_MAX_FAILURES: 'signInMaxFailures',
  IMVERSE_SIGN_IN_MAX_FAILURES_PER_ADDRESS: 'signInMaxFailuresPerAddress',
  IMVERSE_SIGN_IN_LOCK_MINUTES: 'signInLockMinutes',
  IMVERSE_OIDC_ISSUER: 'oidcIssuer',
  IMVERSE_OIDC_CLIENT_ID: 'oidcClientId',
  IMVERSE_OIDC_CLIENT_SECRET: 'oidcClientSecret',
  IMVERSE_OIDC_REDIRECT_URL: 'oidcRedirectUrl',
  IMVERSE_OIDC_ROLE_CLAIM: 'oidcRoleClaim',
  IMVERSE_OIDC_ROLE_MAP: 'oidcRoleMap',
  IMVERSE_OIDC_TENANT_CLAIM: 'oidcTenantClaim',
  IMVERSE_STUDY_MAX_QUEUED: 'studyMaxQueued',
  IMVERSE_STUDY_MAX_QUEUED_PER_TENANT: 'studyMaxQueuedPerTenant',
  IMVERSE_STUDY_MAX_STORED: 'studyMaxStored',
  IMVERSE_STUDY_MAX_REPLICATIONS: 'studyMaxReplications',
  IMVERSE_STUDY_MAX_SCENARIOS: 'studyMaxScenarios',
  IMVERSE_STUDY_MAX_SIMULATED_DAYS: 'studyMaxSimulatedDays',
  IMVERSE_JSON_MAX_DEPTH: 'jsonMaxDepth',
  IMVERSE_TELEMETRY_MAX_FIELDS: 'telemetryMaxFields',
  IMVERSE_TELEMETRY_MAX_POINTS: 'telemetryMaxPoints',
  IMVERSE_TELEMETRY_MAX_BYTES: 'telemetryMaxBytes',
  IMVERSE_LAYOUT_MAX_VERSIONS: 'layoutMaxVersions',
  IMVERSE_ALLOWED_ORIGINS: 'allowedOrigins',
  IMVERSE_PUBLIC_HOST: 'publicHost',
  IMVERSE_LIVE_MAX_SUBSCRIPTIONS: 'liveMaxSubscriptions',
  IMVERSE_COLLAB_MAX_ROOMS_PER_TENANT: 'collabMaxRoomsPerTenant',
  IMVERSE_COLLAB_MAX_DOCUMENT_BYTES: 'collabMaxDocumentBytes',
  IMVERSE_COLLAB_MAX_UPDATE_BYTES: 'collabMaxUpdateBytes',
  IMVERSE_TLS_CERT: 'tlsCert',
  IMVERSE_TLS_KEY: 'tlsKey',
};

/** Settings without a default value. */
const OPTIONAL_KEYS = new Set([
  'oidcIssuer',
  'oidcClientId',
  'oidcClientSecret',
  'oidcRedirectUrl',
  'oidcRoleMap',
  'oidcTenantClaim',
  'mappingsFile',
  'sourcesFile',
  'postgresUrl',
  'virtualPlant',
  'tlsCert',
  'tlsKey',
  'allowedOrigins',
  'publicHost',
  'mqttPlain',
  'tlsClientCa',
]);

/** Limits and sizes: whole numbers ≥ 1 (add a limit's key here, to the interface and to the defaults). */
const COUNT_KEYS = new Set<string>([
  'auditRefusalWindowSeconds',
  'auditRefusalKinds',
  'liveMaxSubscriptions',
  'collabMaxRoomsPerTenant',
  'collabMaxDocumentBytes',
  'collabMaxUpdateBytes',
  'sessionIdleMinutes',
  'sessionMaxHours',
  'signInMaxFailures',
  'signInMaxFailuresPerAddress',
  'signInLockMinutes',
  'mqttMaxPacketBytes',
  'mqttMaxConnections',
  'mqttConnectTimeoutMs',
  'mqttRetainedMaxMessages',
  'mqttRetainedMaxBytes',
  'sparkplugMaxEdgeNodes',
  'sparkplugMaxDevices',
  'studyMaxQueued',
  'studyMaxQueuedPerTenant',
  'studyMaxStored',
  'studyMaxReplications',
  'studyMaxScenarios',
  'studyMaxSimulatedDays',
  'jsonMaxDepth',
  'telemetryMaxFields',
  'telemetryMaxPoints',
  'telemetryMaxBytes',
  'layoutMaxVersions',
]);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Merges the layers (later wins) and validates each setting, naming its source on error. */
export function resolveConfig(
  layers: ReadonlyArray<{ source: string; values: Record<string, unknown> }>,
): Config {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const { source, values } of layers) {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      if (!(key in DEFAULT_CONFIG) && !OPTIONAL_KEYS.has(key)) {
        throw new ImverseError('IMV_CONFIG_INVALID', `${source}: unknown setting "${key}"`, {
          path: `/${key}`,
        });
      }
      merged[key] = coerce(key as keyof Config, value, source);
    }
  }
  if (merged.history === 'postgres' && merged.postgresUrl === undefined) {
    throw new ImverseError(
      'IMV_CONFIG_INVALID',
      'history: postgres needs postgresUrl (IMVERSE_POSTGRES_URL)',
      {
        path: '/postgresUrl',
      },
    );
  }
  return merged as unknown as Config;
}

export function configFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) if (env[name] !== undefined) values[key] = env[name];
  return values;
}

function coerce(key: keyof Config, value: unknown, source: string): unknown {
  const fail = (expected: string): never => {
    throw new ImverseError(
      'IMV_CONFIG_INVALID',
      `${source}: ${key} must be ${expected}, not ${JSON.stringify(value)}`,
      {
        path: `/${key}`,
      },
    );
  };
  if (COUNT_KEYS.has(key)) {
    const count = typeof value === 'string' ? Number(value) : value;
    if (!Number.isInteger(count) || (count as number) < 1) fail('a whole number ≥ 1');
    return count;
  }
  switch (key) {
    case 'oidcRoleMap':
      return roleMap(value, fail);
    case 'port':
    case 'mqttPort':
    case 'mqttTlsPort': {
      const port = typeof value === 'string' ? Number(value) : value;
      if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
        fail('a port number 0–65535');
      return port;
    }
    case 'bodyLimitBytes': {
      const bytes = typeof value === 'string' ? Number(value) : value;
      if (!Number.isInteger(bytes) || (bytes as number) < 1024) fail('a whole number of bytes ≥ 1024');
      return bytes;
    }
    case 'virtualPlantSpeed': {
      const speed = typeof value === 'string' ? Number(value) : value;
      if (typeof speed !== 'number' || !(speed > 0 && speed <= 1000))
        fail('a number above 0 and at most 1000');
      return speed;
    }
    case 'demo':
    case 'trustProxy':
    case 'mqtt':
    case 'mqttPlain':
    case 'virtualPlant':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return fail('true or false');
    case 'logLevel':
      if (typeof value !== 'string' || !LOG_LEVELS.includes(value)) fail(`one of ${LOG_LEVELS.join(', ')}`);
      return value;
    case 'history':
      if (value !== 'sqlite' && value !== 'postgres') fail('sqlite or postgres');
      return value;
    case 'sqliteSynchronous':
      if (value !== 'normal' && value !== 'full') fail('normal or full');
      return value;
    default:
      if (typeof value !== 'string' || value.length === 0) fail('a non-empty string');
      return value;
  }
}

/** `{ claimValue: role }` from YAML, or `claimValue=role,…` from the environment; roles are checked at start. */
function roleMap(value: unknown, fail: (expected: string) => never): Record<string, string> {
  const entries =
    typeof value === 'string'
      ? value.split(',').map((pair) => pair.split('=').map((part) => part.trim()))
      : value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value)
        : fail('a map of claim values to roles');
  const map: Record<string, string> = {};
  for (const [claim, role] of entries) {
    if (typeof claim !== 'string' || claim === '' || typeof role !== 'string' || role === '')
      fail('claim values mapped to roles, e.g. plant-engineers=engineer,visitors=viewer');
    map[claim as string] = role as string;
  }
  return map;
}
