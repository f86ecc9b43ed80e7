// Validates an OPC UA source's configuration (from connectOpcUaSource's options or a YAML/JSON
// file the caller parsed): every problem is collected with its JSON Pointer, so one run reports
// them all, and nothing connects until the whole configuration is sound.
import { resolveNodeId } from 'node-opcua';
import { ValidationError, type Issue } from '../../core/errors.js';
import { identifierProblem, normalizeIdentifier } from '../../core/id.js';

export const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export type OpcUaSecurityMode = (typeof SECURITY_MODES)[number];

export const SECURITY_POLICIES = [
  'None',
  'Basic128Rsa15',
  'Basic256',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;
export type OpcUaSecurityPolicy = (typeof SECURITY_POLICIES)[number];

/** One server variable feeding one twin field. */
export interface OpcUaNodeConfig {
  /** e.g. "ns=3;s=Line1.Press07.Temperature" or "ns=2;i=1042". */
  readonly nodeId: string;
  readonly twin: string;
  readonly field: string;
  /** A numeric value is stored as `value * scale + offset`. */
  readonly scale?: number;
  readonly offset?: number;
}

/** How to reach a server and open a session: what a source and `imverse opcua browse` share. */
export interface OpcUaConnectionSettings {
  /** opc.tcp://host:4840[/path] */
  readonly endpointUrl: string;
  /** Default "None"; with "Sign" or "SignAndEncrypt" the policy defaults to Basic256Sha256. */
  readonly securityMode?: OpcUaSecurityMode;
  readonly securityPolicy?: OpcUaSecurityPolicy;
  /** Both or neither: without them the session is anonymous. */
  readonly userName?: string;
  readonly password?: string;
  /** The client's PKI folder (its certificate, trusted servers); default node-opcua's per-user folder. */
  readonly pkiFolder?: string;
}

/** What a configuration file holds, and the non-function part of connectOpcUaSource's options. */
export interface OpcUaSourceConfig extends OpcUaConnectionSettings {
  readonly nodes: readonly OpcUaNodeConfig[];
  /** How often the server samples each variable; default 250 ms. */
  readonly samplingIntervalMs?: number;
  /** How often the server sends the changes it collected; default 500 ms. */
  readonly publishingIntervalMs?: number;
  /** PointBatch.source and the dead letters' source; default "opcua". */
  readonly source?: string;
  /** First wait before reconnecting, doubling up to `reconnectMaxDelayMs`; default 250 ms. */
  readonly reconnectInitialDelayMs?: number;
  /** Longest wait between reconnection attempts; default 10000 ms. */
  readonly reconnectMaxDelayMs?: number;
}

export interface CompiledOpcUaNode {
  /** As configured: the key of the node in the stats. */
  readonly nodeId: string;
  /** Normalised identifier. */
  readonly twin: string;
  readonly field: string;
  readonly scale: number;
  readonly offset: number;
}

export interface CompiledOpcUaConnection {
  readonly endpointUrl: string;
  readonly securityMode: OpcUaSecurityMode;
  readonly securityPolicy: OpcUaSecurityPolicy;
  readonly userName: string | undefined;
  readonly password: string | undefined;
  readonly pkiFolder: string | undefined;
}

export interface CompiledOpcUaConfig extends CompiledOpcUaConnection {
  readonly nodes: readonly CompiledOpcUaNode[];
  readonly samplingIntervalMs: number;
  readonly publishingIntervalMs: number;
  readonly source: string;
  readonly reconnectInitialDelayMs: number;
  readonly reconnectMaxDelayMs: number;
}

const CONNECTION_KEYS = new Set([
  'endpointUrl',
  'securityMode',
  'securityPolicy',
  'userName',
  'password',
  'pkiFolder',
]);
const CONFIG_KEYS = new Set([
  ...CONNECTION_KEYS,
  'nodes',
  'samplingIntervalMs',
  'publishingIntervalMs',
  'source',
  'reconnectInitialDelayMs',
  'reconnectMaxDelayMs',
]);
const NODE_KEYS = new Set(['nodeId', 'twin', 'field', 'scale', 'offset']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly issues: Issue[] = [];
  constructor(readonly file: string | undefined) {}
  add(path: string, message: string): void {
    this.issues.push({ path, message, ...(this.file === undefined ? {} : { file: this.file }) });
  }
  unknownKeys(value: Record<string, unknown>, allowed: Set<string>, path: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) {
        this.add(`${path}/${key}`, `unknown key "${key}"; expected one of ${[...allowed].join(', ')}`);
      }
    }
  }
  number(value: unknown, path: string, fallback: number, min: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      this.add(path, `expected a number of at least ${min}`);
      return fallback;
    }
    return value;
  }
  text(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0) {
      this.add(path, 'expected a non-empty string');
      return undefined;
    }
    return value;
  }
}

