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
  history: 'sqlite',
  virtualPlantSpeed: 1,
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
  IMVERSE_MAPPINGS_FILE: 'mappingsFile',
  IMVERSE_SOURCES_FILE: 'sourcesFile',
  IMVERSE_HISTORY: 'history',
  IMVERSE_POSTGRES_URL: 'postgresUrl',
  IMVERSE_VIRTUAL_PLANT: 'virtualPlant',
  IMVERSE_VIRTUAL_PLANT_SPEED: 'virtualPlantSpeed',
};

/** Settings without a default value. */
const OPTIONAL_KEYS = new Set(['mappingsFile', 'sourcesFile', 'postgresUrl', 'virtualPlant']);

/** Limits and sizes: whole numbers ≥ 1 (add a limit's key here, to the interface and to the defaults). */
const COUNT_KEYS = new Set<string>([]);

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
    case 'port':
    case 'mqttPort': {
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
