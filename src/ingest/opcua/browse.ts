// The address space of an OPC UA server as a tree, for an integrator writing a mapping: from a
// node down to a bounded depth, each node's browse name, node id and class, and for variables
// their data type and current value. Level by level, so each level costs one browse request and
// one read.
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  NodeClass,
  OPCUACertificateManager,
  StatusCodes,
  VariantArrayType,
  resolveNodeId,
  type BrowseDescriptionLike,
  type BrowseResult,
  type ClientSession,
  type DataValue,
  type OPCUAClient,
  type ReadValueIdOptions,
  type ReferenceDescription,
  type Variant,
} from 'node-opcua';
import { ImverseError, ValidationError } from '../../core/errors.js';
import { compileOpcUaConnection, nodeIdProblem, type OpcUaConnectionSettings } from './config.js';
import { createOpcUaClient, explain, identityOf } from './connection.js';
import { int64ToNumber } from './convert.js';
import { nodeProblem } from './monitor.js';

export const OBJECTS_FOLDER = 'ns=0;i=85';
export const DEFAULT_BROWSE_DEPTH = 2;
export const MAX_BROWSE_DEPTH = 10;
export const DEFAULT_MAX_NODES = 1000;
export const MAX_NODES_LIMIT = 100_000;
const MAX_ARRAY_ELEMENTS = 20;
const MAX_TEXT = 200;
// Requests stay well within what servers accept per call (MaxNodesPerBrowse/Read are often 1000+).
const PER_REQUEST = 200;

export type JsonValue = string | number | boolean | null | JsonValue[];

export interface BrowsedNode {
  readonly nodeId: string;
  /** Qualified: `1:Temperature` (namespace index, then name) unless in namespace 0. */
  readonly browseName: string;
  readonly displayName: string;
  /** Object, Variable, Method, ObjectType, VariableType, ReferenceType, DataType or View. */
  readonly nodeClass: string;
  /** Variables: the data type's name (`Double`, `Int32`, a structure's name…). */
  dataType?: string;
  /** Variables: 1 or more for an array (a matrix) of `dataType`. */
  valueRank?: number;
  /** Variables: the current value, JSON-safe; arrays shortened to their first 20 elements. */
  value?: JsonValue;
  /** Variables whose value could not be read, or was not good: the status code's name. */
  status?: string;
  /** The nodes below it, when it lies above the depth limit; absent below it. */
  children?: BrowsedNode[];
}

export interface BrowseResultTree {
  readonly endpointUrl: string;
  readonly root: BrowsedNode;
  readonly depth: number;
  readonly nodes: number;
  /** True when `maxNodes` stopped the walk before the depth did. */
  readonly truncated: boolean;
}

export interface BrowseOptions {
  /** Default ObjectsFolder (ns=0;i=85). */
  readonly nodeId?: string;
  /** Levels below the node; default 2, at most 10. */
  readonly depth?: number;
  /** Stop after this many nodes; default 1000. */
  readonly maxNodes?: number;
  /** Give up when the server does not answer within this time; default 10000 ms. */
  readonly timeoutMs?: number;
}

function text(value: string): string {
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

function scalar(dataType: DataType, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return text(value);
  if (dataType === DataType.Int64 || dataType === DataType.UInt64)
    return int64ToNumber(value, dataType === DataType.Int64) ?? null;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
  if (Buffer.isBuffer(value)) return text(value.toString('base64'));
  if (dataType === DataType.LocalizedText) return (value as { text?: string | null }).text ?? null;
  if (dataType === DataType.ExtensionObject) return structure(value);
  return text(String(value));
}

/** A structure's fields as compact JSON text: enough to recognise it (structures are not stored). */
function structure(value: unknown): string {
  try {
    const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
    return text(JSON.stringify(json) ?? String(value));
  } catch {
    return text(String(value));
  }
}

/** The value of a variable as JSON: enough to recognise it, not to store it. */
export function jsonValue(variant: Variant): JsonValue {
  if (variant.arrayType === VariantArrayType.Scalar) return scalar(variant.dataType, variant.value);
  const elements = Array.from((variant.value ?? []) as ArrayLike<unknown>);
  return elements.slice(0, MAX_ARRAY_ELEMENTS).map((v) => scalar(variant.dataType, v));
}

function nodeClassName(nodeClass: number): string {
  return NodeClass[nodeClass] ?? `NodeClass ${nodeClass}`;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PER_REQUEST) out.push(items.slice(i, i + PER_REQUEST));
  return out;
}

