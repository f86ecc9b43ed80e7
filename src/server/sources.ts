// The sources file (`sourcesFile`): external MQTT brokers Imverse subscribes to, and OPC UA servers
// it monitors. Validated as a whole, with every problem named by its path, before anything connects.
import { ImverseError, type Issue } from '../core/errors.js';
import type { CompiledOpcUaConfig } from '../ingest/opcua/config.js';
import { topicFilterProblem } from '../ingest/mapping/topic-pattern.js';

export interface MqttSourceConfig {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly topics: readonly string[];
  readonly qos?: 0 | 1;
  /** 4 (MQTT 3.1.1, the default) or 5. */
  readonly protocolVersion?: 4 | 5;
  /** MQTT 5 only: how long the broker keeps Imverse's session while it is away. */
  readonly sessionExpirySeconds?: number;
  readonly reconnectPeriodMs?: number;
}

export interface SourcesConfig {
  readonly mqtt: readonly MqttSourceConfig[];
  readonly opcua: readonly CompiledOpcUaConfig[];
}

const MQTT_KEYS = new Set([
  'url',
  'username',
  'password',
  'clientId',
  'topics',
  'qos',
  'protocolVersion',
  'sessionExpirySeconds',
  'reconnectPeriodMs',
]);
// MQTT 5's session expiry interval is a four-byte integer.
const MAX_SESSION_EXPIRY = 0xffff_ffff;

export async function compileSources(value: unknown, file: string): Promise<SourcesConfig> {
  const issues: Issue[] = [];
  const fail = (path: string, message: string) => issues.push({ file, path, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImverseError(
      'IMV_CONFIG_INVALID',
      `${file}: must be a mapping with "mqtt" and/or "opcua" lists`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (key !== 'mqtt' && key !== 'opcua') fail(`/${key}`, 'unknown section');
  const mqtt: MqttSourceConfig[] = [];
  listOf(record.mqtt, '/mqtt', fail).forEach((entry, i) => {
    const at = `/mqtt/${i}`;
    if (typeof entry !== 'object' || entry === null) return fail(at, 'must be an object');
    const source = entry as Record<string, unknown>;
    for (const key of Object.keys(source)) if (!MQTT_KEYS.has(key)) fail(`${at}/${key}`, 'unknown setting');
    if (typeof source.url !== 'string' || !/^mqtts?:\/\/.+/.test(source.url)) {
      fail(`${at}/url`, 'must be mqtt://host:port or mqtts://host:port');
    }
    const topics = Array.isArray(source.topics) ? source.topics : [];
    if (topics.length === 0) fail(`${at}/topics`, 'must list at least one topic filter');
    topics.forEach((topic, k) => {
      const problem = typeof topic === 'string' ? topicFilterProblem(topic) : 'must be a string';
      if (problem !== undefined) fail(`${at}/topics/${k}`, problem);
    });
    for (const key of ['username', 'password', 'clientId'] as const) {
      if (source[key] !== undefined && typeof source[key] !== 'string')
        fail(`${at}/${key}`, 'must be a string');
    }
    if (source.qos !== undefined && source.qos !== 0 && source.qos !== 1) fail(`${at}/qos`, 'must be 0 or 1');
    if (
      source.protocolVersion !== undefined &&
      source.protocolVersion !== 4 &&
      source.protocolVersion !== 5
    ) {
      fail(
        `${at}/protocolVersion`,
        `must be the number 4 (MQTT 3.1.1, the default) or 5 (MQTT 5), not ${JSON.stringify(source.protocolVersion)}`,
      );
    }
    const expiry = source.sessionExpirySeconds;
    if (expiry !== undefined) {
      if (!Number.isInteger(expiry) || (expiry as number) < 0 || (expiry as number) > MAX_SESSION_EXPIRY) {
        fail(
          `${at}/sessionExpirySeconds`,
          `must be a whole number of seconds from 0 to ${MAX_SESSION_EXPIRY}`,
        );
      } else if (source.protocolVersion !== 5) {
        fail(
          `${at}/sessionExpirySeconds`,
          'only MQTT 5 has a session expiry: set protocolVersion: 5, or remove it (an MQTT 3.1.1 broker keeps the session until Imverse connects with a clean session)',
        );
      }
    }
    const period = source.reconnectPeriodMs;
    if (period !== undefined && (!Number.isInteger(period) || (period as number) < 1)) {
      fail(`${at}/reconnectPeriodMs`, 'must be a whole number of milliseconds, at least 1');
    }
    mqtt.push(source as unknown as MqttSourceConfig);
  });
  const opcua: CompiledOpcUaConfig[] = [];
  const servers = listOf(record.opcua, '/opcua', fail);
  // node-opcua is large and slow to load: only when servers are configured.
  const { compileOpcUaConfig } =
    servers.length > 0 ? await import('../ingest/opcua/config.js') : { compileOpcUaConfig: undefined };
  servers.forEach((entry, i) => {
    try {
      opcua.push(compileOpcUaConfig!(entry, file));
    } catch (error) {
      const inner = error instanceof ImverseError ? error.issues : [];
      if (inner.length === 0) fail(`/opcua/${i}`, error instanceof Error ? error.message : String(error));
      for (const issue of inner) fail(`/opcua/${i}${issue.path}`, issue.message);
    }
  });
  if (issues.length > 0) {
    throw new ImverseError('IMV_CONFIG_INVALID', `${file}: ${issues[0]!.path}: ${issues[0]!.message}`, {
      issues,
    });
  }
  return { mqtt, opcua };
}

function listOf(value: unknown, path: string, fail: (path: string, message: string) => void): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fail(path, 'must be a list');
    return [];
  }
  return value;
}