/** Why `text` is not an OPC UA node id, or undefined when it is one. */
export function nodeIdProblem(text: string): string | undefined {
  try {
    resolveNodeId(text);
    return undefined;
  } catch {
    return `"${text}" is not an OPC UA node id; write it as ns=<index>;s=<name>, ns=<index>;i=<number>, g=<guid> or b=<base64>`;
  }
}

function compileNode(entry: unknown, path: string, c: Collector): CompiledOpcUaNode | undefined {
  if (!isRecord(entry)) {
    c.add(path, 'expected an object { nodeId, twin, field, scale?, offset? }');
    return undefined;
  }
  c.unknownKeys(entry, NODE_KEYS, path);
  const { nodeId, twin, field, scale = 1, offset = 0 } = entry;
  const before = c.issues.length;
  if (typeof nodeId !== 'string' || nodeId.length === 0) {
    c.add(`${path}/nodeId`, 'expected an OPC UA node id such as "ns=3;s=Line1.Temperature" or "ns=2;i=1042"');
  } else {
    const problem = nodeIdProblem(nodeId);
    if (problem !== undefined) c.add(`${path}/nodeId`, problem);
  }
  const twinProblem = typeof twin === 'string' ? identifierProblem(twin) : 'expected a twin identifier';
  if (twinProblem !== undefined) c.add(`${path}/twin`, `${twinProblem} (e.g. "88.100.1/line-1/press-07")`);
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    c.add(
      `${path}/field`,
      'expected a twin field name: letters, digits and "_", dot-separated for a nested field',
    );
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale))
    c.add(`${path}/scale`, 'expected a finite number');
  if (typeof offset !== 'number' || !Number.isFinite(offset))
    c.add(`${path}/offset`, 'expected a finite number');
  if (c.issues.length > before) return undefined;
  return {
    nodeId: nodeId as string,
    twin: normalizeIdentifier(twin as string),
    field: field as string,
    scale: scale as number,
    offset: offset as number,
  };
}

/**
 * Checks an OPC UA source configuration and fills in its defaults. Throws a ValidationError
 * (IMV_CONFIG_INVALID) listing every problem with its JSON Pointer, e.g.
 * `/nodes/2/nodeId: "Temperature" is not an OPC UA node id …`.
 */
export function compileOpcUaConfig(value: unknown, file?: string): CompiledOpcUaConfig {
  const c = new Collector(file);
  if (!isRecord(value)) {
    c.add('', 'expected an object with "endpointUrl" and "nodes"');
    throw invalid(c, file);
  }
  c.unknownKeys(value, CONFIG_KEYS, '');
  const connection = connectionPart(value, c);
  const nodes: CompiledOpcUaNode[] = [];
  if (!Array.isArray(value.nodes) || value.nodes.length === 0) {
    c.add('/nodes', 'expected a non-empty list of { nodeId, twin, field }');
  } else {
    const seen = new Map<string, number>();
    value.nodes.forEach((entry, i) => {
      const node = compileNode(entry, `/nodes/${i}`, c);
      if (!node) return;
      const key = `${node.twin}\u0000${node.field}`;
      const first = seen.get(key);
      if (first !== undefined) {
        c.add(`/nodes/${i}`, `twin field ${node.twin} ${node.field} is already fed by /nodes/${first}`);
        return;
      }
      seen.set(key, i);
      nodes.push(node);
    });
  }
  const samplingIntervalMs = c.number(value.samplingIntervalMs, '/samplingIntervalMs', 250, 0);
  const publishingIntervalMs = c.number(value.publishingIntervalMs, '/publishingIntervalMs', 500, 10);
  const reconnectInitialDelayMs = c.number(
    value.reconnectInitialDelayMs,
    '/reconnectInitialDelayMs',
    250,
    10,
  );
  const reconnectMaxDelayMs = c.number(value.reconnectMaxDelayMs, '/reconnectMaxDelayMs', 10_000, 10);
  const source = c.text(value.source, '/source') ?? 'opcua';
  if (c.issues.length > 0) throw invalid(c, file);
  return {
    ...connection,
    nodes,
    samplingIntervalMs,
    publishingIntervalMs,
    source,
    reconnectInitialDelayMs,
    reconnectMaxDelayMs: Math.max(reconnectMaxDelayMs, reconnectInitialDelayMs),
  };
}