/** Every reference of each node, following continuation points. */
async function browseAll(
  session: ClientSession,
  nodeIds: readonly string[],
): Promise<ReferenceDescription[][]> {
  const out: ReferenceDescription[][] = [];
  for (const part of chunks(nodeIds)) {
    const descriptions: BrowseDescriptionLike[] = part.map((nodeId) => ({
      nodeId,
      referenceTypeId: 'HierarchicalReferences',
      includeSubtypes: true,
      browseDirection: BrowseDirection.Forward,
      nodeClassMask: 0,
      resultMask: 0x3f,
    }));
    const results: BrowseResult[] = await session.browse(descriptions);
    for (const result of results) {
      const references = [...(result.references ?? [])];
      let continuation = result.continuationPoint;
      while (continuation && continuation.length > 0) {
        const next = await session.browseNext(continuation, false);
        references.push(...(next.references ?? []));
        continuation = next.continuationPoint;
      }
      out.push(references);
    }
  }
  return out;
}

async function readAll(session: ClientSession, ids: readonly ReadValueIdOptions[]): Promise<DataValue[]> {
  const out: DataValue[] = [];
  for (const part of chunks(ids)) out.push(...(await session.read(part)));
  return out;
}

/** Data type, value rank and value of the variables; the data types' names in one more read. */
async function describeVariables(session: ClientSession, variables: readonly BrowsedNode[]): Promise<void> {
  if (variables.length === 0) return;
  const attributes = [AttributeIds.DataType, AttributeIds.ValueRank, AttributeIds.Value];
  const values = await readAll(
    session,
    variables.flatMap((v) => attributes.map((attributeId) => ({ nodeId: v.nodeId, attributeId }))),
  );
  const typeIds = new Map<string, string>();
  variables.forEach((variable, i) => {
    const [dataType, valueRank, value] = values.slice(i * 3, i * 3 + 3) as [DataValue, DataValue, DataValue];
    if (dataType.statusCode.isGood() && dataType.value.value) {
      const typeId = String(dataType.value.value.toString());
      typeIds.set(typeId, typeId);
      variable.dataType = typeId;
    }
    if (
      valueRank.statusCode.isGood() &&
      typeof valueRank.value.value === 'number' &&
      valueRank.value.value > 0
    )
      variable.valueRank = valueRank.value.value;
    if (value.statusCode.isGood()) variable.value = jsonValue(value.value);
    else variable.status = value.statusCode.name;
  });
  const ids = [...typeIds.keys()];
  const names = await readAll(
    session,
    ids.map((nodeId) => ({ nodeId, attributeId: AttributeIds.BrowseName })),
  );
  ids.forEach((id, i) => {
    const name = names[i];
    if (name?.statusCode.isGood())
      typeIds.set(id, String((name.value.value as { name?: string }).name ?? id));
  });
  for (const variable of variables) {
    if (variable.dataType !== undefined)
      variable.dataType = typeIds.get(variable.dataType) ?? variable.dataType;
  }
}

async function readRoot(session: ClientSession, nodeId: string, endpointUrl: string): Promise<BrowsedNode> {
  const [nodeClass, browseName, displayName] = await session.read([
    { nodeId, attributeId: AttributeIds.NodeClass },
    { nodeId, attributeId: AttributeIds.BrowseName },
    { nodeId, attributeId: AttributeIds.DisplayName },
  ]);
  if (!nodeClass?.statusCode.isGood()) {
    const status = nodeClass?.statusCode ?? StatusCodes.BadNodeIdUnknown;
    throw new ImverseError(
      'IMV_OPCUA_NODE_UNKNOWN',
      `node ${nodeId} on OPC UA server ${endpointUrl}: ${nodeProblem(status)}`,
    );
  }
  return {
    nodeId,
    browseName: String(browseName?.value.value?.toString() ?? ''),
    displayName: String((displayName?.value.value as { text?: string } | null)?.text ?? ''),
    nodeClass: nodeClassName(Number(nodeClass.value.value)),
  };
}

async function walk(
  session: ClientSession,
  root: BrowsedNode,
  depth: number,
  maxNodes: number,
): Promise<{ nodes: number; truncated: boolean }> {
  const seen = new Set([root.nodeId]);
  const variables: BrowsedNode[] = root.nodeClass === 'Variable' ? [root] : [];
  let level = [root];
  let truncated = false;
  for (let d = 0; d < depth && level.length > 0 && !truncated; d++) {
    const references = await browseAll(
      session,
      level.map((n) => n.nodeId),
    );
    const next: BrowsedNode[] = [];
    level.forEach((parent, i) => {
      parent.children = [];
      for (const ref of references[i] ?? []) {
        const nodeId = ref.nodeId.toString();
        // The address space is a graph: a node reached twice is shown and expanded once.
        if (seen.has(nodeId)) continue;
        if (seen.size >= maxNodes) {
          truncated = true;
          return;
        }
        seen.add(nodeId);
        const child: BrowsedNode = {
          nodeId,
          browseName: ref.browseName.toString(),
          displayName: ref.displayName.text ?? '',
          nodeClass: nodeClassName(ref.nodeClass),
        };
        parent.children.push(child);
        next.push(child);
        if (ref.nodeClass === NodeClass.Variable) variables.push(child);
      }
    });
    level = next;
  }
  await describeVariables(session, variables);
  return { nodes: seen.size, truncated };
}

function bounded(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError('IMV_CONFIG_INVALID', `${name} must be a whole number from ${min} to ${max}`, {
      path: `/${name}`,
    });
  return n;
}

/**
 * Connects, browses and disconnects. Settings are checked first (ValidationError,
 * IMV_CONFIG_INVALID); an unreachable server, a refused session or an unknown node is an Error
 * whose message says what to fix.
 */
export async function browseOpcUa(
  settings: OpcUaConnectionSettings,
  options: BrowseOptions = {},
): Promise<BrowseResultTree> {
  const config = compileOpcUaConnection(settings);
  const nodeId = options.nodeId ?? OBJECTS_FOLDER;
  const problem = nodeIdProblem(nodeId);
  if (problem !== undefined) throw new ValidationError('IMV_CONFIG_INVALID', problem, { path: '/nodeId' });
  const depth = bounded(options.depth, DEFAULT_BROWSE_DEPTH, 0, MAX_BROWSE_DEPTH, 'depth');
  const maxNodes = bounded(options.maxNodes, DEFAULT_MAX_NODES, 1, MAX_NODES_LIMIT, 'maxNodes');
  const timeoutMs = bounded(options.timeoutMs, 10_000, 1, 3_600_000, 'timeoutMs');

  let certificateManager: OPCUACertificateManager | undefined;
  let client: OPCUAClient | undefined;
  let session: ClientSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    if (config.pkiFolder !== undefined) {
      certificateManager = new OPCUACertificateManager({
        rootFolder: config.pkiFolder,
        automaticallyAcceptUnknownCertificate: false,
      });
      await certificateManager.initialize();
    }
    client = createOpcUaClient(config, {
      clientName: 'imverse-browse',
      // One attempt: a command reports a failure instead of retrying for ever.
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      requestedSessionTimeout: 60_000,
      ...(certificateManager ? { clientCertificateManager: certificateManager } : {}),
    });
    try {
      await client.connect(config.endpointUrl);
      session = await client.createSession(identityOf(config));
    } catch (error) {
      throw explain(error, config);
    }
    // `i=85` and `ObjectsFolder` name `ns=0;i=85`: shown the way a mapping writes it.
    const root = await readRoot(session, resolveNodeId(nodeId).toString(), config.endpointUrl);
    const { nodes, truncated } = await walk(session, root, depth, maxNodes);
    return { endpointUrl: config.endpointUrl, root, depth, nodes, truncated };
  })();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ImverseError(
            'IMV_OPCUA_UNREACHABLE',
            `OPC UA server ${config.endpointUrl} did not answer within ${timeoutMs} ms: check the host name and port, and that the server is running`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
    await session?.close().catch(() => undefined);
    await client?.disconnect().catch(() => undefined);
    await certificateManager?.dispose();
  }
}