/**
 * Checks the connection settings alone (no nodes), as `imverse opcua browse` takes them. Throws a
 * ValidationError (IMV_CONFIG_INVALID) listing every problem.
 */
export function compileOpcUaConnection(value: unknown, file?: string): CompiledOpcUaConnection {
  const c = new Collector(file);
  if (!isRecord(value)) {
    c.add('', 'expected an object with "endpointUrl"');
    throw invalid(c, file);
  }
  c.unknownKeys(value, CONNECTION_KEYS, '');
  const connection = connectionPart(value, c);
  if (c.issues.length > 0) throw invalid(c, file, 'OPC UA connection');
  return connection;
}

/** The connection settings of a source or a browse, with their defaults; problems go to `c`. */
function connectionPart(value: Record<string, unknown>, c: Collector): CompiledOpcUaConnection {
  const endpointUrl = value.endpointUrl;
  if (typeof endpointUrl !== 'string' || !/^opc\.tcp:\/\/[^/:\s]+(?::\d+)?(?:\/\S*)?$/.test(endpointUrl)) {
    c.add('/endpointUrl', 'expected an OPC UA endpoint such as "opc.tcp://plc-1.plant.local:4840"');
  }
  const securityMode = (value.securityMode ?? 'None') as OpcUaSecurityMode;
  if (!SECURITY_MODES.includes(securityMode)) {
    c.add('/securityMode', `expected one of ${SECURITY_MODES.join(', ')}`);
  }
  const securityPolicy = (value.securityPolicy ??
    (securityMode === 'None' ? 'None' : 'Basic256Sha256')) as OpcUaSecurityPolicy;
  if (!SECURITY_POLICIES.includes(securityPolicy)) {
    c.add('/securityPolicy', `expected one of ${SECURITY_POLICIES.join(', ')}`);
  } else if ((securityMode === 'None') !== (securityPolicy === 'None')) {
    c.add(
      '/securityPolicy',
      securityMode === 'None'
        ? `security policy ${securityPolicy} needs securityMode "Sign" or "SignAndEncrypt"`
        : `securityMode "${securityMode}" needs a security policy other than None, e.g. Basic256Sha256`,
    );
  }
  const userName = c.text(value.userName, '/userName');
  const password = value.password;
  if (password !== undefined && typeof password !== 'string') c.add('/password', 'expected a string');
  if ((value.userName === undefined) !== (password === undefined)) {
    c.add(
      value.userName === undefined ? '/userName' : '/password',
      'give both "userName" and "password", or neither for an anonymous session',
    );
  }
  return {
    endpointUrl: endpointUrl as string,
    securityMode,
    securityPolicy,
    userName,
    password: password as string | undefined,
    pkiFolder: c.text(value.pkiFolder, '/pkiFolder'),
  };
}

function invalid(c: Collector, file: string | undefined, what = 'OPC UA source'): ValidationError {
  const first = c.issues[0] as Issue;
  const more = c.issues.length > 1 ? ` (and ${c.issues.length - 1} more)` : '';
  return new ValidationError(
    'IMV_CONFIG_INVALID',
    `Invalid ${what}${file === undefined ? '' : ` in ${file}`} at ${first.path || '/'}: ${first.message}${more}`,
    { issues: c.issues },
  );
}
